#include "metrics/exposition.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kd_expo_init(kd_expo *w)
{
	*w = (kd_expo){ 0 };
}

static bool reserve(kd_expo *w, size_t more)
{
	if (w->failed)
		return false;
	if (w->len + more + 1 <= w->cap)
		return true;
	size_t cap = w->cap ? w->cap : 4096;
	while (cap < w->len + more + 1)
		cap *= 2;
	char *buf = realloc(w->buf, cap);
	if (buf == NULL) {
		w->failed = true;
		return false;
	}
	w->buf = buf;
	w->cap = cap;
	return true;
}

static void put(kd_expo *w, const char *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void puts_raw(kd_expo *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Label values escape the quote too; HELP text only backslash and newline. */
static void put_escaped(kd_expo *w, const char *s, bool quote)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			put(w, "\\\\", 2);
		else if (*s == '\n')
			put(w, "\\n", 2);
		else if (*s == '"' && quote)
			put(w, "\\\"", 2);
		else
			put(w, s, 1);
	}
}

static void put_labels(kd_expo *w, const kd_expo_label *labels, size_t nlabels,
		       const char *le)
{
	if (nlabels == 0 && le == NULL)
		return;
	put(w, "{", 1);
	for (size_t i = 0; i < nlabels; i++) {
		if (i > 0)
			put(w, ",", 1);
		puts_raw(w, labels[i].name);
		put(w, "=\"", 2);
		put_escaped(w, labels[i].value, true);
		put(w, "\"", 1);
	}
	if (le) {
		if (nlabels > 0)
			put(w, ",", 1);
		put(w, "le=\"", 4);
		puts_raw(w, le);
		put(w, "\"", 1);
	}
	put(w, "}", 1);
}

/* Shortest text that reads back as the same double; Prometheus spells infinities. */
static void format_double(char *out, size_t outlen, double v)
{
	if (isnan(v)) {
		snprintf(out, outlen, "NaN");
	} else if (isinf(v)) {
		snprintf(out, outlen, v > 0 ? "+Inf" : "-Inf");
	} else {
		for (int precision = 1; precision <= 17; precision++) {
			snprintf(out, outlen, "%.*g", precision, v);
			if (strtod(out, NULL) == v)
				return;
		}
	}
}

void kd_expo_family(kd_expo *w, const char *name, kd_expo_type type, const char *help)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };
	puts_raw(w, "# HELP ");
	puts_raw(w, name);
	put(w, " ", 1);
	put_escaped(w, help, false);
	puts_raw(w, "\n# TYPE ");
	puts_raw(w, name);
	put(w, " ", 1);
	puts_raw(w, types[type]);
	put(w, "\n", 1);
}

static void sample_text(kd_expo *w, const char *name, const char *suffix,
			const kd_expo_label *labels, size_t nlabels, const char *le,
			const char *value)
{
	puts_raw(w, name);
	if (suffix)
		puts_raw(w, suffix);
	put_labels(w, labels, nlabels, le);
	put(w, " ", 1);
	puts_raw(w, value);
	put(w, "\n", 1);
}

void kd_expo_sample(kd_expo *w, const char *name, const kd_expo_label *labels, size_t nlabels,
		    double value)
{
	char text[32];
	format_double(text, sizeof(text), value);
	sample_text(w, name, NULL, labels, nlabels, NULL, text);
}

void kd_expo_sample_u64(kd_expo *w, const char *name, const kd_expo_label *labels,
			size_t nlabels, uint64_t value)
{
	char text[24];
	snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
	sample_text(w, name, NULL, labels, nlabels, NULL, text);
}

void kd_expo_histogram(kd_expo *w, const char *name, const kd_expo_label *labels,
		       size_t nlabels, const kd_histogram *h)
{
	char le[32], text[32];
	for (size_t i = 0; i <= h->nbounds; i++) {
		if (i < h->nbounds)
			format_double(le, sizeof(le), h->bounds[i]);
		else
			snprintf(le, sizeof(le), "+Inf");
		snprintf(text, sizeof(text), "%llu",
			 (unsigned long long)kd_histogram_cumulative(h, i));
		sample_text(w, name, "_bucket", labels, nlabels, le, text);
	}
	format_double(text, sizeof(text), h->sum);
	sample_text(w, name, "_sum", labels, nlabels, NULL, text);
	snprintf(text, sizeof(text), "%llu", (unsigned long long)h->count);
	sample_text(w, name, "_count", labels, nlabels, NULL, text);
}

char *kd_expo_finish(kd_expo *w, size_t *len)
{
	if (w->failed || !reserve(w, 0)) {
		kd_expo_discard(w);
		return NULL;
	}
	char *text = w->buf;
	*len = w->len;
	text[w->len] = '\0';
	*w = (kd_expo){ 0 };
	return text;
}

void kd_expo_discard(kd_expo *w)
{
	free(w->buf);
	*w = (kd_expo){ 0 };
}
