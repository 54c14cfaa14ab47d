#include "db/statements.h"

#include <stddef.h>

#include "kd.h"

/* A timestamp in RFC 3339, UTC, to the second. */
#define UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* A pending offer whose deadline has passed is expired, timer or not. */
#define PLACEMENT_STATE \
	"CASE WHEN p.state = 'pending' AND p.decide_by <= now() THEN 'expired' ELSE p.state END"

/* Whether the employer still needs the person's details: while the offer
 * is open and once the person is hired, not after it ended otherwise. */
#define PLACEMENT_LIVE "(" PLACEMENT_STATE ") IN ('pending', 'accepted')"

/*
 * A placement as employers and admins see it, as compact JSON, from p (a
 * placements row), v (its vacancy) and s (its seeker).  The statement
 * builds the answer itself so that the text sent, and stored under an
 * Idempotency-Key, is one and the same.  The seeker is named by id; name,
 * phone and the rest only while the placement is live.  Never the
 * registration code: it is the seeker's own credential.
 */
#define PLACEMENT_ITEM \
	"(SELECT row_to_json(i) FROM (SELECT p.id, p.run_id, p.vacancy_id," \
	" v.title AS vacancy_title, " PLACEMENT_STATE " AS state," \
	" " UTC("p.offered_at") " AS offered_at, " UTC("p.decide_by") " AS decide_by," \
	" " UTC("p.decided_at") " AS decided_at, p.reason_code, p.score, p.distance_km," \
	" p.same_kecamatan, p.matched_skills, CASE WHEN " PLACEMENT_LIVE \
	" THEN (SELECT row_to_json(x) FROM (SELECT s.id," \
	" s.full_name, s.phone, s.education, s.experience_years," \
	" s.kecamatan_code, s.desa_code, s.disability) x)" \
	" ELSE json_build_object('id', s.id) END AS seeker) i)"

/*
 * One page of placements, $1 state or NULL, $2 vacancy or NULL, $3 the
 * cursor (last id seen), $4 the page size, $5 the request id; where
 * selects whose placements.  A page that shows anybody's personal data is
 * written to audit_log, with the ids of the placements that showed it, in
 * the same statement, so no such read goes unrecorded.
 */
#define PLACEMENT_PAGE(where, token, audit_target) \
	"WITH page AS (SELECT p.id, " PLACEMENT_LIVE " AS live, " PLACEMENT_ITEM "::text AS item" \
	" FROM placements p" PLACEMENT_JOINS " WHERE " where " AND p.id > $3" \
	" AND ($2::bigint IS NULL OR p.vacancy_id = $2)" \
	" AND ($1::text IS NULL OR " PLACEMENT_STATE " = $1)" \
	" ORDER BY p.id LIMIT $4)," \
	" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)" \
	" SELECT " token ", 'placements.read', " audit_target " || ':' ||" \
	" string_agg(id::text, ',' ORDER BY id), $5 FROM page WHERE live HAVING count(*) > 0)" \
	" SELECT id, item FROM page ORDER BY id"

#define PLACEMENT_JOINS \
	" JOIN vacancies v ON v.id = p.vacancy_id JOIN seekers s ON s.id = p.seeker_id"

/* A placement as the seeker sees it: nothing about the person. */
#define STATUS_ITEM \
	"(SELECT row_to_json(i) FROM (SELECT p.id, " PLACEMENT_STATE " AS state," \
	" v.title AS vacancy_title, e.name AS employer_name, v.kecamatan_code," \
	" k.name AS kecamatan_name, p.distance_km, " UTC("p.offered_at") " AS offered_at," \
	" " UTC("p.decide_by") " AS decide_by, " UTC("p.decided_at") " AS decided_at) i)"

#define STATUS_JOINS \
	" JOIN vacancies v ON v.id = p.vacancy_id JOIN employers e ON e.id = v.employer_id" \
	" JOIN kecamatan k ON k.code = v.kecamatan_code"

