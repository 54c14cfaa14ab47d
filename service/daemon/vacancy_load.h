/*
 * Filling the recommendation index from the database.  A full load reads
 * the open vacancies a page at a time, each page its own job under the
 * normal deadline, into a new recommender off to the side (on the libuv
 * thread pool, one page at a time, while the next is read); the live one
 * keeps answering until the new one is complete and takes its place.  A
 * single vacancy named by a NOTIFY is re-read into the live recommender.
 * Loop thread only.
 */
#ifndef KD_VACANCY_LOAD_H
#define KD_VACANCY_LOAD_H

#include <stdint.h>

#include "daemon/recommender.h"

struct kd_app;

/*
 * Rows a page of a full load when serve is not told otherwise.  At 10^6
 * vacancies a page of 2000 takes a worker thread 5 ms to index on average
 * (20000: 36 ms); the longest page, 40 to 90 ms whatever the size, is the
 * one during which the index's tables double.
 */
#define KD_VACANCY_PAGE_ROWS 2000

typedef struct kd_vacancy_load kd_vacancy_load;

/*
 * Begins a full load into rec (empty; taken over), abandoning the one in
 * progress.  Once every page is in, rec becomes app->recommender and the
 * old one is freed; if a page fails, rec is freed, the live recommender
 * stays, and the next reconnect loads again.
 */
void kd_vacancy_load_all(struct kd_app *app, kd_recommender *rec);

/*
 * Re-reads vacancy id (> 0) into the live recommender: a row replaces it,
 * no row removes it.  While a full load runs, the id is also read again
 * into the new recommender once it is live.
 */
void kd_vacancy_load_one(struct kd_app *app, int64_t id);

#endif
