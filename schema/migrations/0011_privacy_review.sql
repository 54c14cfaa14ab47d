-- What a privacy and abuse review of the running service asked for.
--
-- 1. The registration code is the seeker's secret (with the birth date it
--    opens the seeker's status and can decline offers): operators' views
--    refer to a person by seeker id and name, never by the code.
-- 2. Cells that a spreadsheet would run as a formula are neutralised in
--    views made for CSV export.
-- 3. audit_log is append-only for every role but its owner.
-- 4. An employer's placements are found through an index of their own.

DROP VIEW match_latest;
CREATE VIEW match_latest AS
SELECT s.id AS seeker_id, s.nik_masked, s.full_name,
	s.kecamatan_code AS seeker_kecamatan, ks.name AS seeker_kecamatan_name,
	v.kecamatan_code AS vacancy_kecamatan, kv.name AS vacancy_kecamatan_name,
	v.title AS vacancy_title, e.name AS employer, round(m.distance_km::numeric, 1) AS distance_km,
	m.same_kecamatan, m.matched_skills, round(m.score::numeric, 4) AS score, m.run_id
FROM matches m
JOIN seekers s ON s.id = m.seeker_id
JOIN vacancies v ON v.id = m.vacancy_id
JOIN employers e ON e.id = v.employer_id
JOIN kecamatan ks ON ks.code = s.kecamatan_code
JOIN kecamatan kv ON kv.code = v.kecamatan_code
WHERE m.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done');

DROP VIEW unmatched_seekers;
CREATE VIEW unmatched_seekers AS
SELECT s.id AS seeker_id, s.nik_masked, s.full_name, s.kecamatan_code, k.name AS kecamatan_name,
	u.reason, u.run_id
FROM unmatched u
JOIN seekers s ON s.id = u.seeker_id
JOIN kecamatan k ON k.code = s.kecamatan_code
WHERE u.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done');

GRANT SELECT ON match_latest, unmatched_seekers TO kerjadekat_operator;

-- A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage
-- return as a formula (CSV injection); such a cell gets a leading
-- apostrophe, which spreadsheets show as text.  A plain number such as -5 is
-- left alone: it is no formula, and the apostrophe would turn it into text.
-- The daemon's `kerjadekat report` applies the same rule (lib/core/csv.c).
CREATE FUNCTION csv_safe(cell text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE
		WHEN cell ~ '^[=+@\t\r-]' AND cell !~ '^[+-]?[0-9]+(\.[0-9]+)?$' THEN '''' || cell
		ELSE cell
	END
$$;
GRANT EXECUTE ON FUNCTION csv_safe(text) TO kerjadekat_operator;

-- One export view per operator view whose text comes from clients (names,
-- titles): the same rows, every text cell through csv_safe().  They are
-- what operators \copy to a file a spreadsheet will open.
CREATE VIEW match_latest_csv AS
SELECT seeker_id, nik_masked, csv_safe(full_name) AS full_name,
	seeker_kecamatan, seeker_kecamatan_name, vacancy_kecamatan, vacancy_kecamatan_name,
	csv_safe(vacancy_title) AS vacancy_title, csv_safe(employer) AS employer, distance_km,
	same_kecamatan, matched_skills, score, run_id
FROM match_latest;

CREATE VIEW unmatched_seekers_csv AS
SELECT seeker_id, nik_masked, csv_safe(full_name) AS full_name, kecamatan_code,
	kecamatan_name, reason, run_id
FROM unmatched_seekers;

CREATE VIEW vacancy_fill_csv AS
SELECT vacancy_id, csv_safe(employer) AS employer, csv_safe(title) AS title, kecamatan_code,
	status, openings, placed, placed_same_kecamatan, unfilled
FROM vacancy_fill;

CREATE VIEW filled_vacancy_report_csv AS
SELECT vacancy_id, employer_id, csv_safe(employer_name) AS employer_name, kbli_code,
	csv_safe(title) AS title, kbji_code, kecamatan_code, kecamatan_name, min_education,
	wage_min, wage_max, headcount, filled, remaining, posted_on, closes_on, status
FROM filled_vacancy_report;

CREATE VIEW disability_inclusion_csv AS
SELECT employer_id, csv_safe(employer_name) AS employer_name, kbli_code, placed,
	placed_with_disability, disability_share_percent, quota_percent, quota_required,
	quota_met, open_disability_friendly_vacancies
FROM disability_inclusion;

GRANT SELECT ON match_latest_csv, unmatched_seekers_csv, vacancy_fill_csv,
	filled_vacancy_report_csv, disability_inclusion_csv TO kerjadekat_operator;

-- The trail must not be rewritten by the roles whose actions it records.
-- Grants are the first wall; the trigger is the second, and holds for a
-- role that is later granted more than it should be.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM kerjadekat_daemon, kerjadekat_operator, PUBLIC;

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_user <> (SELECT pg_get_userbyid(relowner) FROM pg_class
			    WHERE oid = TG_RELID) THEN
		RAISE EXCEPTION 'audit_log is append-only'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- An employer lists its own placements: the employer is copied from the
-- vacancy (which never changes employer), so the list walks an index of
-- that employer's rows instead of every placement through a join.
ALTER TABLE placements ADD COLUMN employer_id bigint REFERENCES employers (id);
UPDATE placements p SET employer_id = v.employer_id FROM vacancies v WHERE v.id = p.vacancy_id;
ALTER TABLE placements ALTER COLUMN employer_id SET NOT NULL;
CREATE INDEX placements_employer ON placements (employer_id, id);

CREATE FUNCTION placements_set_employer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	SELECT employer_id INTO NEW.employer_id FROM vacancies WHERE id = NEW.vacancy_id;
	RETURN NEW;
END
$$;
CREATE TRIGGER placements_set_employer BEFORE INSERT ON placements
	FOR EACH ROW EXECUTE FUNCTION placements_set_employer();
