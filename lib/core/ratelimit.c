#include "core/ratelimit.h"

#include <math.h>
#include <stdlib.h>

#define BUCKETS 1024
/* Past this many clients, those whose buckets are full again are dropped. */
#define MAX_CLIENTS 65536

typedef struct client_bucket {
	struct client_bucket *next;
	int64_t client;
	double tokens;
	uint64_t updated_ms;
} client_bucket;

struct kd_ratelimit {
	double per_ms;
	double burst;
	unsigned clients;
	client_bucket *buckets[BUCKETS];
};

kd_ratelimit *kd_ratelimit_new(double per_minute, double burst)
{
	if (!(per_minute > 0) || !(burst >= 1) || !isfinite(per_minute) || !isfinite(burst))
		return NULL;
	kd_ratelimit *limit = calloc(1, sizeof(*limit));
	if (limit) {
		limit->per_ms = per_minute / 60000.0;
		limit->burst = burst;
	}
	return limit;
}

void kd_ratelimit_free(kd_ratelimit *limit)
{
	if (limit == NULL)
		return;
	for (unsigned b = 0; b < BUCKETS; b++)
		for (client_bucket *c = limit->buckets[b], *next; c; c = next) {
			next = c->next;
			free(c);
		}
	free(limit);
}

static void refill(const kd_ratelimit *limit, client_bucket *c, uint64_t now_ms)
{
	if (now_ms > c->updated_ms) {
		c->tokens = fmin(limit->burst, c->tokens + (double)(now_ms - c->updated_ms) * limit->per_ms);
		c->updated_ms = now_ms;
	}
}

/* A full bucket carries no information: forgetting it changes nothing. */
static void forget_full(kd_ratelimit *limit, uint64_t now_ms)
{
	for (unsigned b = 0; b < BUCKETS; b++) {
		client_bucket **link = &limit->buckets[b];
		while (*link) {
			client_bucket *c = *link;
			refill(limit, c, now_ms);
			if (c->tokens >= limit->burst) {
				*link = c->next;
				free(c);
				limit->clients--;
			} else {
				link = &c->next;
			}
		}
	}
}

uint64_t kd_ratelimit_take(kd_ratelimit *limit, int64_t client, uint64_t now_ms)
{
	unsigned b = (unsigned)((uint64_t)client * 0x9e3779b97f4a7c15ULL >> 54) % BUCKETS;
	client_bucket *c = limit->buckets[b];
	while (c && c->client != client)
		c = c->next;
	if (c == NULL) {
		if (limit->clients >= MAX_CLIENTS)
			forget_full(limit, now_ms);
		c = malloc(sizeof(*c));
		if (c == NULL)
			return 0; /* failing open beats refusing every client */
		*c = (client_bucket){ .next = limit->buckets[b], .client = client,
				      .tokens = limit->burst, .updated_ms = now_ms };
		limit->buckets[b] = c;
		limit->clients++;
	}
	refill(limit, c, now_ms);
	if (c->tokens >= 1.0) {
		c->tokens -= 1.0;
		return 0;
	}
	return (uint64_t)ceil((1.0 - c->tokens) / limit->per_ms);
}
