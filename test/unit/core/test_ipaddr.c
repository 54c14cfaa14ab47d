#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "core/ipaddr.h"
#include "kd.h"

static kd_ipaddr parsed(const char *text)
{
	kd_ipaddr a;
	assert_int_equal(kd_ipaddr_parse(text, strlen(text), &a), kd_ok());
	return a;
}

static void test_both_families_parse(void **state)
{
	(void)state;
	kd_ipaddr v4 = parsed("10.1.2.3");
	static const uint8_t mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3 };
	assert_memory_equal(v4.bytes, mapped, 16);
	kd_ipaddr same = parsed("::ffff:10.1.2.3");
	assert_true(kd_ipaddr_equal(&v4, &same));
	kd_ipaddr v6 = parsed("2001:db8::1");
	assert_int_equal(v6.bytes[0], 0x20);
	assert_int_equal(v6.bytes[15], 1);
	assert_false(kd_ipaddr_equal(&v4, &v6));
	/* Only len bytes count. */
	kd_ipaddr a;
	assert_int_equal(kd_ipaddr_parse("10.1.2.3:8080", 8, &a), kd_ok());
	assert_true(kd_ipaddr_equal(&a, &v4));
}

static void test_what_is_not_an_address_is_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "10.1.2", "10.1.2.256", "10.1.2.3:80", "[::1]", "fe80::1%eth0", "unknown",
		"2001:db8::1::2", " 10.1.2.3", "10.1.2.3 ",
		"0000:0000:0000:0000:0000:0000:0000:0000:0000",
	};
	kd_ipaddr a;
	for (size_t i = 0; i < KD_ARRAY_LEN(bad); i++)
		assert_int_equal(kd_ipaddr_parse(bad[i], strlen(bad[i]), &a), kd_error(EINVAL));
}

static void test_socket_addresses_match_their_text(void **state)
{
	(void)state;
	struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons(9) };
	inet_pton(AF_INET, "192.0.2.7", &in4.sin_addr);
	kd_ipaddr a;
	assert_int_equal(kd_ipaddr_from_sockaddr((struct sockaddr *)&in4, &a), kd_ok());
	kd_ipaddr text = parsed("192.0.2.7");
	assert_true(kd_ipaddr_equal(&a, &text));

	/* A dual-stack socket reports an IPv4 client as mapped: the same client. */
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	inet_pton(AF_INET6, "::ffff:192.0.2.7", &in6.sin6_addr);
	assert_int_equal(kd_ipaddr_from_sockaddr((struct sockaddr *)&in6, &a), kd_ok());
	assert_true(kd_ipaddr_equal(&a, &text));
	assert_int_equal(kd_ipaddr_client(&a), kd_ipaddr_client(&text));

	struct sockaddr unix_like = { .sa_family = AF_UNIX };
	assert_int_equal(kd_ipaddr_from_sockaddr(&unix_like, &a), kd_error(EAFNOSUPPORT));
}

static void test_client_numbers(void **state)
{
	(void)state;
	kd_ipaddr lowest = parsed("0.0.0.0"), highest = parsed("255.255.255.255");
	assert_int_equal(kd_ipaddr_client(&lowest), 1);
	assert_int_equal(kd_ipaddr_client(&highest), (int64_t)1 << 32);
	kd_ipaddr a = parsed("10.0.0.1"), b = parsed("10.0.0.2");
	assert_int_equal(kd_ipaddr_client(&b) - kd_ipaddr_client(&a), 1);

	/* Hosts of one /64 are one client; another /64 is another. */
	kd_ipaddr h1 = parsed("2001:db8:0:1::1"), h2 = parsed("2001:db8:0:1:ffff::9");
	kd_ipaddr other = parsed("2001:db8:0:2::1");
	assert_int_equal(kd_ipaddr_client(&h1), kd_ipaddr_client(&h2));
	assert_int_not_equal(kd_ipaddr_client(&h1), kd_ipaddr_client(&other));
	assert_true(kd_ipaddr_client(&h1) > kd_ipaddr_client(&highest));
	assert_true(kd_ipaddr_client(&other) > kd_ipaddr_client(&highest));
}

static void test_the_last_forwarded_address_counts(void **state)
{
	(void)state;
	kd_ipaddr a, want = parsed("198.51.100.4");
	assert_int_equal(kd_ipaddr_last_forwarded("198.51.100.4", &a), kd_ok());
	assert_true(kd_ipaddr_equal(&a, &want));
	/* What the client wrote before the proxy's own entry is ignored. */
	assert_int_equal(kd_ipaddr_last_forwarded("1.1.1.1, 8.8.8.8,  198.51.100.4 ", &a), kd_ok());
	assert_true(kd_ipaddr_equal(&a, &want));
	kd_ipaddr v6 = parsed("2001:db8::5");
	assert_int_equal(kd_ipaddr_last_forwarded("10.0.0.1,2001:db8::5", &a), kd_ok());
	assert_true(kd_ipaddr_equal(&a, &v6));

	assert_int_equal(kd_ipaddr_last_forwarded("", &a), kd_error(EINVAL));
	assert_int_equal(kd_ipaddr_last_forwarded("198.51.100.4,", &a), kd_error(EINVAL));
	assert_int_equal(kd_ipaddr_last_forwarded("198.51.100.4, unknown", &a), kd_error(EINVAL));
	assert_int_equal(kd_ipaddr_last_forwarded("[2001:db8::5]:443", &a), kd_error(EINVAL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_families_parse),
		cmocka_unit_test(test_what_is_not_an_address_is_refused),
		cmocka_unit_test(test_socket_addresses_match_their_text),
		cmocka_unit_test(test_client_numbers),
		cmocka_unit_test(test_the_last_forwarded_address_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
