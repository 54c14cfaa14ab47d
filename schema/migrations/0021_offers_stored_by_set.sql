-- A match run's offers, with their keys checked once per run instead of
-- once per row.
--
-- Storing a national run's 4.2 million offers took 7 minutes, 89 % of it
-- in PostgreSQL's foreign-key triggers: every placement ran five checks and
-- every offer message four more, each a query of its own that looks up one
-- key and locks its row.  The same rows are now checked and locked by a
-- handful of set-based statements before the INSERT, which then runs with
-- session_replication_role = replica, the mode in which PostgreSQL skips
-- those per-row triggers (as pg_restore and logical replication do):
--
--  * the run's row is locked FOR UPDATE (placements.run_id);
--  * every seeker, vacancy and employer the run's matches name is locked
--    FOR KEY SHARE, exactly as the per-row checks lock them, and a missing
--    one fails the run (placements.seeker_id, vacancy_id, employer_id;
--    sms_outbox.seeker_id);
--  * the 'offer' template is locked likewise (sms_outbox.kind);
--  * sms_outbox.kecamatan_code is the seeker's, which the locked seeker's
--    own key keeps alive, and sms_outbox.placement_id names rows this
--    transaction has just written.
--
-- The write runs in a READ COMMITTED transaction of its own, so these
-- locks, like the triggers' own checks, find the newest version of a row
-- that was edited while the run solved, and a row deleted meanwhile is
-- missing from the count.
--
-- Setting session_replication_role needs a superuser or, since PostgreSQL
-- 15, a grant that only a superuser gives:
--     GRANT SET ON PARAMETER session_replication_role TO kerjadekat_owner;
-- (docs/deploy.md).  The function runs as the schema's owner, so the
-- daemon's login gets nothing of it; without the grant the same INSERT
-- runs with the per-row checks, as before, only slower.
--
-- Only the triggers that PostgreSQL fires in the replica mode run in it: the
-- offer messages' statement trigger is made ENABLE ALWAYS (logical
-- replication into this database never writes placements: the reporting
-- copy is a database of its own), and the employer that
-- placements_set_employer would copy is written by the INSERT itself.

ALTER TABLE placements ENABLE ALWAYS TRIGGER placements_sms_offered;

-- Turns run p_run's matches into pending offers to be decided within
-- p_decision_days, queues their messages and returns how many it stored.
CREATE FUNCTION match_offers_store(p_run bigint, p_decision_days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- the messages' joins and sort hold a national run's offers
SET work_mem = '256MB' AS $$
DECLARE
	by_set constant boolean := has_parameter_privilege('session_replication_role', 'SET');
	role_before constant text := current_setting('session_replication_role');
	named bigint;
	present bigint;
	employers bigint;
	stored bigint;
BEGIN
	PERFORM 1 FROM match_runs WHERE id = p_run AND state = 'running' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'match run % is not running', p_run;
	END IF;
	IF by_set THEN
		-- planned from the run's own figures, not a new table's defaults
		EXECUTE format('ANALYZE %I', 'matches_run_' || p_run);
		SELECT count(*) INTO named FROM matches WHERE run_id = p_run;
		-- a run names each seeker once (the key of matches)
		SELECT count(*) INTO present FROM (SELECT 1 FROM seekers s
			JOIN matches m ON m.seeker_id = s.id WHERE m.run_id = p_run
			FOR KEY SHARE OF s) AS locked;
		IF present <> named THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('%s of the run''s seekers no longer exist', named - present);
		END IF;
		SELECT count(DISTINCT vacancy_id) INTO named FROM matches WHERE run_id = p_run;
		SELECT count(*), count(DISTINCT employer_id) INTO present, employers
		FROM (SELECT v.employer_id FROM vacancies v
			WHERE v.id IN (SELECT m.vacancy_id FROM matches m WHERE m.run_id = p_run)
			FOR KEY SHARE OF v) AS locked;
		IF present <> named THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('%s of the run''s vacancies no longer exist', named - present);
		END IF;
		SELECT count(*) INTO present FROM (SELECT 1 FROM employers e
			WHERE e.id IN (SELECT v.employer_id FROM vacancies v
				WHERE v.id IN (SELECT m.vacancy_id FROM matches m WHERE m.run_id = p_run))
			FOR KEY SHARE OF e) AS locked;
		IF present <> employers THEN
			RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
				MESSAGE = format('%s of the run''s employers no longer exist',
						 employers - present);
		END IF;
		-- missing, the messages' INSERT fails on its body, as before
		PERFORM 1 FROM sms_templates WHERE kind = 'offer' FOR KEY SHARE;
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

REVOKE ALL ON FUNCTION match_offers_store(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION match_offers_store(bigint, integer) TO kerjadekat_daemon;
