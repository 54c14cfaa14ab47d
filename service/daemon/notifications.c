#include "daemon/notifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/app.h"
#include "daemon/vacancy_load.h"

const char *const kd_notification_channels[] = { KD_AUTH_CHANNEL, KD_RECOMMENDER_CHANNEL,
						       KD_AREA_CHANNEL, NULL };

void kd_notifications_on_notify(kd_db_pool *pool, const char *channel, const char *payload,
				void *arg)
{
	(void)pool;
	kd_app *app = arg;
	if (strcmp(channel, KD_AUTH_CHANNEL) == 0) {
		kd_token_cache_forget(app->tokens, payload);
	} else if (strcmp(channel, KD_RECOMMENDER_CHANNEL) == 0) {
		long long id = strtoll(payload, NULL, 10);
		if (id > 0)
			kd_vacancy_load_one(app, id);
	} else if (strcmp(channel, KD_AREA_CHANNEL) == 0) {
		/* Until the new set is in, this daemon may still accept a place
		 * the area just lost: the database's own check refuses it. */
		kd_app_load_reference(app);
	}
}

/*
 * Every cached token is checked again on its next use, and the reference
 * data is read anew, which rebuilds the recommendation index from the open
 * vacancies (a vacancy closed unheard leaves it too).
 */
void kd_notifications_on_listening(kd_db_pool *pool, void *arg)
{
	(void)pool;
	kd_app *app = arg;
	fprintf(stderr, "level=info msg=\"listening for changes; cached tokens and vacancies"
		" read again\"\n");
	kd_token_cache_forget(app->tokens, NULL);
	kd_app_load_reference(app);
}
