#include "core/ipaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "kd.h"

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static void set_v4(kd_ipaddr *out, const void *four_bytes)
{
	memcpy(out->bytes, v4_mapped_prefix, sizeof(v4_mapped_prefix));
	memcpy(out->bytes + 12, four_bytes, 4);
}

static bool is_v4(const kd_ipaddr *a)
{
	return memcmp(a->bytes, v4_mapped_prefix, sizeof(v4_mapped_prefix)) == 0;
}

int kd_ipaddr_parse(const char *text, size_t len, kd_ipaddr *out)
{
	char buf[INET6_ADDRSTRLEN];
	if (len == 0 || len >= sizeof(buf))
		return kd_error(EINVAL);
	memcpy(buf, text, len);
	buf[len] = '\0';
	struct in_addr v4;
	if (inet_pton(AF_INET, buf, &v4) == 1) {
		set_v4(out, &v4);
		return kd_ok();
	}
	if (inet_pton(AF_INET6, buf, out->bytes) == 1)
		return kd_ok();
	return kd_error(EINVAL);
}

int kd_ipaddr_from_sockaddr(const struct sockaddr *sa, kd_ipaddr *out)
{
	if (sa->sa_family == AF_INET) {
		set_v4(out, &((const struct sockaddr_in *)sa)->sin_addr);
		return kd_ok();
	}
	if (sa->sa_family == AF_INET6) {
		memcpy(out->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return kd_ok();
	}
	return kd_error(EAFNOSUPPORT);
}

bool kd_ipaddr_equal(const kd_ipaddr *a, const kd_ipaddr *b)
{
	return memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

int64_t kd_ipaddr_client(const kd_ipaddr *a)
{
	if (is_v4(a)) {
		const uint8_t *b = a->bytes + 12;
		return 1 + ((int64_t)b[0] << 24 | (int64_t)b[1] << 16 | (int64_t)b[2] << 8 | b[3]);
	}
	/* FNV-1a; bit 33 set keeps IPv6 clients above every IPv4 one (at most 2^32). */
	uint64_t h = 14695981039346656037ull;
	for (int i = 0; i < 8; i++)
		h = (h ^ a->bytes[i]) * 1099511628211ull;
	return (int64_t)(h >> 1 | 1ull << 33);
}

int kd_ipaddr_last_forwarded(const char *value, kd_ipaddr *out)
{
	const char *start = strrchr(value, ',');
	start = start ? start + 1 : value;
	const char *end = start + strlen(start);
	while (*start == ' ' || *start == '\t')
		start++;
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return kd_ipaddr_parse(start, (size_t)(end - start), out);
}
