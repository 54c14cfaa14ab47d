/*
 * The SMS timer: every --sms-interval it runs one round through the pool,
 * in one transaction: the messages of match runs' new offers queued
 * (schema/migrations/0022_offer_messages_by_round.sql), then 0012's
 * sms_tick(), which reads Gammu SMSD's inbox, queues due reminders and
 * hands queued messages to Gammu's outbox.  Gammu itself sends them.
 */
#ifndef KD_SMS_WORKER_H
#define KD_SMS_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

struct kd_app;

typedef struct kd_sms_worker {
	uv_timer_t timer;
	struct kd_app *app;
	bool busy;     /* a round is in the pool: the next tick waits for it */
	bool failing;  /* the last round failed: said once, not every tick */
} kd_sms_worker;

/*
 * Initialises the timer on app's loop and, when interval_ms is not 0,
 * starts it.  The worker must then be stopped and closed with the app's
 * other handles.
 */
void kd_sms_worker_start(kd_sms_worker *worker, struct kd_app *app, uint64_t interval_ms);

/* No further rounds; one in the pool still finishes. */
void kd_sms_worker_stop(kd_sms_worker *worker);

/* Closes the timer handle (after kd_sms_worker_start). */
void kd_sms_worker_close(kd_sms_worker *worker);

#endif
