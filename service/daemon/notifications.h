/*
 * What the daemon hears from the database: token revocations (drop the
 * cached token), vacancy changes (refresh that vacancy in the
 * recommendation index) and service area changes (read the reference data
 * again), on one listening connection of the pool.
 *
 * NOTIFY is not replicated and not queued for a session that is not
 * there: whatever was sent while the listening connection was away, or on
 * the old primary before a failover, is lost.  So each time that
 * connection is back, everything the notifications keep current is read
 * again instead.
 */
#ifndef KD_NOTIFICATIONS_H
#define KD_NOTIFICATIONS_H

#include "db/db_pool.h"

/* Sent by service_area_set() (schema/migrations/0015_regions_indonesia.sql). */
#define KD_AREA_CHANNEL "kd_service_area"

/* The channels, for kd_db_pool_options.listen (static, NULL-terminated). */
extern const char *const kd_notification_channels[];

/* kd_db_pool_options.on_notify; arg is the kd_app. */
void kd_notifications_on_notify(kd_db_pool *pool, const char *channel, const char *payload,
				void *arg);

/* kd_db_pool_options.on_listening; arg is the kd_app. */
void kd_notifications_on_listening(kd_db_pool *pool, void *arg);

#endif
