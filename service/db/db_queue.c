/*
 * A FIFO of jobs waiting for a connection, and how a segment is cut from
 * its head.  See db_internal.h for the contract.
 */
#include "db/db_internal.h"

void kd_db_queue_push(kd_db_queue *queue, kd_db_job *job)
{
	job->next = NULL;
	if (queue->tail)
		queue->tail->next = job;
	else
		queue->head = job;
	queue->tail = job;
	queue->length++;
}

void kd_db_queue_push_front(kd_db_queue *queue, kd_db_job *job)
{
	job->next = queue->head;
	queue->head = job;
	if (queue->tail == NULL)
		queue->tail = job;
	queue->length++;
}

kd_db_job *kd_db_queue_pop(kd_db_queue *queue)
{
	kd_db_job *job = queue->head;
	if (job) {
		queue->head = job->next;
		if (queue->head == NULL)
			queue->tail = NULL;
		job->next = NULL;
		queue->length--;
	}
	return job;
}

kd_db_job *kd_db_queue_take_segment(kd_db_queue *queue)
{
	kd_db_job *first = kd_db_queue_pop(queue), *last = first;
	if (first == NULL)
		return NULL;
	for (int n = 1; !first->alone && n < KD_DB_SEGMENT_MAX_JOBS; n++) {
		if (queue->head == NULL || queue->head->alone)
			break;
		last->next = kd_db_queue_pop(queue);
		last = last->next;
	}
	last->segment_end = true;
	return first;
}

kd_db_job *kd_db_queue_take_expired(kd_db_queue *queue, uint64_t now)
{
	kd_db_job *expired = NULL, **expired_tail = &expired;
	kd_db_job **link = &queue->head, *prev = NULL;
	while (*link) {
		kd_db_job *job = *link;
		if (job->deadline > now) {
			prev = job;
			link = &job->next;
			continue;
		}
		*link = job->next;
		if (queue->tail == job)
			queue->tail = prev;
		queue->length--;
		job->next = NULL;
		*expired_tail = job;
		expired_tail = &job->next;
	}
	return expired;
}
