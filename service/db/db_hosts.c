#include "db/db_hosts.h"

#include <stdlib.h>
#include <string.h>

/* libpq's floor for connect_timeout, and a ceiling that keeps ms in range */
#define HOST_TIMEOUT_MIN_S 2
#define HOST_TIMEOUT_MAX_S 3600

static const char *option_value(const PQconninfoOption *options, const char *keyword)
{
	for (const PQconninfoOption *o = options; o && o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0)
			return o->val;
	return NULL;
}

/* Entries of a comma-separated libpq list; 0 when unset or empty. */
static int list_count(const char *list)
{
	if (list == NULL || list[0] == '\0')
		return 0;
	int n = 1;
	for (const char *p = list; *p; p++)
		n += *p == ',';
	return n;
}

/* Entry i (< list_count(list)) of such a list: where it starts, and its length. */
static const char *list_entry(const char *list, int i, size_t *len)
{
	const char *p = list;
	while (i-- > 0)
		p = strchr(p, ',') + 1;
	const char *end = strchr(p, ',');
	*len = end ? (size_t)(end - p) : strlen(p);
	return p;
}

int kd_db_hosts_count(const PQconninfoOption *options)
{
	int n = list_count(option_value(options, "hostaddr"));
	if (n == 0)
		n = list_count(option_value(options, "host"));
	return n > 0 ? n : 1;
}

/*
 * Whether entry i of a per-host list (n entries, or one for every host) can
 * be value.  An empty or missing entry matches anything: libpq puts its
 * default there.
 */
static bool entry_matches(const char *list, int i, int n, const char *value)
{
	int count = list_count(list);
	if (count == 0)
		return true;
	if (count != n)
		i = 0;
	size_t len;
	const char *entry = list_entry(list, i, &len);
	return len == 0 || (value != NULL && strlen(value) == len && memcmp(entry, value, len) == 0);
}

bool kd_db_hosts_on(const PQconninfoOption *options, int i, int n, const char *host,
		    const char *port)
{
	const char *hosts = option_value(options, "host");
	size_t len = 0;
	if (list_count(hosts) == n)
		list_entry(hosts, i, &len);
	const char *by = len > 0 ? hosts : option_value(options, "hostaddr");
	return entry_matches(by, i, n, host) &&
	       entry_matches(option_value(options, "port"), i, n, port);
}

unsigned kd_db_hosts_timeout_ms(const PQconninfoOption *options, unsigned fallback_ms)
{
	const char *text = option_value(options, "connect_timeout");
	char *end;
	long s = text ? strtol(text, &end, 10) : 0;
	if (text == NULL || end == text || s <= 0)
		return fallback_ms;
	if (s < HOST_TIMEOUT_MIN_S)
		s = HOST_TIMEOUT_MIN_S;
	if (s > HOST_TIMEOUT_MAX_S)
		s = HOST_TIMEOUT_MAX_S;
	return (unsigned)s * 1000u;
}

PGconn *kd_db_hosts_start_from(const PQconninfoOption *options, int from)
{
	int n = kd_db_hosts_count(options);
	int count = 0;
	for (const PQconninfoOption *o = options; o->keyword; o++)
		count++;
	const char **keywords = calloc((size_t)count + 1, sizeof(*keywords));
	const char **values = calloc((size_t)count + 1, sizeof(*values));
	char *lists[3] = { NULL, NULL, NULL };
	static const char *const per_host[3] = { "host", "hostaddr", "port" };
	bool ok = keywords != NULL && values != NULL;
	int k = 0;
	for (const PQconninfoOption *o = options; ok && o->keyword; o++) {
		if (o->val == NULL)
			continue;
		keywords[k] = o->keyword;
		values[k] = o->val;
		for (int l = 0; l < 3; l++) {
			/* a single port serves every host and stays as it is */
			if (strcmp(o->keyword, per_host[l]) == 0 && list_count(o->val) == n) {
				size_t len;
				lists[l] = strdup(list_entry(o->val, from, &len));
				values[k] = lists[l];
				ok = lists[l] != NULL;
			}
		}
		k++;
	}
	PGconn *pg = ok ? PQconnectStartParams(keywords, values, 0) : NULL;
	free(keywords);
	free(values);
	for (int l = 0; l < 3; l++)
		free(lists[l]);
	return pg;
}
