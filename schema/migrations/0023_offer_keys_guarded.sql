-- A match run's offers keep their seekers, vacancies and employers by one
-- lock for the run instead of one row lock per key.
--
-- 0021 took a FOR KEY SHARE lock on every seeker, vacancy and employer a
-- run's matches name, as PostgreSQL's per-row checks would: at national
-- size 4.2 million seekers, each lock a write to the seeker's row and a WAL
-- record, 30 s of a store that must fit in the run's 3 minutes.  Nothing in
-- the service deletes or re-keys those rows (erasure blanks a seeker, a
-- vacancy closes), so what the locks stood guard against is an operator's
-- DELETE, UPDATE of id or TRUNCATE.  Those statements now take an exclusive
-- advisory lock first, from a statement trigger; a run takes the same lock
-- shared before it checks that its keys exist.  So a run storing its offers
-- and any such statement wait for each other: whichever comes second sees
-- what the first committed, the run failing on a key deleted meanwhile,
-- the DELETE failing on the offers' foreign keys, as both did with the row
-- locks.  Registrations and every other write go on as before.
--
-- The trigger runs in the mode PostgreSQL runs its own checks in: a session
-- with session_replication_role = replica skips both.

CREATE FUNCTION offers_keys_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('kerjadekat offers keys'));
	RETURN NULL;
END
$$;

CREATE TRIGGER seekers_offers_keys BEFORE DELETE OR UPDATE OF id ON seekers
	FOR EACH STATEMENT EXECUTE FUNCTION offers_keys_guard();
CREATE TRIGGER seekers_offers_keys_truncate BEFORE TRUNCATE ON seekers
	FOR EACH STATEMENT EXECUTE FUNCTION offers_keys_guard();
CREATE TRIGGER vacancies_offers_keys BEFORE DELETE OR UPDATE OF id ON vacancies
	FOR EACH STATEMENT EXECUTE FUNCTION offers_keys_guard();
CREATE TRIGGER vacancies_offers_keys_truncate BEFORE TRUNCATE ON vacancies
	FOR EACH STATEMENT EXECUTE FUNCTION offers_keys_guard();
CREATE TRIGGER employers_offers_keys BEFORE DELETE OR UPDATE OF id ON employers
	FOR EACH STATEMENT EXECUTE FUNCTION offers_keys_guard();
CREATE TRIGGER employers_offers_keys_truncate BEFORE TRUNCATE ON employers
	FOR EACH STATEMENT EXECUTE FUNCTION offers_keys_guard();

-- 0021's function with the guard for the row locks, and without the lock
-- of the 'offer' template, whose messages the SMS rounds now queue (0022).
CREATE OR REPLACE FUNCTION match_offers_store(p_run bigint, p_decision_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- the offers' join holds a national run's vacancies
SET work_mem = '256MB' AS $$
DECLARE
	by_set constant boolean := has_parameter_privilege('session_replication_role', 'SET');
	role_before constant text := current_setting('session_replication_role');
	missing bigint;
	stored bigint;
BEGIN
	PERFORM 1 FROM match_runs WHERE id = p_run AND state = 'running' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'match run % is not running', p_run;
	END IF;
	IF by_set THEN
		-- taken before the counts' snapshots: a deletion committed while
		-- this waited is seen by them
		PERFORM pg_advisory_xact_lock_shared(hashtext('kerjadekat offers keys'));
		-- planned from the run's own figures, not a new table's defaults
		EXECUTE format('ANALYZE %I', 'matches_run_' || p_run);
		SELECT count(*) INTO missing FROM matches m WHERE m.run_id = p_run
		AND NOT EXISTS (SELECT 1 FROM seekers s WHERE s.id = m.seeker_id);
		IF missing > 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('%s of the run''s seekers no longer exist', missing);
		END IF;
		SELECT count(DISTINCT m.vacancy_id) INTO missing FROM matches m WHERE m.run_id = p_run
		AND NOT EXISTS (SELECT 1 FROM vacancies v WHERE v.id = m.vacancy_id);
		IF missing > 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('%s of the run''s vacancies no longer exist', missing);
		END IF;
		SELECT count(DISTINCT v.employer_id) INTO missing FROM vacancies v
		WHERE v.id IN (SELECT m.vacancy_id FROM matches m WHERE m.run_id = p_run)
		AND NOT EXISTS (SELECT 1 FROM employers e WHERE e.id = v.employer_id);
		IF missing > 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('%s of the run''s employers no longer exist', missing);
		END IF;
		PERFORM set_config('session_replication_role', 'replica', true);
	END IF;
	INSERT INTO placements (run_id, seeker_id, vacancy_id, employer_id, decide_by, score,
		distance_km, same_kecamatan, matched_skills)
	SELECT m.run_id, m.seeker_id, m.vacancy_id, v.employer_id,
		now() + make_interval(days => p_decision_days),
		m.score, m.distance_km, m.same_kecamatan, m.matched_skills
	FROM matches m JOIN vacancies v ON v.id = m.vacancy_id
	WHERE m.run_id = p_run;
	GET DIAGNOSTICS stored = ROW_COUNT;
	IF by_set THEN
		PERFORM set_config('session_replication_role', role_before, true);
	END IF;
	RETURN stored;
END
$$;
