#include "http/http_scan.h"

#include <string.h>

bool kd_http_is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void kd_http_scan_reset(kd_http_scan *scan)
{
	memset(scan, 0, sizeof(*scan));
	scan->where = KD_SCAN_START;
}

static bool refuse(kd_http_scan *scan, int status, const char *message)
{
	scan->status = status;
	scan->message = message;
	return false;
}

/* The request line ends in " HTTP/" DIGIT "." DIGIT (RFC 9112 2.3). */
static bool has_version(const kd_http_scan *scan)
{
	static const char pattern[] = " HTTP/d.d";
	if (scan->line < KD_HTTP_SCAN_VERSION_LEN + 1)
		return false;
	for (size_t i = 0; i < KD_HTTP_SCAN_VERSION_LEN; i++) {
		size_t at = scan->line - KD_HTTP_SCAN_VERSION_LEN + i;
		char c = scan->version[at % KD_HTTP_SCAN_VERSION_LEN];
		if (pattern[i] == 'd' ? !(c >= '0' && c <= '9') : c != pattern[i])
			return false;
	}
	return true;
}

/* A CRLF ended the current line. */
static bool end_line(kd_http_scan *scan)
{
	switch (scan->where) {
	case KD_SCAN_START:
		/* RFC 9112 2.2: empty lines before the request line are ignored. */
		return true;
	case KD_SCAN_REQUEST_LINE:
		if (!has_version(scan))
			return refuse(scan, 400, "malformed request line");
		scan->where = KD_SCAN_LINE_START;
		return true;
	case KD_SCAN_VALUE:
		scan->where = KD_SCAN_LINE_START;
		return true;
	case KD_SCAN_LINE_START:
		scan->where = KD_SCAN_DONE;
		return true;
	case KD_SCAN_NAME:
		return refuse(scan, 400, "header line without colon");
	case KD_SCAN_DONE:
		break;
	}
	return refuse(scan, 400, "malformed header section");
}

static bool grow_line(kd_http_scan *scan, size_t max, int status, const char *message)
{
	if (++scan->line > max)
		return refuse(scan, status, message);
	return true;
}

static bool scan_byte(kd_http_scan *scan, const kd_http_limits *limits, unsigned char c)
{
	if (++scan->total > limits->max_header_bytes)
		return refuse(scan, 431, "header section too large");
	if (scan->after_cr) {
		if (c != '\n')
			return refuse(scan, 400, "carriage return without line feed");
		scan->after_cr = false;
		return end_line(scan);
	}
	if (c == '\r') {
		scan->after_cr = true;
		return true;
	}
	if (c == '\n')
		return refuse(scan, 400, "line feed without carriage return");

	switch (scan->where) {
	case KD_SCAN_START:
		scan->where = KD_SCAN_REQUEST_LINE;
		scan->line = 0;
		/* fall through */
	case KD_SCAN_REQUEST_LINE:
		if (is_ctl(c))
			return refuse(scan, 400, "control character in request line");
		scan->version[scan->line % KD_HTTP_SCAN_VERSION_LEN] = (char)c;
		return grow_line(scan, limits->max_request_line, 414, "request line too long");
	case KD_SCAN_LINE_START:
		if (c == ' ' || c == '\t')
			return refuse(scan, 400, "obsolete line folding");
		if (!kd_http_is_tchar(c))
			return refuse(scan, 400, "invalid header name");
		if (++scan->fields > limits->max_header_fields)
			return refuse(scan, 431, "too many header fields");
		scan->where = KD_SCAN_NAME;
		scan->line = 1;
		return true;
	case KD_SCAN_NAME:
		if (c == ':')
			scan->where = KD_SCAN_VALUE;
		else if (!kd_http_is_tchar(c))
			return refuse(scan, 400, "invalid header name");
		return grow_line(scan, limits->max_header_field, 431, "header field too large");
	case KD_SCAN_VALUE:
		if (is_ctl(c) && c != '\t')
			return refuse(scan, 400, "control character in header value");
		return grow_line(scan, limits->max_header_field, 431, "header field too large");
	case KD_SCAN_DONE:
		break;
	}
	return refuse(scan, 400, "malformed header section");
}

size_t kd_http_scan_feed(kd_http_scan *scan, const kd_http_limits *limits,
			 const char *data, size_t len)
{
	size_t i;
	for (i = 0; i < len && scan->where != KD_SCAN_DONE; i++) {
		if (!scan_byte(scan, limits, (unsigned char)data[i]))
			return i;
	}
	return i;
}
