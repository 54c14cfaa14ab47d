-- What a match run keeps, sized by what is read rather than by the nation.
--
-- Until now a run wrote one `unmatched` row per seeker it did not place:
-- seven million rows a run at national size, deleted row by row.  Now:
--
--  * matches: one row per placement, as before, partitioned by run, now
--    with the seeker's kecamatan as the run read it, so that totals per
--    kecamatan need not look up each placed seeker;
--  * unplaced_counts: per run, how many seekers each reason left out in
--    each kecamatan (the operators' totals);
--  * unplaced_listed: per run, the seekers left out for incomplete_profile
--    and for the rarer of the two other reasons, partitioned by run.  The
--    more common reason is the run's unlisted_reason: a seeker the run read
--    who is neither placed nor listed was left out for it.  Who the run
--    read is known from seekers_as_of, the moment of its snapshot: active
--    seekers registered before it, without an offer pending or accepted
--    then (service/match/source_db.c reads exactly those).
--
-- A run's partitions are built as tables of their own inside the run's
-- transaction and attached just before it commits, which takes no lock that
-- stops readers; a failed run rolls them back with everything else.
-- Dropping an old run is dropping its two partitions (result_retention).
-- The partitions have no foreign keys: attaching one would lock the
-- seekers table against registrations, and the run writes ids it has just
-- read in the same snapshot.

ALTER TABLE match_runs
	ADD COLUMN seekers_as_of timestamptz,
	ADD COLUMN unlisted_reason text CHECK (unlisted_reason IN ('no_feasible_vacancy', 'outcompeted')),
	ADD COLUMN results_dropped_at timestamptz;

-- The views read the old tables; they are made again below.
DROP VIEW match_latest_csv, match_latest, unmatched_seekers_csv, unmatched_seekers,
	vacancy_fill_csv, vacancy_fill, kecamatan_summary;

ALTER TABLE matches RENAME TO matches_before_0016;
ALTER INDEX matches_pkey RENAME TO matches_before_0016_pkey;
ALTER INDEX matches_vacancy RENAME TO matches_before_0016_vacancy;
ALTER TABLE unmatched RENAME TO unmatched_before_0016;

CREATE TABLE matches (
	run_id bigint NOT NULL,
	seeker_id bigint NOT NULL,
	vacancy_id bigint NOT NULL,
	score double precision NOT NULL,
	distance_km double precision NOT NULL,
	same_kecamatan boolean NOT NULL,
	matched_skills text[] NOT NULL,
	missing_optional_skills text[] NOT NULL,
	seeker_kecamatan text NOT NULL,
	PRIMARY KEY (run_id, seeker_id)
) PARTITION BY LIST (run_id);
CREATE INDEX matches_vacancy ON matches (run_id, vacancy_id);

CREATE TABLE unplaced_listed (
	run_id bigint NOT NULL,
	seeker_id bigint NOT NULL,
	reason text NOT NULL CHECK (reason IN ('incomplete_profile', 'no_feasible_vacancy', 'outcompeted')),
	PRIMARY KEY (run_id, seeker_id)
) PARTITION BY LIST (run_id);

-- Small (kecamatan times three rows a run): not partitioned.
CREATE TABLE unplaced_counts (
	run_id bigint NOT NULL REFERENCES match_runs (id),
	kecamatan_code text NOT NULL,
	reason text NOT NULL CHECK (reason IN ('incomplete_profile', 'no_feasible_vacancy', 'outcompeted')),
	seekers integer NOT NULL CHECK (seekers > 0),
	PRIMARY KEY (run_id, kecamatan_code, reason)
);

-- Finds a seeker's earlier offers when telling whether a run read them.
CREATE INDEX placements_seeker ON placements (seeker_id, run_id);

-- Operators ask about one kecamatan.  The views that name placed or listed
-- seekers do not filter on status, so the index on active seekers alone
-- left them a scan of every seeker (test/bench/views, docs/operators.md);
-- this one serves both, and counts of active seekers from the index alone.
DROP INDEX seekers_kecamatan;
CREATE INDEX seekers_kecamatan_status ON seekers (kecamatan_code, status);
-- vacancy_fill and filled_vacancy_report name closed vacancies too.
CREATE INDEX vacancies_kecamatan ON vacancies (kecamatan_code);

-- Opens run p_run's result tables, matches_run_<id> and
-- unplaced_listed_run_<id>, for the run's own transaction to fill.  They
-- are owned by the schema's owner, as partitions must be, hence SECURITY
-- DEFINER; only a running run gets them.
CREATE FUNCTION match_results_open(p_run bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM match_runs WHERE id = p_run AND state = 'running') THEN
		RAISE EXCEPTION 'match run % is not running', p_run;
	END IF;
	EXECUTE format('CREATE TABLE %I (LIKE matches INCLUDING DEFAULTS INCLUDING CONSTRAINTS,'
		' CHECK (run_id = %s))', 'matches_run_' || p_run, p_run);
	EXECUTE format('CREATE TABLE %I (LIKE unplaced_listed INCLUDING DEFAULTS INCLUDING CONSTRAINTS,'
		' CHECK (run_id = %s))', 'unplaced_listed_run_' || p_run, p_run);
	EXECUTE format('GRANT SELECT, INSERT ON %I, %I TO kerjadekat_daemon',
		'matches_run_' || p_run, 'unplaced_listed_run_' || p_run);
END
$$;

-- Attaches what match_results_open() opened.  The CHECK on run_id spares
-- the scan that would prove the rows belong; the indexes are built here,
-- once, over rows already written.
CREATE FUNCTION match_results_attach(p_run bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM match_runs WHERE id = p_run AND state = 'running') THEN
		RAISE EXCEPTION 'match run % is not running', p_run;
	END IF;
	EXECUTE format('ALTER TABLE matches ATTACH PARTITION %I FOR VALUES IN (%s)',
		'matches_run_' || p_run, p_run);
	EXECUTE format('ALTER TABLE unplaced_listed ATTACH PARTITION %I FOR VALUES IN (%s)',
		'unplaced_listed_run_' || p_run, p_run);
END
$$;

-- The results written before this migration move into partitions of their
-- own: every unplaced seeker listed (unlisted_reason stays NULL), as then.
DO $$
DECLARE
	run bigint;
BEGIN
	FOR run IN SELECT id FROM match_runs WHERE id IN (SELECT run_id FROM matches_before_0016
		UNION SELECT run_id FROM unmatched_before_0016) ORDER BY id LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF matches FOR VALUES IN (%s)',
			'matches_run_' || run, run);
		EXECUTE format('CREATE TABLE %I PARTITION OF unplaced_listed FOR VALUES IN (%s)',
			'unplaced_listed_run_' || run, run);
	END LOOP;
