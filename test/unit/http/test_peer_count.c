/*
 * The per-address connection count: counts follow adds and removes, an
 * address leaves with its last connection, the table refuses a new address
 * only when full, and a long random run agrees with a plain array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/ipaddr.h"
#include "http/peer_count.h"
#include "kd.h"

static int64_t client_of(const char *text)
{
	kd_ipaddr a;
	assert_int_equal(kd_ipaddr_parse(text, strlen(text), &a), kd_ok());
	return kd_ipaddr_client(&a);
}

static void test_counts_follow_connections(void **state)
{
	(void)state;
	kd_peer_count *count = kd_peer_count_new(8);
	assert_non_null(count);
	int64_t one = client_of("192.0.2.1"), two = client_of("192.0.2.2");
	assert_int_equal(kd_peer_count_get(count, one), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(kd_peer_count_add(count, one), kd_ok());
	assert_int_equal(kd_peer_count_add(count, two), kd_ok());
	assert_int_equal(kd_peer_count_get(count, one), 3);
	assert_int_equal(kd_peer_count_get(count, two), 1);
	assert_int_equal(kd_peer_count_peers(count), 2);

	kd_peer_count_remove(count, one);
	assert_int_equal(kd_peer_count_get(count, one), 2);
	kd_peer_count_remove(count, two);
	assert_int_equal(kd_peer_count_get(count, two), 0);
	assert_int_equal(kd_peer_count_peers(count), 1);
	/* An address that holds nothing is left alone, and others untouched. */
	kd_peer_count_remove(count, two);
	kd_peer_count_remove(count, client_of("198.51.100.7"));
	assert_int_equal(kd_peer_count_get(count, one), 2);
	assert_int_equal(kd_peer_count_peers(count), 1);
	kd_peer_count_free(count);
}

static void test_mapped_ipv4_counts_as_ipv4(void **state)
{
	(void)state;
	kd_peer_count *count = kd_peer_count_new(4);
	assert_non_null(count);
	assert_int_equal(kd_peer_count_add(count, client_of("127.0.0.1")), kd_ok());
	assert_int_equal(kd_peer_count_add(count, client_of("::ffff:127.0.0.1")), kd_ok());
	assert_int_equal(kd_peer_count_get(count, client_of("127.0.0.1")), 2);
	assert_int_equal(kd_peer_count_get(count, client_of("127.0.0.2")), 0);
	/* One IPv6 host is its /64: changing the low bits does not escape the count. */
	assert_int_equal(kd_peer_count_add(count, client_of("2001:db8:1:2::5")), kd_ok());
	assert_int_equal(kd_peer_count_get(count, client_of("2001:db8:1:2:ffff::9")), 1);
	assert_int_equal(kd_peer_count_peers(count), 2);
	kd_peer_count_free(count);
}

static void test_full_table_refuses_only_new_addresses(void **state)
{
	(void)state;
	kd_peer_count *count = kd_peer_count_new(3);
	assert_non_null(count);
	for (int64_t peer = 1; peer <= 3; peer++)
		assert_int_equal(kd_peer_count_add(count, peer), kd_ok());
	assert_int_equal(kd_peer_count_add(count, 4), kd_error(ENOSPC));
	assert_int_equal(kd_peer_count_get(count, 4), 0);
	assert_int_equal(kd_peer_count_add(count, 2), kd_ok());
	assert_int_equal(kd_peer_count_get(count, 2), 2);
	kd_peer_count_remove(count, 1);
	assert_int_equal(kd_peer_count_add(count, 4), kd_ok());
	assert_int_equal(kd_peer_count_peers(count), 3);
	kd_peer_count_free(count);
}

/*
 * Random adds and removes over more addresses than fit, against a plain
 * array: probe runs that cross removed slots must still find every address.
 */
static void test_agrees_with_an_array(void **state)
{
	(void)state;
	enum { MAX_PEERS = 64, ADDRESSES = 200, STEPS = 200000 };
	kd_peer_count *count = kd_peer_count_new(MAX_PEERS);
	assert_non_null(count);
	unsigned model[ADDRESSES] = { 0 };
	unsigned held = 0;
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	for (int step = 0; step < STEPS; step++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		unsigned a = (unsigned)(rng % ADDRESSES);
		/* Client numbers one apart, as neighbouring IPv4 addresses are. */
		int64_t peer = 0x0a000001 + (int64_t)a;
		/* Slightly more removes than adds, so addresses keep leaving. */
		if ((rng >> 32) % 20 < 9) {
			int rc = kd_peer_count_add(count, peer);
			if (model[a] == 0 && held == MAX_PEERS) {
				assert_int_equal(rc, kd_error(ENOSPC));
			} else {
				assert_int_equal(rc, kd_ok());
				held += model[a] == 0;
				model[a]++;
			}
		} else {
			kd_peer_count_remove(count, peer);
			if (model[a] > 0) {
				model[a]--;
				held -= model[a] == 0;
			}
		}
		if (step % 997 == 0)
			for (unsigned b = 0; b < ADDRESSES; b++)
				assert_int_equal(kd_peer_count_get(count, 0x0a000001 + (int64_t)b),
						 model[b]);
		assert_int_equal(kd_peer_count_peers(count), held);
	}
	kd_peer_count_free(count);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_follow_connections),
		cmocka_unit_test(test_mapped_ipv4_counts_as_ipv4),
		cmocka_unit_test(test_full_table_refuses_only_new_addresses),
		cmocka_unit_test(test_agrees_with_an_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
