#include "match/output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kd.h"

typedef struct writer {
	FILE *out;
	size_t n;
	bool failed;
	char buf[1 << 16];
} writer;

static void flush(writer *w)
{
	if (w->n > 0 && fwrite(w->buf, 1, w->n, w->out) != w->n)
		w->failed = true;
	w->n = 0;
}

static void put(writer *w, const char *s, size_t len)
{
	if (w->n + len > sizeof(w->buf))
		flush(w);
	if (len > sizeof(w->buf)) {
		if (fwrite(s, 1, len, w->out) != len)
			w->failed = true;
		return;
	}
	memcpy(w->buf + w->n, s, len);
	w->n += len;
}

static void puts_(writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Written by hand: a national run prints some 20 million of them. */
static void put_int(writer *w, int64_t v)
{
	char tmp[24];
	char *end = tmp + sizeof(tmp), *p = end;
	uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude > 0);
	if (v < 0)
		*--p = '-';
	put(w, p, (size_t)(end - p));
}

/* A fixed-point score: exactly the integer the matcher summed, in points. */
static void put_score(writer *w, int64_t units)
{
	char tmp[32];
	const char *sign = units < 0 ? "-" : "";
	uint64_t magnitude = units < 0 ? -(uint64_t)units : (uint64_t)units;
	int len = snprintf(tmp, sizeof(tmp), "%s%" PRIu64 ".%03" PRIu64, sign,
			   magnitude / KD_MATCH_SCORE_SCALE, magnitude % KD_MATCH_SCORE_SCALE);
	put(w, tmp, (size_t)len);
}

/* Kilometres and seconds, to the metre and the millisecond. */
static void put_decimal(writer *w, double x)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%.3f", x);
	put(w, tmp, (size_t)len);
}

/* A JSON string: runs that need no escape are copied whole. */
static void put_string(writer *w, const char *s)
{
	put(w, "\"", 1);
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		const unsigned char *run = p;
		while (*p != '\0' && *p != '"' && *p != '\\' && *p >= 0x20)
			p++;
		put(w, (const char *)run, (size_t)(p - run));
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\') {
			char esc[2] = { '\\', (char)*p };
			put(w, esc, 2);
		} else {
			char esc[8];
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			put(w, esc, 6);
		}
		p++;
	}
	put(w, "\"", 1);
}

static void put_skills(writer *w, const kd_match_source *src, const int32_t *ids, size_t n)
{
	put(w, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			put(w, ",", 1);
		put_string(w, src->skills.names[ids[i]]);
	}
	put(w, "]", 1);
}

static void put_assignment(writer *w, const kd_match_source *src,
			   const kd_match_assignment *a)
{
	const kd_match_seeker *s = &src->input.seekers[a->seeker];
	const kd_match_vacancy *v = &src->input.vacancies[a->vacancy];
	int32_t matched[2 * KD_MATCH_MAX_VACANCY_SKILLS], missing[KD_MATCH_MAX_VACANCY_SKILLS];
	size_t n_missing;
	size_t n_matched = kd_match_explain_skills(s, v, matched, missing, &n_missing);
	puts_(w, "{\"seeker_id\":");
	put_int(w, s->id);
	puts_(w, ",\"vacancy_id\":");
	put_int(w, v->id);
	puts_(w, ",\"score\":");
	put_score(w, a->score);
	puts_(w, ",\"distance_km\":");
	put_decimal(w, a->distance_km);
	puts_(w, a->same_kecamatan ? ",\"same_kecamatan\":true" : ",\"same_kecamatan\":false");
	puts_(w, ",\"matched_skills\":");
	put_skills(w, src, matched, n_matched);
	puts_(w, ",\"missing_optional_skills\":");
	put_skills(w, src, missing, n_missing);
	puts_(w, "}");
}

