/*
 * POST /v1/seekers (kiosk, admin) and GET /v1/seekers/{id} (admin, or the
 * kiosk that registered the seeker).
 *
 * The NIK never reaches the database: only its keyed hash (uniqueness) and
 * its masked form do.  Seeker ids and registration codes are random, so
 * neither can be guessed from another; the rare collision is retried.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "api/dbreq.h"
#include "api/idempotency.h"
#include "api/pgjson.h"
#include "api/query.h"
#include "api/respond.h"
#include "core/regcode.h"
#include "core/validate.h"
#include "daemon/app.h"
#include "handlers/handlers.h"
#include "handlers/insert_params.h"
#include "http/http_response.h"
#include "kd.h"

#define INSERT_ATTEMPTS 3
#define SEEKER_ID_LIMIT (1ULL << 53)

typedef struct seeker_create {
	kd_app *app;
	kd_http_request *req;
	kd_principal who;
	kd_reference *ref;   /* held: in points into it across round trips */
	kd_seeker_input in;
	int attempts;
	char id[24];
	char code[KD_REGCODE_SIZE];
	char *created;       /* the 201 body for this id and code */
	char *duplicate;     /* the 409 body */
} seeker_create;

static void seeker_create_free(seeker_create *sc)
{
	kd_seeker_input_release(&sc->in);
	kd_reference_release(sc->ref);
	free(sc->created);
	free(sc->duplicate);
	free(sc);
}

static void new_identity(seeker_create *sc)
{
	uint64_t id;
	do {
		randombytes_buf(&id, sizeof(id));
		id &= SEEKER_ID_LIMIT - 1;
	} while (id == 0);
	snprintf(sc->id, sizeof(sc->id), "%llu", (unsigned long long)id);
	uint8_t bits[KD_REGCODE_BITS_SIZE];
	randombytes_buf(bits, sizeof(bits));
	kd_regcode_format(bits, sc->code);
}

#define RECOMMENDATIONS_ON_RECEIPT 5
#define RECOMMENDATIONS_DEFAULT 10

/* The registration's nearby matches, for the kiosk to show at once. */
static json_t *receipt_recommendations(const seeker_create *sc)
{
	const kd_recommender *rec = sc->app->recommender;
	if (rec == NULL)
		return json_array();
	kd_recommend_seeker s = {
		.id = strtoll(sc->id, NULL, 10),
		.kecamatan_code = sc->in.place.desa->kecamatan->code,
		.lat = sc->in.place.lat,
		.lon = sc->in.place.lon,
		.education = sc->in.education,
		.skill_ids = sc->in.skill_ids,
		.skill_count = sc->in.skill_count,
		.experience_years = (unsigned)sc->in.experience_years,
		.max_distance_km = sc->in.max_distance_km,
		.registered_at_us = (int64_t)time(NULL) * 1000000,
	};
	return kd_recommender_for(rec, &s, RECOMMENDATIONS_ON_RECEIPT);
}

static json_t *created_body(const seeker_create *sc, const kd_skills *skills)
{
	json_t *known = json_array(), *unknown = json_array();
	for (size_t i = 0; i < sc->in.skill_count; i++) {
		const kd_skill *s = kd_skills_by_id(skills, sc->in.skill_ids[i]);
		json_array_append_new(known, json_pack("{s:s, s:s}", "code", s->code,
						       "label", s->label_id));
	}
	for (size_t i = 0; i < sc->in.unknown_skill_count; i++)
		json_array_append_new(unknown, json_string(sc->in.unknown_skills[i]));
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}",
			 "id", (json_int_t)strtoll(sc->id, NULL, 10),
			 "registration_code", sc->code,
			 "kecamatan_code", sc->in.place.desa->kecamatan->code,
			 "desa_code", sc->in.place.desa->code,
			 "skills", known, "unknown_skills", unknown,
			 "recommendations", receipt_recommendations(sc));
}