END
$$;
INSERT INTO matches SELECT m.*, s.kecamatan_code
FROM matches_before_0016 m JOIN seekers s ON s.id = m.seeker_id;
INSERT INTO unplaced_listed SELECT * FROM unmatched_before_0016;
INSERT INTO unplaced_counts (run_id, kecamatan_code, reason, seekers)
SELECT u.run_id, s.kecamatan_code, u.reason, count(*)
FROM unmatched_before_0016 u JOIN seekers s ON s.id = u.seeker_id
GROUP BY 1, 2, 3;
DROP TABLE matches_before_0016, unmatched_before_0016;

-- How many runs' results are kept.  A run's results (its matches and its
-- listed and counted unplaced seekers; its match_runs row stays) are
-- dropped once it is neither among the keep_runs latest done runs nor
-- finished within keep_days days.  The latest done run, and a run with an
-- offer still pending, are always kept.  One row; the schema's owner
-- changes it (docs/operators.md).
CREATE TABLE result_retention (
	one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
	keep_runs integer NOT NULL CHECK (keep_runs >= 1),
	keep_days integer NOT NULL CHECK (keep_days >= 0)
);
INSERT INTO result_retention (keep_runs, keep_days) VALUES (10, 30);

-- The runs whose results result_retention no longer keeps, oldest first.
CREATE VIEW match_results_expired AS
WITH kept AS (
	SELECT id FROM match_runs WHERE state = 'done'
	ORDER BY id DESC LIMIT (SELECT keep_runs FROM result_retention)
)
SELECT r.id AS run_id
FROM match_runs r, result_retention policy
WHERE r.results_dropped_at IS NULL AND r.state <> 'running'
	AND r.id NOT IN (SELECT id FROM kept)
	AND coalesce(r.finished_at, r.started_at) < now() - make_interval(days => policy.keep_days)
	AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.run_id = r.id AND p.state = 'pending')