static void put_edge(writer *w, const kd_match_source *src, const kd_match_edge *e)
{
	puts_(w, "{\"seeker_id\":");
	put_int(w, src->input.seekers[e->seeker].id);
	puts_(w, ",\"vacancy_id\":");
	put_int(w, src->input.vacancies[e->vacancy].id);
	puts_(w, ",\"score\":");
	put_score(w, e->score);
	puts_(w, ",\"seeker_rank\":");
	put_int(w, e->seeker_rank);
	puts_(w, ",\"vacancy_rank\":");
	put_int(w, e->vacancy_rank);
	puts_(w, "}");
}

static void put_count(writer *w, const char *key, uint64_t n, bool last)
{
	put_string(w, key);
	put(w, ":", 1);
	put_int(w, (int64_t)n);
	if (!last)
		put(w, ",", 1);
}

static void put_stats(writer *w, const kd_match_result *r, const kd_match_output *o)
{
	static const char *const phases[KD_MATCH_PHASE_COUNT] = {
		"prepare", "candidates", "solve", "result",
	};
	const kd_match_stats *st = &r->stats;
	puts_(w, "\"stats\":{");
	put_count(w, "seekers", st->seekers, false);
	put_count(w, "seekers_complete", st->seekers_complete, false);
	put_count(w, "vacancies", st->vacancies, false);
	put_count(w, "vacancies_open", st->vacancies_open, false);
	put_count(w, "openings", st->openings, false);
	put_count(w, "candidate_pairs", st->edges, false);
	put_count(w, "assigned", st->assigned, false);
	put_count(w, "assigned_same_kecamatan", st->assigned_same_kecamatan, false);
	puts_(w, "\"mean_distance_km\":");
	if (st->assigned > 0)
		put_decimal(w, st->distance_km_sum / (double)st->assigned);
	else
		puts_(w, "null");
	puts_(w, ",\"unassigned\":{");
	put_count(w, "incomplete_profile", st->incomplete_profile, false);
	put_count(w, "no_feasible_vacancy", st->no_feasible_vacancy, false);
	put_count(w, "outcompeted", st->outcompeted, true);
	puts_(w, "}");
	if (o->timings) {
		puts_(w, ",\"seconds\":{\"read\":");
		put_decimal(w, o->read_seconds);
		for (int i = 0; i < KD_MATCH_PHASE_COUNT; i++) {
			puts_(w, ",");
			put_string(w, phases[i]);
			puts_(w, ":");
			put_decimal(w, st->phase_seconds[i]);
		}
		puts_(w, "}");
	}
	puts_(w, "}");
}

int kd_match_write_json(FILE *out, const kd_match_source *src, const kd_match_result *r,
			const kd_match_output *options)
{
	writer *w = malloc(sizeof(*w));
	if (w == NULL)
		return kd_error(ENOMEM);
	w->out = out;
	w->n = 0;
	w->failed = false;
	puts_(w, "{\"mode\":");
	put_string(w, kd_match_mode_name(r->mode));
	puts_(w, ",\n\"assignments\":[");
	for (size_t i = 0; i < r->n_assignments; i++) {
		puts_(w, i > 0 ? ",\n" : "\n");
		put_assignment(w, src, &r->assignments[i]);
	}
	puts_(w, "],\n\"unassigned\":[");
	for (size_t i = 0; i < r->n_unassigned; i++) {
		puts_(w, i > 0 ? ",\n{\"seeker_id\":" : "\n{\"seeker_id\":");
		put_int(w, src->input.seekers[r->unassigned[i].seeker].id);
		puts_(w, ",\"reason\":");
		put_string(w, kd_match_reason_name(r->unassigned[i].reason));
		puts_(w, "}");
	}
	puts_(w, "],\n\"total_score\":");
	put_score(w, r->total_score);
	puts_(w, ",\n");
	put_stats(w, r, options);
	if (options->edges) {
		puts_(w, ",\n\"edges\":[");
		for (size_t i = 0; i < r->n_edges; i++) {
			puts_(w, i > 0 ? ",\n" : "\n");
			put_edge(w, src, &r->edges[i]);
		}
		puts_(w, "]");
	}
	puts_(w, "}\n");
	flush(w);
	if (fflush(out) != 0)
		w->failed = true;
	int rc = w->failed ? kd_error(EIO) : kd_ok();
	free(w);
	return rc;
}
