#include "db/statements.h"

#include <stddef.h>

#include "kd.h"

static const kd_stmt_def statements[KD_STMT_COUNT] = {
	/* What serve checks on every new connection: schema and durability. */
	[KD_STMT_SCHEMA_VERSION] = { "schema_version",
		"SELECT coalesce(max(version), 0), current_setting('fsync'),"
		" current_setting('synchronous_commit'), current_setting('full_page_writes')"
		" FROM schema_migrations", 0 },
	[KD_STMT_LOAD_KECAMATAN] = { "load_kecamatan",
		"SELECT code, name, lat, lon FROM kecamatan ORDER BY code", 0 },
	[KD_STMT_LOAD_DESA] = { "load_desa",
		"SELECT code, name, kind, lat, lon FROM desa ORDER BY code", 0 },
	[KD_STMT_LOAD_SKILLS] = { "load_skills",
		"SELECT id, code, label_id, label_en, sector FROM skills ORDER BY id", 0 },
	[KD_STMT_LOAD_SYNONYMS] = { "load_synonyms",
		"SELECT skill_id, synonym FROM skill_synonyms ORDER BY synonym", 0 },
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
		" status, response) SELECT $22, $23, $24,"
		" CASE WHEN n > 0 THEN 201 ELSE 409 END, CASE WHEN n > 0 THEN $25 ELSE $26 END"
		" FROM outcome WHERE $23::text IS NOT NULL)"
		" SELECT n FROM outcome", 26 },
	/* $2 and $3 (token and request id) are given for admins, whose reads
	 * of personal data are audited. */
	[KD_STMT_SEEKER_GET] = { "seeker_get",
		"WITH found AS (SELECT s.id, s.registration_code, s.nik_masked, s.full_name,"
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
		" WHERE k.response LIKE '{\"id\":' || erased.id || ',%'),"
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
		" ORDER BY v.id LIMIT $4", 5 },
	[KD_STMT_IDEMPOTENCY_GET] = { "idempotency_get",
		"SELECT request_hash, status, response FROM idempotency_keys"
		" WHERE token_id = $1 AND key = $2", 2 },
	/* A run whose process died stays 'running'; nobody holds the run lock
	 * then (a live run keeps it for its whole length), so such rows are
	 * marked failed.  The minute spares a run just inserted. */
	[KD_STMT_MATCH_RUN_SWEEP] = { "match_run_sweep",
		"UPDATE match_runs SET state = 'failed', finished_at = now(),"
		" error = 'interrupted: the process running it stopped'"
		" WHERE state = 'running' AND started_at < now() - interval '1 minute'"
		" AND pg_try_advisory_xact_lock(hashtext('kerjadekat match'))", 0 },
	[KD_STMT_MATCH_RUN_CREATE] = { "match_run_create",
		"WITH created AS (INSERT INTO match_runs (mode, policy, requested_by)"
		" VALUES ($1, $2, $3) RETURNING id),"
		" audited AS (INSERT INTO audit_log (token_id, action, target, request_id)"
		" SELECT $3, 'match_run.create', 'match_run:' || id, $4 FROM created)"
		" SELECT id FROM created", 4 },
	[KD_STMT_MATCH_RUN_GET] = { "match_run_get",
		"SELECT id, mode, policy::text, state,"
		" to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
		" to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
		" seekers, vacancies, assigned, same_kecamatan, total_score, stats::text, error"
		" FROM match_runs WHERE id = $1", 1 },
	/* The in-memory recommendation index: every open vacancy, or one. */
	[KD_STMT_RECOMMEND_VACANCIES] = { "recommend_vacancies",
		"SELECT v.id, v.kecamatan_code, v.lat, v.lon, v.min_education,"
		" v.required_skill_ids, v.optional_skill_ids, v.openings, v.wage_max,"
		" v.title, e.name FROM vacancies v JOIN employers e ON e.id = v.employer_id"
		" WHERE v.status = 'open' AND v.openings > 0"
		" AND (v.closes_on IS NULL OR v.closes_on >= current_date)", 0 },
	[KD_STMT_RECOMMEND_VACANCY] = { "recommend_vacancy",
		"SELECT v.id, v.kecamatan_code, v.lat, v.lon, v.min_education,"
		" v.required_skill_ids, v.optional_skill_ids, v.openings, v.wage_max,"
		" v.title, e.name FROM vacancies v JOIN employers e ON e.id = v.employer_id"
		" WHERE v.id = $1 AND v.status = 'open' AND v.openings > 0"
		" AND (v.closes_on IS NULL OR v.closes_on >= current_date)", 1 },
	[KD_STMT_RECOMMEND_SEEKER] = { "recommend_seeker",
		"SELECT id, kecamatan_code, lat, lon, education, skill_ids, experience_years,"
		" max_distance_km, (extract(epoch FROM registered_at) * 1000000)::bigint,"
		" registered_by FROM seekers WHERE id = $1 AND status <> 'erased'", 1 },
	[KD_STMT_IDEMPOTENCY_PURGE] = { "idempotency_purge",
		"DELETE FROM idempotency_keys WHERE created_at < now() - interval '7 days'", 0 },
};

const kd_stmt_def *kd_stmt_get(kd_stmt stmt)
{
	return (unsigned)stmt < KD_STMT_COUNT ? &statements[stmt] : NULL;
}