ORDER BY r.id;

-- Drops the results of at most batch expired runs; returns how many.  A
-- partition is dropped under a lock that waits for the queries reading
-- matches: a long one makes this stop (lock_timeout) rather than hold every
-- later reader behind it; the rest waits for the next round.
CREATE FUNCTION match_results_drop_expired(batch integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET lock_timeout = '2s' AS $$
DECLARE
	run bigint;
	done bigint := 0;
BEGIN
	FOR run IN SELECT run_id FROM match_results_expired LIMIT batch LOOP
		BEGIN
			EXECUTE format('DROP TABLE IF EXISTS %I, %I', 'matches_run_' || run,
				'unplaced_listed_run_' || run);
			DELETE FROM unplaced_counts WHERE run_id = run;
			UPDATE match_runs SET results_dropped_at = now() WHERE id = run;
			done := done + 1;
		EXCEPTION WHEN lock_not_available THEN
			EXIT;
		END;
	END LOOP;
	RETURN done;
END
$$;

ALTER TABLE housekeeping DROP CONSTRAINT housekeeping_task_check;
ALTER TABLE housekeeping ADD CONSTRAINT housekeeping_task_check
	CHECK (task IN ('idempotency_purge', 'placement_expiry', 'result_retention'));
INSERT INTO housekeeping (task) VALUES ('result_retention');

-- The daemons' hourly retention round; NULL when it was not this caller's.
CREATE FUNCTION result_retention_tick(batch integer) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT housekeeping_claim('result_retention', interval '1 hour') THEN
		RETURN NULL;
	END IF;
	RETURN housekeeping_done('result_retention', match_results_drop_expired(batch), batch);
END
$$;

-- The operators' views, over the new tables.
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

-- The latest done run's unplaced seekers: those listed, and those the run
-- read and neither placed nor listed, who were left out for its
-- unlisted_reason.  Every run id is a scalar subquery, so that only the
-- run's own partitions are read.
CREATE VIEW unmatched_seekers AS
SELECT s.id AS seeker_id, s.nik_masked, s.full_name, s.kecamatan_code, k.name AS kecamatan_name,
	u.reason, u.run_id
FROM unplaced_listed u
JOIN seekers s ON s.id = u.seeker_id
JOIN kecamatan k ON k.code = s.kecamatan_code
WHERE u.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done')
UNION ALL
SELECT s.id, s.nik_masked, s.full_name, s.kecamatan_code, k.name, r.unlisted_reason, r.id
FROM match_runs r
JOIN seekers s ON s.status = 'active' AND s.registered_at < r.seekers_as_of
JOIN kecamatan k ON k.code = s.kecamatan_code
WHERE r.id = (SELECT max(id) FROM match_runs WHERE state = 'done')
	AND r.unlisted_reason IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM matches m
		WHERE m.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done')
		AND m.seeker_id = s.id)
	AND NOT EXISTS (SELECT 1 FROM unplaced_listed u
		WHERE u.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done')
		AND u.seeker_id = s.id)
	-- an offer pending or accepted when the run read the seekers kept them out of it
	AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.seeker_id = s.id AND p.run_id < r.id
		AND (p.state = 'accepted' OR p.decided_at IS NULL OR p.decided_at > r.seekers_as_of));

-- The latest done run's unplaced seekers counted by kecamatan and reason:
-- the totals, without reading a row per seeker.
CREATE VIEW unmatched_counts AS
SELECT c.kecamatan_code, k.name AS kecamatan_name, c.reason, c.seekers, c.run_id
FROM unplaced_counts c
JOIN kecamatan k ON k.code = c.kecamatan_code
WHERE c.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done');

CREATE VIEW vacancy_fill AS
SELECT v.id AS vacancy_id, e.name AS employer, v.title, v.kecamatan_code, v.status, v.openings,
	count(m.seeker_id) AS placed,
	count(m.seeker_id) FILTER (WHERE m.same_kecamatan) AS placed_same_kecamatan,
	v.openings - count(m.seeker_id) AS unfilled
