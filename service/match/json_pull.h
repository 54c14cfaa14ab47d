/*
 * A pull reader for JSON documents too large to hold as a tree: a run over
 * a million seekers would need gigabytes as jansson values, while this
 * reader holds one token at a time.  It checks the whole grammar (RFC 8259),
 * decodes string escapes and rejects strings that are not clean UTF-8
 * (core/text.h).
 */
#ifndef KD_JSON_PULL_H
#define KD_JSON_PULL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define KD_JSON_PULL_MAX_DEPTH 32

typedef enum kd_json_token {
	KD_JSON_ERROR = -1,
	KD_JSON_END,            /* the document is complete */
	KD_JSON_OBJECT_BEGIN,
	KD_JSON_OBJECT_END,
	KD_JSON_ARRAY_BEGIN,
	KD_JSON_ARRAY_END,
	KD_JSON_KEY,            /* text holds the key; the value follows */
	KD_JSON_STRING,         /* text holds the decoded string */
	KD_JSON_NUMBER,         /* text holds the number as written */
	KD_JSON_TRUE,
	KD_JSON_FALSE,
	KD_JSON_NULL,
} kd_json_token;

typedef struct kd_json_pull {
	FILE *in;               /* borrowed */
	unsigned char buf[1 << 16];
	size_t pos, len;
	uint64_t line;
	char *text;             /* owned; valid until the next call */
	size_t text_len, text_cap;
	bool integer;           /* the number has no fraction and no exponent */
	uint8_t stack[KD_JSON_PULL_MAX_DEPTH];
	int depth;
	int expect;
	char error[96];         /* set when KD_JSON_ERROR is returned */
} kd_json_pull;

/* Starts reading from in (borrowed, not closed). */
void kd_json_pull_init(kd_json_pull *r, FILE *in);

/* Frees the reader's buffers; r itself belongs to the caller. */
void kd_json_pull_free(kd_json_pull *r);

/*
 * The next token.  After KD_JSON_ERROR, r->error says what and on which
 * line ("line 3: expected ',' or '}'"), and every later call fails too.
 */
kd_json_token kd_json_pull_next(kd_json_pull *r);

#endif
