-- Several daemons against one database (docs/ha.md).  What a single daemon
-- could keep in its memory is decided here instead, so that it holds
-- whichever daemon a request or a timer reaches.

-- At most one match run at a time.  A second insert while one runs fails
-- on this index, and the daemon that tried answers 409.  A run whose
-- process died is swept to 'failed' once nobody holds its lock (see the
-- match_run_sweep statement), which frees the index again.
UPDATE match_runs SET state = 'failed', finished_at = now(),
	error = 'interrupted: the process running it stopped'
WHERE state = 'running' AND id < (SELECT max(id) FROM match_runs WHERE state = 'running');
CREATE UNIQUE INDEX match_runs_one_running ON match_runs ((true)) WHERE state = 'running';

-- When a stored answer was last replayed.  Setting it makes every replay a
-- write, whose commit waits for the synchronous standby (docs/ha.md).
ALTER TABLE idempotency_keys ADD COLUMN replayed_at timestamptz;

-- Periodic work that every daemon's timer offers to do.  The row decides
-- who does it: the first daemon to find it due moves due_at on, so N
-- daemons do each task once per period, not N times.
CREATE TABLE housekeeping (
	task text PRIMARY KEY CHECK (task IN ('idempotency_purge', 'placement_expiry')),
	due_at timestamptz NOT NULL DEFAULT now(),
	last_started_at timestamptz,
	last_count bigint
);
INSERT INTO housekeeping (task) VALUES ('idempotency_purge'), ('placement_expiry');

-- True for one caller when task is due, and then not again until every
-- has passed.  A daemon that finds the row locked by another is not made
-- to wait: that other one is doing the task.
CREATE FUNCTION housekeeping_claim(p_task text, every interval) RETURNS boolean
LANGUAGE sql AS $$
	WITH free AS (SELECT task FROM housekeeping WHERE task = p_task AND due_at <= now()
		      FOR UPDATE SKIP LOCKED),
	claimed AS (UPDATE housekeeping h SET due_at = now() + every, last_started_at = now()
		    FROM free WHERE h.task = free.task RETURNING true)
	SELECT coalesce((SELECT true FROM claimed), false)
$$;

-- Records what a claimed task did; a full batch leaves more behind, so the
-- task is due again at once for whichever daemon ticks next.
CREATE FUNCTION housekeeping_done(p_task text, done bigint, batch integer) RETURNS bigint
LANGUAGE sql AS $$
	UPDATE housekeeping SET last_count = done,
		due_at = CASE WHEN done >= batch THEN now() ELSE due_at END
	WHERE task = p_task;
	SELECT done
$$;

-- Deletes at most batch keys older than 7 days when the hourly purge is due;
-- NULL when it was not this caller's to do.
CREATE FUNCTION idempotency_purge(batch integer) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	done bigint;
BEGIN
	IF NOT housekeeping_claim('idempotency_purge', interval '1 hour') THEN
		RETURN NULL;
	END IF;
	DELETE FROM idempotency_keys k USING (
		SELECT token_id, key FROM idempotency_keys
		WHERE created_at < now() - interval '7 days'
		ORDER BY created_at LIMIT batch) old
	WHERE k.token_id = old.token_id AND k.key = old.key;
	GET DIAGNOSTICS done = ROW_COUNT;
	RETURN housekeeping_done('idempotency_purge', done, batch);
END
$$;

-- Expires at most batch pending offers past their deadline when expiry is
-- due (every is the calling daemon's interval); NULL when not this caller's.
CREATE FUNCTION placement_expire(batch integer, every interval) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	done bigint;
BEGIN
	IF NOT housekeeping_claim('placement_expiry', every) THEN
		RETURN NULL;
	END IF;
	UPDATE placements p SET state = 'expired', decided_at = now()
	FROM (SELECT id FROM placements WHERE state = 'pending' AND decide_by <= now()
	      ORDER BY decide_by LIMIT batch FOR UPDATE SKIP LOCKED) due
	WHERE p.id = due.id;
	GET DIAGNOSTICS done = ROW_COUNT;
	RETURN housekeeping_done('placement_expiry', done, batch);
END
$$;

GRANT SELECT, UPDATE ON housekeeping TO kerjadekat_daemon;
GRANT SELECT ON housekeeping TO kerjadekat_operator;
GRANT EXECUTE ON FUNCTION housekeeping_claim(text, interval), housekeeping_done(text, bigint, integer),
	idempotency_purge(integer), placement_expire(integer, interval) TO kerjadekat_daemon;