static void respond_created(const seeker_create *sc)
{
	char location[48];
	snprintf(location, sizeof(location), "Location: /v1/seekers/%s\r\n", sc->id);
	kd_metrics_registration(sc->app->metrics, sc->in.place.desa->kecamatan->code);
	kd_respond_text(sc->req, 201, sc->created, location);
}

static bool submit_insert(seeker_create *sc);

static void on_inserted(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	seeker_create *sc = arg;
	bool unique_violation = kd_dbreq_unique_violated(job, outcome);
	if (unique_violation && kd_idem_params_of(sc->req).key != NULL) {
		/* The key was stored by a twin request, or an id collided. */
		kd_idem_recheck(sc->req);
	} else if (unique_violation && ++sc->attempts < INSERT_ATTEMPTS) {
		/* id or registration code already taken: draw new ones. */
		if (submit_insert(sc))
			return;
	} else if (!kd_dbreq_failed(sc->req, job, outcome)) {
		if (strcmp(PQgetvalue(kd_db_job_result(job, 0), 0, 0), "0") == 0)
			kd_respond_text(sc->req, 409, sc->duplicate, NULL);
		else
			respond_created(sc);
	}
	seeker_create_free(sc);
}

/* Queues the INSERT; false after answering 503 (sc still the caller's). */
static bool submit_insert(seeker_create *sc)
{
	new_identity(sc);
	json_t *created = created_body(sc, sc->ref->skills);
	free(sc->created);
	sc->created = kd_respond_serialise(created);
	json_decref(created);
	if (sc->created == NULL) {
		kd_respond_unavailable(sc->req, KD_DB_UNAVAILABLE);
		return false;
	}
	kd_idem_params idem = kd_idem_params_of(sc->req);
	char registered_by[24];
	snprintf(registered_by, sizeof(registered_by), "%lld", (long long)sc->who.token_id);
	kd_seeker_params row;
	kd_seeker_params_fill(&row, sc->app->secret, &sc->in, sc->id, sc->code);
	row.params[21] = registered_by;
	row.params[22] = idem.key;
	row.params[23] = idem.request_hash;
	/* Only a keyed request's answers are stored; a batch of unkeyed ones
	 * would otherwise ship and parse every body as array elements. */
	row.params[24] = idem.key ? sc->created : NULL;
	row.params[25] = idem.key ? sc->duplicate : NULL;
	bool queued = kd_dbreq_submit(sc->app, sc->req, KD_STMT_SEEKER_INSERT,
				      KD_SEEKER_INSERT_PARAMS, row.params, on_inserted, sc);
	kd_seeker_params_clear(&row);
	return queued;
}

static void create_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			      const kd_route_params *params)
{
	(void)params;
	seeker_create *sc = calloc(1, sizeof(*sc));
	if (sc == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	sc->app = app;
	sc->req = req;
	sc->who = *who;
	sc->ref = kd_reference_hold(app->reference);
	kd_validate_ctx ctx = kd_app_validate_ctx(app);
	kd_field_error err;
	if (kd_validate_seeker(req->body, req->body_len, &ctx, &sc->in, &err) < 0) {
		kd_respond_field_error(req, &err);
		seeker_create_free(sc);
		return;
	}
	size_t len;
	sc->duplicate = kd_http_error_body("duplicate", "a seeker with this nik is already registered",
					   "nik", &len);
	if (sc->duplicate == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		seeker_create_free(sc);
		return;
	}
	if (!submit_insert(sc))
		seeker_create_free(sc);
}

static void create_keyed(kd_app *app, kd_http_request *req, const kd_principal *who,
			 const kd_route_params *params)
{
	if (!kd_app_rate_ok(app, app->registration_limit, req, who->token_id))
		return;
	kd_idem_begin(app, req, who, params, create_authorised);
}

void kd_handle_seeker_create(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_KIOSK | KD_ROLE_ADMIN, create_keyed);
}

/* A read of one seeker's row, for its registering kiosk or an admin. */
typedef struct seeker_read {
	kd_app *app;
	kd_http_request *req;
	kd_principal who;
	int limit;
} seeker_read;

