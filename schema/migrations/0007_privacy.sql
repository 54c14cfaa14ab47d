-- Personal data protection (UU PDP 27/2022): erasure that keeps anonymous
-- statistics, an audit trail of admin actions, and database roles that see
-- only what they need.

ALTER TABLE seekers DROP CONSTRAINT seekers_status_check;
ALTER TABLE seekers ADD CONSTRAINT seekers_status_check
	CHECK (status IN ('active', 'inactive', 'erased'));
ALTER TABLE seekers DROP CONSTRAINT seekers_nik_masked_check;
ALTER TABLE seekers ADD CONSTRAINT seekers_nik_masked_check
	CHECK (nik_masked ~ '^[0-9]{4}\*{10}[0-9]{2}$' OR (status = 'erased' AND nik_masked = ''));
ALTER TABLE seekers ALTER COLUMN registration_code DROP NOT NULL;

-- Who did what, never with personal data: targets are ids.
CREATE TABLE audit_log (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	token_id bigint REFERENCES api_tokens (id),
	action text NOT NULL,
	target text NOT NULL,
	request_id text
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Roles are cluster-wide: databases migrated side by side may race to
-- create them, so both "exists" errors are expected.
DO $$
BEGIN
	CREATE ROLE kerjadekat_operator NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END
$$;
DO $$
BEGIN
	CREATE ROLE kerjadekat_daemon NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END
$$;

-- Operators (psql) read the views and the reference data, never the
-- tables that hold names, phones or NIK hashes.
GRANT USAGE ON SCHEMA public TO kerjadekat_operator, kerjadekat_daemon;
GRANT SELECT ON match_latest, unmatched_seekers, vacancy_fill, kecamatan_summary, skill_gaps,
	kecamatan, desa, skills, skill_synonyms TO kerjadekat_operator;

-- The daemon writes what the API writes and reads what it serves.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kerjadekat_daemon;
GRANT INSERT, UPDATE ON seekers, employers, vacancies, match_runs, matches, unmatched,
	idempotency_keys, audit_log TO kerjadekat_daemon;
GRANT DELETE ON idempotency_keys TO kerjadekat_daemon;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO kerjadekat_daemon;
