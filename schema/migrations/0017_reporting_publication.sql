-- The national reporting copy (docs/reporting.md): a logical replication
-- publication that carries what national labour figures need and nothing
-- that names, or could find, a person.  A second PostgreSQL subscribes to
-- it with the tables of schema/reporting/subscriber.sql.
--
-- Left out, table by table, and why:
--   seekers     NIK hash and masked NIK, name, birth date, phone (who the
--               person is); registration code (their credential); village,
--               coordinates and location_given (where they live); disability
--               and guardian consent (health, and that they are a minor);
--               unknown_skills (free text); max_distance_km, consent and
--               registered_by (the kiosk's token: where and when they came);
--               registered_at, replaced by its month (below).
--   vacancies   title (free text, may name a person), village and
--               coordinates (kecamatan is enough for regional figures).
--   employers   name and contact person, phone and e-mail; village.
--   matches,    score and distance: with the vacancy's place known, a
--   placements  distance draws a circle through the seeker's home, and the
--               score is computed from it; decided_by (a token).
--   match_runs  policy, stats, error (an operator's free text) and
--               requested_by.
-- Not published at all: desa (no published row refers to a village),
-- api_tokens, audit_log, idempotency_keys, sms_*, unplaced_listed,
-- unplaced_counts and every other table.
--
-- Every table has an explicit column list, so a column added later stays
-- out of the copy until someone adds it here on purpose.  Each list holds
-- the table's primary key: PostgreSQL refuses UPDATE and DELETE on a
-- published table whose replica identity the list does not cover, which
-- is also why no row filter is used (a filter on seekers.status would need
-- REPLICA IDENTITY FULL, that is every column, personal ones included).
-- Erasure therefore reaches the copy as the row's status becoming 'erased';
-- the copy never held what erasure destroys.
--
-- Publishing costs nothing while nobody subscribes: no replication slot,
-- so no WAL is kept back.  Subscribing needs wal_level = logical on this
-- server (docs/deploy.md).

-- The month a seeker registered, in UTC: the national figures count
-- registrations by month, and the exact time, with the kecamatan, could
-- single out whoever was at a kiosk at that moment.  A column kept by a
-- trigger, because PostgreSQL 15 does not replicate generated columns;
-- the trigger also covers COPY.  The default is only for tables made LIKE
-- seekers, which get no trigger: the demo's staging table holds rows
-- before they are inserted here, where the trigger sets the month.
-- Existing rows get theirs from a change of type that rewrites the table
-- once, with its indexes rebuilt in bulk: for 200,000 seekers 2 to 3.5 s,
-- where an UPDATE of every row took 13.6 s.
ALTER TABLE seekers ADD COLUMN registered_month date;
ALTER TABLE seekers
	ALTER COLUMN registered_month TYPE date
		USING date_trunc('month', registered_at AT TIME ZONE 'UTC')::date,
	ALTER COLUMN registered_month SET DEFAULT date_trunc('month', now() AT TIME ZONE 'UTC')::date,
	ALTER COLUMN registered_month SET NOT NULL;

CREATE FUNCTION seekers_set_registered_month() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.registered_month := date_trunc('month', NEW.registered_at AT TIME ZONE 'UTC')::date;
	RETURN NEW;
END
$$;
CREATE TRIGGER seekers_set_registered_month BEFORE INSERT ON seekers
	FOR EACH ROW EXECUTE FUNCTION seekers_set_registered_month();

-- publish_via_partition_root: a table partitioned later (matches, by run)
-- keeps arriving under its own name, not under one name per partition.
CREATE PUBLICATION kerjadekat_reporting FOR TABLE
	provinces (code, name),
	regencies (code, province_code, name, kind),
	kecamatan (code, name, lat, lon),
	skills (id, code, label_id, label_en, sector),
	employers (id, kbli_code, kecamatan_code, created_at),
	seekers (id, gender, kecamatan_code, education, skill_ids, experience_years, status,
		registered_month),
	vacancies (id, employer_id, kbji_code, kecamatan_code, required_skill_ids,
		optional_skill_ids, min_education, openings, filled, wage_min, wage_max, closes_on,
		disability_friendly, status, created_at, updated_at),
	match_runs (id, mode, state, started_at, finished_at, seekers, vacancies, assigned,
		same_kecamatan),
	matches (run_id, seeker_id, vacancy_id, same_kecamatan, matched_skills,
		missing_optional_skills),
	placements (id, run_id, seeker_id, vacancy_id, employer_id, state, offered_at, decide_by,
		decided_at, reason_code, same_kecamatan, matched_skills)
WITH (publish_via_partition_root = true);

-- The rights the subscriber's login needs on this server, and no more: a
-- table's first copy is a COPY of the published columns, which column
-- privileges allow, so this login cannot read a name even with psql.  The
-- login itself (LOGIN REPLICATION, a member of this role) is made by the
-- administrator (docs/reporting.md).
DO $$
BEGIN
	CREATE ROLE kerjadekat_reporting NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END
$$;
GRANT USAGE ON SCHEMA public TO kerjadekat_reporting;
GRANT SELECT (code, name) ON provinces TO kerjadekat_reporting;
GRANT SELECT (code, province_code, name, kind) ON regencies TO kerjadekat_reporting;
GRANT SELECT (code, name, lat, lon) ON kecamatan TO kerjadekat_reporting;
GRANT SELECT (id, code, label_id, label_en, sector) ON skills TO kerjadekat_reporting;
GRANT SELECT (id, kbli_code, kecamatan_code, created_at) ON employers TO kerjadekat_reporting;
GRANT SELECT (id, gender, kecamatan_code, education, skill_ids, experience_years, status,
	registered_month) ON seekers TO kerjadekat_reporting;
GRANT SELECT (id, employer_id, kbji_code, kecamatan_code, required_skill_ids,
	optional_skill_ids, min_education, openings, filled, wage_min, wage_max, closes_on,
	disability_friendly, status, created_at, updated_at) ON vacancies TO kerjadekat_reporting;
GRANT SELECT (id, mode, state, started_at, finished_at, seekers, vacancies, assigned,
	same_kecamatan) ON match_runs TO kerjadekat_reporting;
GRANT SELECT (run_id, seeker_id, vacancy_id, same_kecamatan, matched_skills,
	missing_optional_skills) ON matches TO kerjadekat_reporting;
GRANT SELECT (id, run_id, seeker_id, vacancy_id, employer_id, state, offered_at, decide_by,
	decided_at, reason_code, same_kecamatan, matched_skills) ON placements TO kerjadekat_reporting;
