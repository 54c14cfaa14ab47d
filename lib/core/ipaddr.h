/*
 * Client IP addresses for per-address limits: one 16-byte form for both
 * families (IPv4 as the mapped ::ffff:a.b.c.d, so a dual-stack socket and
 * an IPv4 one agree), the number a rate limiter keys on, and the address a
 * trusted reverse proxy reports in X-Forwarded-For.  Pure: no I/O, no
 * allocation; every pointer is borrowed for the call.
 */
#ifndef KD_IPADDR_H
#define KD_IPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct kd_ipaddr {
	uint8_t bytes[16];
} kd_ipaddr;

/*
 * Parses len bytes of text, an IPv4 dotted quad or an IPv6 literal (no
 * brackets, port or zone), into out.  Returns kd_ok() or kd_error(EINVAL).
 */
int kd_ipaddr_parse(const char *text, size_t len, kd_ipaddr *out);

/*
 * The address of sa, an AF_INET or AF_INET6 socket address, into out.
 * Returns kd_ok() or kd_error(EAFNOSUPPORT) for another family.
 */
int kd_ipaddr_from_sockaddr(const struct sockaddr *sa, kd_ipaddr *out);

bool kd_ipaddr_equal(const kd_ipaddr *a, const kd_ipaddr *b);

/*
 * A positive number standing for the client: an IPv4 address as itself
 * (plus one), an IPv6 one by a hash of its first 64 bits, the network one
 * host is given, so that a host cannot escape a limit by changing the low
 * bits of its address.
 */
int64_t kd_ipaddr_client(const kd_ipaddr *a);

/*
 * The last element of an X-Forwarded-For value (a comma-separated list of
 * addresses, the newest last), into out.  Only the last is worth anything:
 * the proxy appended it, while the elements before it are whatever the
 * client sent.  Returns kd_ok(), or kd_error(EINVAL) when that element is
 * not an address.
 */
int kd_ipaddr_last_forwarded(const char *value, kd_ipaddr *out);

#endif
