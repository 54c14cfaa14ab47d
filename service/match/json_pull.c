#include "match/json_pull.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* Longest string or number accepted: far above any field of a match input. */
#define MAX_TEXT (1 << 20)

enum expect {
	EXPECT_VALUE,
	EXPECT_VALUE_OR_CLOSE,
	EXPECT_KEY,
	EXPECT_KEY_OR_CLOSE,
	EXPECT_COMMA_OR_CLOSE,
	EXPECT_END,
	EXPECT_NOTHING,         /* after an error */
};

void kd_json_pull_init(kd_json_pull *r, FILE *in)
{
	r->pos = r->len = 0;
	r->line = 1;
	r->text = NULL;
	r->text_len = r->text_cap = 0;
	r->integer = false;
	r->depth = 0;
	r->expect = EXPECT_VALUE;
	r->error[0] = '\0';
	r->in = in;
}

void kd_json_pull_free(kd_json_pull *r)
{
	free(r->text);
	r->text = NULL;
}

static kd_json_token fail(kd_json_pull *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static kd_json_token fail(kd_json_pull *r, const char *fmt, ...)
{
	int n = snprintf(r->error, sizeof(r->error), "line %llu: ", (unsigned long long)r->line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error + n, sizeof(r->error) - (size_t)n, fmt, ap);
	va_end(ap);
	r->expect = EXPECT_NOTHING;
	return KD_JSON_ERROR;
}

/* The next byte without consuming it, or EOF. */
static int peek(kd_json_pull *r)
{
	if (r->pos == r->len) {
		r->len = fread(r->buf, 1, sizeof(r->buf), r->in);
		r->pos = 0;
		if (r->len == 0)
			return EOF;
	}
	return r->buf[r->pos];
}

static int take(kd_json_pull *r)
{
	int c = peek(r);
	if (c != EOF)
		r->pos++;
	return c;
}

static void skip_space(kd_json_pull *r)
{
	for (;;) {
		int c = peek(r);
		if (c == '\n')
			r->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return;
		r->pos++;
	}
}

static bool append(kd_json_pull *r, const char *bytes, size_t n)
{
	if (r->text_len + n + 1 > r->text_cap) {
		if (r->text_len + n + 1 > MAX_TEXT)
			return false;
		size_t cap = r->text_cap ? r->text_cap : 256;
		while (cap < r->text_len + n + 1)
			cap *= 2;
		char *text = realloc(r->text, cap);
		if (text == NULL)
			return false;
		r->text = text;
		r->text_cap = cap;
	}
	memcpy(r->text + r->text_len, bytes, n);
	r->text_len += n;
	r->text[r->text_len] = '\0';
	return true;
}

static int hex4(kd_json_pull *r)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int c = take(r), d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static bool append_code_point(kd_json_pull *r, unsigned cp)
{
	char out[4];
	size_t n;
	if (cp < 0x80) {
		out[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12), out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		out[0] = (char)(0xf0 | cp >> 18), out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), out[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return append(r, out, n);
}

/* A \uXXXX escape, joining a surrogate pair; lone surrogates are refused. */
static kd_json_token unicode_escape(kd_json_pull *r)
{
	int hi = hex4(r);
	if (hi < 0)
		return fail(r, "invalid \\u escape");
	unsigned cp = (unsigned)hi;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(r, "unpaired surrogate in \\u escape");
	if (hi >= 0xd800 && hi <= 0xdbff) {
		int lo = take(r) == '\\' && take(r) == 'u' ? hex4(r) : -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(r, "unpaired surrogate in \\u escape");
		cp = 0x10000 + (((unsigned)hi - 0xd800) << 10) + ((unsigned)lo - 0xdc00);
	}
	if (!append_code_point(r, cp))
		return fail(r, "string too long");
	return KD_JSON_STRING;
}

/*
 * Reads a string after its opening quote into text.  Printable ASCII is
 * copied in runs and needs no further check; anything else (UTF-8, escapes)
 * sends the whole string through kd_text_is_clean at the end.
 */
static kd_json_token string(kd_json_pull *r)
{
	static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	bool plain = true;
	r->text_len = 0;
	if (!append(r, "", 0))
		return fail(r, "out of memory");
	for (;;) {
		size_t start = r->pos;
		while (r->pos < r->len && r->buf[r->pos] != '"' && r->buf[r->pos] != '\\' &&
		       r->buf[r->pos] >= 0x20 && r->buf[r->pos] < 0x7f)
			r->pos++;
		if (!append(r, (const char *)r->buf + start, r->pos - start))
			return fail(r, "string too long");
		int c = take(r);
		if (c == '"')
			break;
		if (c == EOF)
			return fail(r, "unterminated string");
		if (c < 0x20)
			return fail(r, "control character in string");
		plain = false;
		if (c != '\\') {
			char ch = (char)c;
			if (!append(r, &ch, 1))
				return fail(r, "string too long");
			continue;
		}
		c = take(r);
		if (c == 'u') {
			if (unicode_escape(r) == KD_JSON_ERROR)
				return KD_JSON_ERROR;
			continue;
		}
		const char *e = c == EOF || c == 0 ? NULL : strchr(escapes, c);
		if (e == NULL || (e - escapes) % 2 != 0)
			return fail(r, "invalid string escape");
		if (!append(r, e + 1, 1))
			return fail(r, "string too long");
	}
	if (!plain && !kd_text_is_clean(r->text, r->text_len))
		return fail(r, "string is not clean UTF-8 text");
	return KD_JSON_STRING;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Appends the digits that follow, a buffered run at a time; false if none. */
static bool take_digits(kd_json_pull *r)
{
	bool any = false;
	while (is_digit(peek(r))) {
		size_t start = r->pos;
		while (r->pos < r->len && is_digit(r->buf[r->pos]))
			r->pos++;
		if (!append(r, (const char *)r->buf + start, r->pos - start))
			return false;
		any = true;
	}
	return any;
}

/* Takes the next byte if it is a or b. */
static bool take_char(kd_json_pull *r, char a, char b)
{
	int c = peek(r);
	if (c != a && c != b)
		return false;
	char ch = (char)take(r);
	return append(r, &ch, 1);
}

static kd_json_token number(kd_json_pull *r)
{
	r->text_len = 0;
	r->integer = true;
	take_char(r, '-', '-');
	if (peek(r) == '0') {
		take_char(r, '0', '0');
		if (is_digit(peek(r)))
			return fail(r, "leading zero in number");
	} else if (!take_digits(r)) {
		return fail(r, "invalid number");
	}
	if (take_char(r, '.', '.')) {
		r->integer = false;
		if (!take_digits(r))
			return fail(r, "invalid number");
	}
	if (take_char(r, 'e', 'E')) {
		r->integer = false;
		take_char(r, '+', '-');
		if (!take_digits(r))
			return fail(r, "invalid number");
	}
	return KD_JSON_NUMBER;
}

static kd_json_token literal(kd_json_pull *r, const char *word, kd_json_token token)
{
	for (const char *p = word; *p; p++)
		if (take(r) != *p)
			return fail(r, "invalid literal");
	return token;
}

static void after_value(kd_json_pull *r)
{
	r->expect = r->depth == 0 ? EXPECT_END : EXPECT_COMMA_OR_CLOSE;
}

static kd_json_token open_container(kd_json_pull *r, uint8_t kind)
{
	if (r->depth == KD_JSON_PULL_MAX_DEPTH)
		return fail(r, "nesting too deep");
	r->stack[r->depth++] = kind;
	r->expect = kind == '{' ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
	return kind == '{' ? KD_JSON_OBJECT_BEGIN : KD_JSON_ARRAY_BEGIN;
}

static kd_json_token close_container(kd_json_pull *r)
{
	uint8_t kind = r->stack[--r->depth];
	r->pos++;
	after_value(r);
	return kind == '{' ? KD_JSON_OBJECT_END : KD_JSON_ARRAY_END;
}

static kd_json_token value(kd_json_pull *r, int c)
{
	kd_json_token t;
	switch (c) {
	case '{':
	case '[':
		r->pos++;
		return open_container(r, (uint8_t)c);
	case '"':
		r->pos++;
		t = string(r);
		break;
	case 't':
		t = literal(r, "true", KD_JSON_TRUE);
		break;
	case 'f':
		t = literal(r, "false", KD_JSON_FALSE);
		break;
	case 'n':
		t = literal(r, "null", KD_JSON_NULL);
		break;
	default:
		if (c != '-' && !is_digit(c))
			return c == EOF ? fail(r, "unexpected end of input") :
					  fail(r, "expected a value");
		t = number(r);
	}
	if (t != KD_JSON_ERROR)
		after_value(r);
	return t;
}

kd_json_token kd_json_pull_next(kd_json_pull *r)
{
	skip_space(r);
	int c = peek(r);
	bool in_object = r->depth > 0 && r->stack[r->depth - 1] == '{';
	char close = in_object ? '}' : ']';
	switch (r->expect) {
	case EXPECT_NOTHING:
		return KD_JSON_ERROR;
	case EXPECT_END:
		return c == EOF ? KD_JSON_END : fail(r, "unexpected data after the document");
	case EXPECT_COMMA_OR_CLOSE:
		if (c == close)
			return close_container(r);
		if (c != ',')
			return fail(r, "expected ',' or '%c'", close);
		r->pos++;
		r->expect = in_object ? EXPECT_KEY : EXPECT_VALUE;
		return kd_json_pull_next(r);
	case EXPECT_KEY_OR_CLOSE:
	case EXPECT_KEY:
		if (c == '}' && r->expect == EXPECT_KEY_OR_CLOSE)
			return close_container(r);
		if (c != '"')
			return fail(r, "expected a string key");
		r->pos++;
		if (string(r) == KD_JSON_ERROR)
			return KD_JSON_ERROR;
		skip_space(r);
		if (take(r) != ':')
			return fail(r, "expected ':'");
		r->expect = EXPECT_VALUE;
		return KD_JSON_KEY;
	case EXPECT_VALUE_OR_CLOSE:
		if (c == ']')
			return close_container(r);
		return value(r, c);
	default:
		return value(r, c);
	}
}