static const kd_stmt_def statements[KD_STMT_COUNT] = {
	/* What serve checks on every new connection: schema, durability, and
	 * the settings that would copy statement parameters (personal data)
	 * into the server log; auto_explain's is NULL when it is not loaded. */
	[KD_STMT_SCHEMA_VERSION] = { "schema_version",
		"SELECT coalesce(max(version), 0), current_setting('fsync'),"
		" current_setting('synchronous_commit'), current_setting('full_page_writes'),"
		" current_setting('log_parameter_max_length'),"
		" current_setting('log_parameter_max_length_on_error'),"
		" current_setting('log_error_verbosity'), current_setting('debug_print_plan'),"
		" current_setting('auto_explain.log_min_duration', true)"
		" FROM schema_migrations", 0 },
	/* The regions of the service area only (schema/migrations/0015): what
	 * the daemon offers and accepts follows the area. */
	[KD_STMT_LOAD_KECAMATAN] = { "load_kecamatan",
		"SELECT k.code, k.name, k.lat, k.lon FROM kecamatan k"
		" JOIN service_area a ON a.regency_code = k.regency_code ORDER BY k.code", 0 },
	[KD_STMT_LOAD_DESA] = { "load_desa",
		"SELECT d.code, d.name, d.kind, d.lat, d.lon FROM desa d"
		" JOIN kecamatan k ON k.code = d.kecamatan_code"
		" JOIN service_area a ON a.regency_code = k.regency_code ORDER BY d.code", 0 },
	[KD_STMT_LOAD_SKILLS] = { "load_skills",
		"SELECT id, code, label_id, label_en, sector FROM skills ORDER BY id", 0 },
	[KD_STMT_LOAD_SYNONYMS] = { "load_synonyms",
		"SELECT skill_id, synonym FROM skill_synonyms ORDER BY synonym", 0 },
	[KD_STMT_LOAD_REGENCIES] = { "load_regencies",
		"SELECT r.code, r.name, r.kind, r.province_code, p.name, r.lat, r.lon"
		" FROM service_area a JOIN regencies r ON r.code = a.regency_code"
		" JOIN provinces p ON p.code = r.province_code ORDER BY r.code", 0 },
	[KD_STMT_TOKEN_LOOKUP] = { "token_lookup",
		"SELECT id, secret_hash, role, employer_id FROM api_tokens"
		" WHERE key_id = $1 AND revoked_at IS NULL", 1 },
	/* A repeated NIK inserts nothing and counts 0: the caller answers 409
	 * without aborting the other registrations sharing the transaction.
	 * With an Idempotency-Key ($23, NULL for none; $24 the request hash)
	 * the answer ($25 when created, $26 for a duplicate) is stored in the
	 * same transaction. */
	[KD_STMT_SEEKER_INSERT] = { "seeker_insert",
		"WITH created AS (INSERT INTO seekers (id, registration_code, nik_hash,"
		" nik_masked, full_name, birth_date, gender, phone, desa_code,"
		" kecamatan_code, lat, lon, location_given, education, skill_ids,"
		" unknown_skills, experience_years, max_distance_km, disability,"
		" guardian_consent, consent_version, consent_at, registered_by)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
		" $15, $16, $17, $18, $19, $20, $21, now(), $22)"
		" ON CONFLICT (nik_hash) DO NOTHING RETURNING id),"
		" outcome AS (SELECT count(*) AS n FROM created),"
		" remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,"
		" status, response, location) SELECT $22, $23, $24,"
		" CASE WHEN n > 0 THEN 201 ELSE 409 END, CASE WHEN n > 0 THEN $25 ELSE $26 END,"
		" (SELECT '/v1/seekers/' || id FROM created)"
		" FROM outcome WHERE $23::text IS NOT NULL)"
		" SELECT n FROM outcome", 26 },
	/* $2 and $3 (token and request id) are given for admins, whose reads
	 * of personal data are audited.  Never the registration code: it is the
	 * seeker's own credential, shown only in the registration's answer. */
	[KD_STMT_SEEKER_GET] = { "seeker_get",
		"WITH found AS (SELECT s.id, s.nik_masked, s.full_name,"
		" s.birth_date, s.gender, s.phone, s.desa_code, s.kecamatan_code,"
		" s.lat, s.lon, s.education, s.experience_years, s.max_distance_km,"
		" s.disability, s.guardian_consent, s.consent_version,"
		" to_char(s.consent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		" s.status, to_char(s.registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		" array_to_json(ARRAY(SELECT k.code FROM unnest(s.skill_ids) WITH ORDINALITY u(id, n)"
		"   JOIN skills k ON k.id = u.id ORDER BY u.n)),"
		" array_to_json(s.unknown_skills), s.registered_by"
		" FROM seekers s WHERE s.id = $1 AND s.status <> 'erased'),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $2, 'seeker.read', 'seeker:' || id, $3 FROM found WHERE $3::text IS NOT NULL)"
		" SELECT * FROM found", 3 },
	/* Erasure keeps what anonymous statistics need (kecamatan, village,
	 * education, skills, birth year, placements) and destroys the rest;
	 * the NIK hash becomes random so the person may register again. */
	[KD_STMT_SEEKER_ERASE] = { "seeker_erase",
		"WITH erased AS (UPDATE seekers s SET full_name = '', phone = '', nik_masked = '',"
		" registration_code = NULL,"
		" nik_hash = sha256(convert_to(gen_random_uuid()::text || s.id, 'UTF8')),"
		" birth_date = date_trunc('year', s.birth_date)::date, lat = d.lat, lon = d.lon,"
		" location_given = false, unknown_skills = '{}', max_distance_km = NULL,"
		" status = 'erased' FROM desa d"
		" WHERE d.code = s.desa_code AND s.id = $1 AND s.status <> 'erased' RETURNING s.id),"
		" forgotten AS (DELETE FROM idempotency_keys k USING erased"
		" WHERE k.response LIKE '{\"id\":' || erased.id || ',%'"
		" OR k.response LIKE '%,\"seeker\":{\"id\":' || erased.id || ',%'),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $2, 'seeker.erase', 'seeker:' || id, $3 FROM erased)"
		" SELECT id FROM erased", 3 },
	/* $8..$10: token, Idempotency-Key (or NULL) and request hash; the
	 * stored answer is the same text the daemon sends. */
	[KD_STMT_EMPLOYER_INSERT] = { "employer_insert",
		"WITH created AS (INSERT INTO employers (name, kbli_code, desa_code,"
		" kecamatan_code, contact_name, contact_phone, contact_email)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id),"
		" remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,"
		" status, response) SELECT $8, $9, $10, 201, '{\"id\":' || id || '}'"
		" FROM created WHERE $9::text IS NOT NULL),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $8, 'employer.create', 'employer:' || id, $11 FROM created)"
		" SELECT id FROM created", 11 },
	/* The employer must exist; a missing one inserts nothing.  $16..$18
	 * as for employer_insert. */
	[KD_STMT_VACANCY_INSERT] = { "vacancy_insert",
		"WITH created AS (INSERT INTO vacancies (employer_id, title, kbji_code,"
		" desa_code, kecamatan_code, lat, lon, required_skill_ids,"
		" optional_skill_ids, min_education, openings, wage_min, wage_max,"
		" closes_on, disability_friendly)"
		" SELECT e.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15"
		" FROM employers e WHERE e.id = $1 RETURNING id),"
		" remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,"
		" status, response) SELECT $16, $17, $18, 201, '{\"id\":' || id || '}'"
		" FROM created WHERE $17::text IS NOT NULL),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $16, 'vacancy.create', 'vacancy:' || id, $19 FROM created"
		" WHERE $19::text IS NOT NULL)"
		" SELECT id FROM created", 19 },
	/* $2 is the owning employer for employer tokens, NULL for admins;
	 * another employer's vacancy is not found, so ids do not leak. */
	[KD_STMT_VACANCY_UPDATE] = { "vacancy_update",
		"WITH changed AS (UPDATE vacancies SET openings = coalesce($3, openings),"
		" closes_on = CASE WHEN $4 THEN $5::date ELSE closes_on END,"
		" status = coalesce($6, status), updated_at = now()"
		" WHERE id = $1 AND ($2::bigint IS NULL OR employer_id = $2)"
		" RETURNING id, openings, closes_on, status),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $7, 'vacancy.update', 'vacancy:' || id, $8 FROM changed"
		" WHERE $8::text IS NOT NULL)"
		" SELECT * FROM changed", 8 },
	/* Keyset paging on id; $1 kecamatan or NULL, $2 skill id or NULL,
	 * $5 the employer an employer token is bound to, NULL otherwise. */
	[KD_STMT_VACANCY_LIST] = { "vacancy_list",
		"SELECT v.id, v.employer_id, e.name, v.title, v.kbji_code, v.desa_code,"
		" v.kecamatan_code, v.lat, v.lon, v.min_education, v.openings,"
		" v.wage_min, v.wage_max, v.closes_on, v.disability_friendly,"
		" array_to_json(ARRAY(SELECT k.code FROM unnest(v.required_skill_ids) WITH ORDINALITY u(id, n)"
		"   JOIN skills k ON k.id = u.id ORDER BY u.n)),"
		" array_to_json(ARRAY(SELECT k.code FROM unnest(v.optional_skill_ids) WITH ORDINALITY u(id, n)"
		"   JOIN skills k ON k.id = u.id ORDER BY u.n))"
		" FROM vacancies v JOIN employers e ON e.id = v.employer_id"
		" WHERE v.status = 'open' AND v.id > $3"
		" AND ($1::text IS NULL OR v.kecamatan_code = $1)"
		" AND ($2::int IS NULL OR (v.required_skill_ids || v.optional_skill_ids) @> ARRAY[$2::int])"
		" AND ($5::bigint IS NULL OR v.employer_id = $5)"
		" AND ($6::boolean IS NULL OR v.disability_friendly = $6)"
		" ORDER BY v.id LIMIT $4", 6 },
	/* A lookup that finds its key writes (replayed_at), so its commit
	 * waits for the synchronous standby like any write: the stored answer
	 * is replayed only once it is on two machines, even when the request
	 * that wrote it was cut off during that wait and left its row
	 * committed on the primary alone (docs/ha.md).  A read, even one that
	 * takes a transaction id, would not wait. */
	[KD_STMT_IDEMPOTENCY_GET] = { "idempotency_get",
		"UPDATE idempotency_keys SET replayed_at = now() WHERE token_id = $1 AND key = $2"
		" RETURNING request_hash, status, response, location", 2 },
	/* A run whose process died stays 'running'; nobody holds the run lock
	 * then (a live run keeps it for its whole length), so such rows are
	 * marked failed.  The minute spares a run just inserted. */
	[KD_STMT_MATCH_RUN_SWEEP] = { "match_run_sweep",
		"UPDATE match_runs SET state = 'failed', finished_at = now(),"
		" error = 'interrupted: the process running it stopped'"
		" WHERE state = 'running' AND started_at < now() - interval '1 minute'"
		" AND pg_try_advisory_xact_lock(hashtext('kerjadekat match'))", 0 },
	/* $5..$6: Idempotency-Key (or NULL) and request hash.  Answers the id
	 * and the 202 body the daemon sends, the text kept under the key. */
	[KD_STMT_MATCH_RUN_CREATE] = { "match_run_create",
		"WITH created AS (INSERT INTO match_runs (mode, policy, requested_by)"
		" VALUES ($1, $2, $3) RETURNING id),"
		" answer AS (SELECT id, '{\"id\":' || id || ',\"state\":\"running\"}' AS body"
		" FROM created),"
		" remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,"
		" status, response, location) SELECT $3, $5, $6, 202, body,"
		" '/v1/match-runs/' || id FROM answer WHERE $5::text IS NOT NULL),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $3, 'match_run.create', 'match_run:' || id, $4 FROM created)"
		" SELECT id, body FROM answer", 6 },
	[KD_STMT_MATCH_RUN_GET] = { "match_run_get",
		"SELECT id, mode, policy::text, state,"
		" to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
		" to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
		" seekers, vacancies, assigned, same_kecamatan, total_score, stats::text, error"
		" FROM match_runs WHERE id = $1", 1 },
	/* The in-memory recommendation index: the open vacancies of the
	 * service area a page at a time (ids above $1, at most $2 of them, in
	 * id order: the partial index vacancies_open walks them), or one.  A
	 * vacancy the area no longer holds (the area shrank after it was
	 * posted) is left to match runs, which see all. */
	[KD_STMT_RECOMMEND_VACANCIES] = { "recommend_vacancies",
		"SELECT v.id, v.kecamatan_code, v.lat, v.lon, v.min_education,"
		" v.required_skill_ids, v.optional_skill_ids, v.openings, v.wage_max,"
		" v.title, e.name FROM vacancies v JOIN employers e ON e.id = v.employer_id"
		" WHERE v.id > $1 AND v.status = 'open' AND v.openings > 0"
		" AND (v.closes_on IS NULL OR v.closes_on >= current_date)"
		" AND desa_in_service_area(v.desa_code) ORDER BY v.id LIMIT $2", 2 },
	[KD_STMT_RECOMMEND_VACANCY] = { "recommend_vacancy",
		"SELECT v.id, v.kecamatan_code, v.lat, v.lon, v.min_education,"
		" v.required_skill_ids, v.optional_skill_ids, v.openings, v.wage_max,"
		" v.title, e.name FROM vacancies v JOIN employers e ON e.id = v.employer_id"
		" WHERE v.id = $1 AND v.status = 'open' AND v.openings > 0"
		" AND (v.closes_on IS NULL OR v.closes_on >= current_date)"
		" AND desa_in_service_area(v.desa_code)", 1 },
	[KD_STMT_RECOMMEND_SEEKER] = { "recommend_seeker",
		"SELECT id, kecamatan_code, lat, lon, education, skill_ids, experience_years,"
		" max_distance_km, (extract(epoch FROM registered_at) * 1000000)::bigint,"
		" registered_by FROM seekers WHERE id = $1 AND status <> 'erased'", 1 },
	/* $1 batch size.  NULL when another daemon has the purge (0013). */
	[KD_STMT_IDEMPOTENCY_PURGE] = { "idempotency_purge",
		"SELECT idempotency_purge($1::int)", 1 },
	/* Keyset paging on id (PLACEMENT_PAGE); $6 the admin's token. */
	[KD_STMT_PLACEMENT_LIST] = { "placement_list",
		PLACEMENT_PAGE("true", "$6::bigint", "'placements'"), 6 },
	/* The same for one employer, $6 its token and $7 the employer it is
	 * bound to: the employer's own index, not a walk over every placement. */
	[KD_STMT_PLACEMENT_LIST_EMPLOYER] = { "placement_list_employer",
		PLACEMENT_PAGE("p.employer_id = $7", "$6::bigint",
			       "'employer:' || $7::bigint::text || ':placements'"), 7 },
	/* $1 placement, $2 the owning employer (NULL for admins), $3 the
	 * decision, $4 the reason or NULL, $5 token, $6..$7 Idempotency-Key
	 * (or NULL) and request hash, $8 request id for admins (audited).
	 * Only a pending offer within its deadline changes, so of two racing
	 * decisions one wins; acceptance moves an opening to filled and closes
	 * the vacancy with its last one.  Answers the item (NULL when nothing
	 * changed) and whether the placement is the caller's at all. */
	[KD_STMT_PLACEMENT_DECIDE] = { "placement_decide",
		"WITH target AS (SELECT p.id FROM placements p JOIN vacancies v ON v.id = p.vacancy_id"
		" WHERE p.id = $1 AND ($2::bigint IS NULL OR v.employer_id = $2)),"
		" decided AS (UPDATE placements p SET state = $3, decided_at = now(),"
		" decided_by = $5, reason_code = $4 FROM target t"
		" WHERE p.id = t.id AND p.state = 'pending' AND p.decide_by > now() RETURNING p.*),"
		" filled AS (UPDATE vacancies v SET openings = greatest(v.openings - 1, 0),"
		" filled = v.filled + 1,"
		" status = CASE WHEN v.openings <= 1 THEN 'closed' ELSE v.status END,"
		" updated_at = now() FROM decided d"
		" WHERE v.id = d.vacancy_id AND d.state = 'accepted' RETURNING v.id),"
		" answer AS (SELECT " PLACEMENT_ITEM "::text AS item FROM decided p" PLACEMENT_JOINS "),"
		" remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,"
		" status, response) SELECT $5, $6, $7, 200, item FROM answer"
		" WHERE $6::text IS NOT NULL),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $5, CASE WHEN $3 = 'accepted' THEN 'placement.accept'"
		" ELSE 'placement.reject' END, 'placement:' || id, $8 FROM decided"
		" WHERE $8::text IS NOT NULL)"
		" SELECT (SELECT item FROM answer), EXISTS (SELECT 1 FROM target),"
		" (SELECT count(*) FROM filled)", 8 },
	/* $1 batch size, $2 this daemon's interval in seconds.  NULL when
	 * another daemon has the expiry (0013). */
	[KD_STMT_PLACEMENT_EXPIRE] = { "placement_expire",
		"SELECT placement_expire($1::int, $2 * interval '1 second')", 2 },
	/* $1 most runs dropped.  NULL when another daemon has the round (0016). */
	[KD_STMT_RESULT_RETENTION] = { "result_retention",
		"SELECT result_retention_tick($1::int)", 1 },
	/* A wrong code and a wrong birth date both find no row. */
	[KD_STMT_STATUS_GET] = { "status_get",
		"SELECT row_to_json(r)::text FROM (SELECT s.registration_code,"
		" (SELECT coalesce(array_to_json(array_agg(" STATUS_ITEM " ORDER BY p.id)), '[]')"
		"  FROM placements p" STATUS_JOINS " WHERE p.seeker_id = s.id) AS placements"
		" FROM seekers s WHERE s.registration_code = $1 AND s.birth_date = $2::date"
		" AND s.status <> 'erased') r", 2 },
	/* $1 code, $2 birth date, $3 placement, $4 reason or NULL.  Answers the
	 * status item (NULL when nothing changed) and whether the placement is
	 * that person's.  The same decline again answers the item as it stands,
	 * so that a kiosk that lost the answer may simply send it again. */
	[KD_STMT_STATUS_DECLINE] = { "status_decline",
		"WITH person AS (SELECT id FROM seekers WHERE registration_code = $1"
		" AND birth_date = $2::date AND status <> 'erased'),"
		" target AS (SELECT p.id FROM placements p JOIN person ON person.id = p.seeker_id"
		" WHERE p.id = $3),"
		" declined AS (UPDATE placements p SET state = 'declined', decided_at = now(),"
		" reason_code = $4 FROM target t"
		" WHERE p.id = t.id AND p.state = 'pending' AND p.decide_by > now() RETURNING p.*)"
		" SELECT coalesce((SELECT " STATUS_ITEM "::text FROM declined p" STATUS_JOINS "),"
		" (SELECT " STATUS_ITEM "::text FROM placements p JOIN target t ON t.id = p.id"
		STATUS_JOINS " WHERE p.state = 'declined' AND p.decided_by IS NULL"
		" AND p.reason_code IS NOT DISTINCT FROM $4)),"
		" EXISTS (SELECT 1 FROM target)", 4 },
	/* $1 how many offers.  Queues the messages of match runs' newest
	 * offers (schema/migrations/0022_offer_messages_by_round.sql), at the
	 * start of an SMS round's transaction. */
	[KD_STMT_SMS_OFFERS] = { "sms_offers",
		"SELECT sms_queue_offers($1::integer)", 1 },
	/* $1 the batch size.  One round of the SMS timer in one transaction
	 * (schema/migrations/0012_sms.sql): inbox read, reminders queued,
	 * messages handed to Gammu, and the delivery totals. */
	[KD_STMT_SMS_TICK] = { "sms_tick",
		"SELECT inbox, reminders, handed, queued, sending, sent, failed"
		" FROM sms_tick($1::integer)", 1 },
	/*
	 * seeker_insert for several registrations in one statement: element i
	 * of $n is seeker_insert's $n for registration i.  Rows are
	 * inserted in order, so of two with one NIK the first is created and
	 * the second is a duplicate, as two seeker_inserts in a row would have
	 * it.  Answers (ord, n) per row, n as seeker_insert's.
	 */
	[KD_STMT_SEEKER_INSERT_BATCH] = { "seeker_insert_batch",
		"WITH input AS (SELECT ord, c1::bigint AS id, c2 AS code, c3::bytea AS nik_hash,"
		" c4 AS nik_masked, c5 AS full_name, c6::date AS birth_date, c7 AS gender,"
		" c8 AS phone, c9 AS desa_code, c10 AS kecamatan_code, c11::float8 AS lat,"
		" c12::float8 AS lon, c13::boolean AS location_given,"
		" c14::education_level AS education, c15::integer[] AS skill_ids,"
		" c16::text[] AS unknown_skills, c17::integer AS experience_years,"
		" c18::float8 AS max_distance_km, c19::boolean AS disability,"
		" c20::boolean AS guardian_consent, c21 AS consent_version,"
		" c22::bigint AS registered_by, c23 AS key, c24::bytea AS request_hash,"
		" c25 AS created_body, c26 AS duplicate_body"
		" FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
		" $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],"
		" $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],"
		" $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[],"
		" $24::text[], $25::text[], $26::text[]) WITH ORDINALITY AS t(c1, c2, c3, c4, c5,"
		" c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22,"
		" c23, c24, c25, c26, ord)),"
		" created AS (INSERT INTO seekers (id, registration_code, nik_hash,"
		" nik_masked, full_name, birth_date, gender, phone, desa_code,"
		" kecamatan_code, lat, lon, location_given, education, skill_ids,"
		" unknown_skills, experience_years, max_distance_km, disability,"
		" guardian_consent, consent_version, consent_at, registered_by)"
		" SELECT id, code, nik_hash, nik_masked, full_name, birth_date, gender, phone,"
		" desa_code, kecamatan_code, lat, lon, location_given, education, skill_ids,"
		" unknown_skills, experience_years, max_distance_km, disability,"
		" guardian_consent, consent_version, now(), registered_by"
		" FROM input ORDER BY ord"
		" ON CONFLICT (nik_hash) DO NOTHING RETURNING id, nik_hash),"
		" outcome AS (SELECT i.*, (c.id IS NOT NULL) AS made FROM input i"
		" LEFT JOIN created c ON c.id = i.id AND c.nik_hash = i.nik_hash),"
		" remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,"
		" status, response, location) SELECT registered_by, key, request_hash,"
		" CASE WHEN made THEN 201 ELSE 409 END,"
		" CASE WHEN made THEN created_body ELSE duplicate_body END,"
		" CASE WHEN made THEN '/v1/seekers/' || id END"
		" FROM outcome WHERE key IS NOT NULL ORDER BY ord)"
		" SELECT ord, CASE WHEN made THEN 1 ELSE 0 END::bigint AS n FROM outcome ORDER BY ord",
		26 },
};

const kd_stmt_def *kd_stmt_get(kd_stmt stmt)
{
	return (unsigned)stmt < KD_STMT_COUNT ? &statements[stmt] : NULL;
}

kd_stmt kd_stmt_batch_of(kd_stmt stmt)
{
	return stmt == KD_STMT_SEEKER_INSERT ? KD_STMT_SEEKER_INSERT_BATCH : KD_STMT_COUNT;
}