FROM vacancies v
JOIN employers e ON e.id = v.employer_id
LEFT JOIN matches m ON m.vacancy_id = v.id
	AND m.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done')
GROUP BY v.id, e.name;

-- Placed seekers are counted by their kecamatan as the run read them, as
-- unmatched_counts are: no lookup of every placed seeker.
CREATE VIEW kecamatan_summary AS
WITH placed AS (
	SELECT m.seeker_kecamatan AS kecamatan_code, count(*) AS placed,
		count(*) FILTER (WHERE m.same_kecamatan) AS placed_own_kecamatan,
		avg(m.distance_km) AS mean_distance_km
	FROM matches m
	WHERE m.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done')
	GROUP BY m.seeker_kecamatan
)
SELECT k.code, k.name,
	(SELECT count(*) FROM seekers s WHERE s.kecamatan_code = k.code AND s.status = 'active') AS seekers,
	(SELECT count(*) FROM vacancies v WHERE v.kecamatan_code = k.code AND v.status = 'open') AS open_vacancies,
	(SELECT coalesce(sum(v.openings), 0) FROM vacancies v
		WHERE v.kecamatan_code = k.code AND v.status = 'open') AS openings,
	coalesce(p.placed, 0) AS placed,
	coalesce(p.placed_own_kecamatan, 0) AS placed_own_kecamatan,
	round(p.mean_distance_km::numeric, 1) AS mean_distance_km
FROM kecamatan k LEFT JOIN placed p ON p.kecamatan_code = k.code
-- the service area's kecamatan and any other with something to count (0015)
WHERE k.regency_code IN (SELECT regency_code FROM service_area)
	OR p.kecamatan_code IS NOT NULL
	OR EXISTS (SELECT 1 FROM seekers s WHERE s.kecamatan_code = k.code AND s.status = 'active')
	OR EXISTS (SELECT 1 FROM vacancies v WHERE v.kecamatan_code = k.code AND v.status = 'open')
ORDER BY k.code;

-- skill_gaps as in 0004, each kecamatan worked out on its own (LATERAL), so
-- that asking about one kecamatan reads that kecamatan's seekers and
-- vacancies only rather than aggregating the nation's first.
CREATE OR REPLACE VIEW skill_gaps AS
SELECT k.code AS kecamatan_code, k.name AS kecamatan_name,
	sk.code AS skill, sk.label_id AS skill_label,
	CASE WHEN g.openings IS NULL THEN 'no_local_demand' ELSE 'no_local_supply' END AS gap,
	coalesce(g.seekers, 0) AS seekers, coalesce(g.openings, 0) AS openings
FROM kecamatan k
CROSS JOIN LATERAL (
	SELECT coalesce(s.skill_id, d.skill_id) AS skill_id, s.seekers, d.openings
	FROM (
		SELECT u.skill_id, count(*) AS seekers
		FROM seekers s CROSS JOIN LATERAL unnest(s.skill_ids) AS u(skill_id)
		WHERE s.kecamatan_code = k.code AND s.status = 'active'
		GROUP BY 1
	) s
	FULL JOIN (
		SELECT u.skill_id, sum(v.openings) AS openings
		FROM vacancies v CROSS JOIN LATERAL unnest(v.required_skill_ids) AS u(skill_id)
		WHERE v.kecamatan_code = k.code AND v.status = 'open'
		GROUP BY 1
	) d ON d.skill_id = s.skill_id
	WHERE s.skill_id IS NULL OR d.skill_id IS NULL
) g
JOIN skills sk ON sk.id = g.skill_id;

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

GRANT SELECT ON match_latest, unmatched_seekers, unmatched_counts, vacancy_fill,
	kecamatan_summary, match_latest_csv, unmatched_seekers_csv, vacancy_fill_csv,
	result_retention, match_results_expired TO kerjadekat_operator;
GRANT SELECT ON matches, unplaced_listed, unplaced_counts, result_retention,
	match_results_expired TO kerjadekat_daemon;
GRANT INSERT ON unplaced_counts TO kerjadekat_daemon;
REVOKE ALL ON FUNCTION match_results_open(bigint), match_results_attach(bigint),
	match_results_drop_expired(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION match_results_open(bigint), match_results_attach(bigint),
	match_results_drop_expired(integer), result_retention_tick(integer) TO kerjadekat_daemon;