/* A kiosk sees only whom it registered; anything else is "not found". */
static bool seeker_visible(const PGresult *res, int registered_by_column, const kd_principal *who)
{
	return PQntuples(res) == 1 &&
	       (who->role == KD_ROLE_ADMIN ||
		(!PQgetisnull(res, 0, registered_by_column) &&
		 strtoll(PQgetvalue(res, 0, registered_by_column), NULL, 10) == who->token_id));
}

/* Reads seeker id with stmt for cb; answers 503 itself when it cannot. */
static void seeker_read_submit(kd_app *app, kd_http_request *req, const kd_principal *who,
			       long long id, int limit, kd_stmt stmt, kd_db_job_cb cb)
{
	seeker_read *r = malloc(sizeof(*r));
	if (r == NULL) {
		kd_respond_unavailable(req, KD_DB_UNAVAILABLE);
		return;
	}
	*r = (seeker_read){ .app = app, .req = req, .who = *who, .limit = limit };
	char text[24], token[24];
	snprintf(text, sizeof(text), "%lld", id);
	snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
	/* Admins' reads of a person's record are audited. */
	bool audited = stmt == KD_STMT_SEEKER_GET;
	const char *params[] = { text, token, who->role == KD_ROLE_ADMIN ? req->request_id : NULL };
	if (!kd_dbreq_submit(app, req, stmt, audited ? 3 : 1, params, cb, r))
		free(r);
}

/* The columns of KD_STMT_SEEKER_GET as the answer names them; registered_by
 * follows them. */
static const char *const seeker_names[] = {
	"id", "nik_masked", "full_name", "birth_date", "gender",
	"phone", "desa_code", "kecamatan_code", "lat", "lon", "education",
	"experience_years", "max_distance_km", "disability", "guardian_consent",
	"consent_version", "consent_at", "status", "registered_at", "skills",
	"unknown_skills",
};
#define SEEKER_REGISTERED_BY_COLUMN ((int)(sizeof(seeker_names) / sizeof(seeker_names[0])))

static json_t *seeker_json(const PGresult *res)
{
	const char *const *names = seeker_names;
	json_t *(*const convert[])(const PGresult *, int, int) = {
		kd_pgjson_integer, kd_pgjson_text, kd_pgjson_text, kd_pgjson_text,
		kd_pgjson_text, kd_pgjson_text, kd_pgjson_text, kd_pgjson_text, kd_pgjson_real,
		kd_pgjson_real, kd_pgjson_text, kd_pgjson_integer, kd_pgjson_real, kd_pgjson_bool,
		kd_pgjson_bool, kd_pgjson_text, kd_pgjson_text, kd_pgjson_text, kd_pgjson_text,
		kd_pgjson_json, kd_pgjson_json,
	};
	json_t *v = json_object();
	_Static_assert(sizeof(convert) / sizeof(convert[0]) == SEEKER_REGISTERED_BY_COLUMN,
		       "one conversion per column");
	for (int c = 0; c < SEEKER_REGISTERED_BY_COLUMN; c++)
		json_object_set_new(v, names[c], convert[c](res, 0, c));
	return v;
}

static void on_seeker(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	seeker_read *g = arg;
	if (!kd_dbreq_failed(g->req, job, outcome)) {
		PGresult *res = kd_db_job_result(job, 0);
		if (seeker_visible(res, SEEKER_REGISTERED_BY_COLUMN, &g->who))
			kd_respond_json_with(g->req, 200, seeker_json(res),
					     "Cache-Control: no-store\r\n");
		else
			kd_respond_error(g->req, 404, "not_found", "no such seeker", NULL);
	}
	free(g);
}

static void get_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			   const kd_route_params *route)
{
	long long id;
	if (kd_respond_parse_id(req, route->value[0], &id))
		seeker_read_submit(app, req, who, id, 0, KD_STMT_SEEKER_GET, on_seeker);
}

void kd_handle_seeker_get(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_KIOSK | KD_ROLE_ADMIN, get_authorised);
}

static void on_profile(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	seeker_read *g = arg;
	if (!kd_dbreq_failed(g->req, job, outcome)) {
		PGresult *res = kd_db_job_result(job, 0);
		if (!seeker_visible(res, 9, &g->who)) {
			kd_respond_error(g->req, 404, "not_found", "no such seeker", NULL);
		} else {
			int skills[KD_SKILLS_MAX * 2];
			size_t n = 0;
			for (const char *p = PQgetvalue(res, 0, 5); *p && n < KD_ARRAY_LEN(skills);) {
				char *end;
				long v = strtol(p, &end, 10);
				if (end != p) {
					skills[n++] = (int)v;
					p = end;
				} else {
					p++;
				}
			}
			int education = kd_education_parse(PQgetvalue(res, 0, 4));
			kd_recommend_seeker s = {
				.id = strtoll(PQgetvalue(res, 0, 0), NULL, 10),
				.kecamatan_code = PQgetvalue(res, 0, 1),
				.lat = strtod(PQgetvalue(res, 0, 2), NULL),
				.lon = strtod(PQgetvalue(res, 0, 3), NULL),
				.education = education < 0 ? KD_EDU_NONE : (kd_education)education,
				.skill_ids = skills,
				.skill_count = n,
				.experience_years = (unsigned)atoi(PQgetvalue(res, 0, 6)),
				.max_distance_km = PQgetisnull(res, 0, 7) ? 0 : strtod(PQgetvalue(res, 0, 7), NULL),
				.registered_at_us = strtoll(PQgetvalue(res, 0, 8), NULL, 10),
			};
			json_t *list = g->app->recommender ?
				kd_recommender_for(g->app->recommender, &s, (size_t)g->limit) : json_array();
			kd_respond_json_with(g->req, 200,
					     json_pack("{s:I, s:o}", "seeker_id", (json_int_t)s.id,
						       "recommendations", list),
					     "Cache-Control: no-store\r\n");
		}
	}
	free(g);
}

static void recommendations_authorised(kd_app *app, kd_http_request *req,
				       const kd_principal *who, const kd_route_params *route)
{
	static const char *const allowed[] = { "limit", NULL };
	if (!kd_query_names_allowed(req, allowed))
		return;
	long long id;
	int limit;
	if (!kd_respond_parse_id(req, route->value[0], &id) ||
	    !kd_query_limit(req, RECOMMENDATIONS_DEFAULT, KD_RECOMMEND_MAX, &limit))
		return;
	seeker_read_submit(app, req, who, id, limit, KD_STMT_RECOMMEND_SEEKER, on_profile);
}

void kd_handle_seeker_recommendations(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_KIOSK | KD_ROLE_ADMIN, recommendations_authorised);
}

static void on_erased(kd_db_job *job, kd_db_outcome outcome, void *arg)
{
	kd_http_request *req = arg;
	if (kd_dbreq_failed(req, job, outcome))
		return;
	if (PQntuples(kd_db_job_result(job, 0)) == 0)
		kd_respond_error(req, 404, "not_found", "no such seeker", NULL);
	else
		kd_respond_no_content(req);
}

static void erase_authorised(kd_app *app, kd_http_request *req, const kd_principal *who,
			     const kd_route_params *route)
{
	long long id;
	if (!kd_respond_parse_id(req, route->value[0], &id))
		return;
	char text[24], token[24];
	snprintf(text, sizeof(text), "%lld", id);
	snprintf(token, sizeof(token), "%lld", (long long)who->token_id);
	const char *params[] = { text, token, req->request_id };
	kd_dbreq_submit(app, req, KD_STMT_SEEKER_ERASE, 3, params, on_erased, req);
}

void kd_handle_seeker_erase(kd_app *app, kd_http_request *req, const kd_route_params *p)
{
	kd_auth_require(app, req, p, KD_ROLE_ADMIN, erase_authorised);
}
