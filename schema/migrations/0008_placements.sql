-- Placement offers: what a match run's assignments become, and what the
-- employer (or the seeker) decided about each of them.
--
-- A pending offer holds one of its vacancy's openings until it is decided or
-- its deadline passes.  Accepting moves the opening from `openings` (still to
-- fill) to `filled`, so openings + filled is the headcount the employer asked
-- for; a vacancy with no opening left closes.  Rejected, declined and expired
-- offers give their opening back to the next run, and that seeker is not
-- offered that vacancy again.

ALTER TABLE vacancies ADD COLUMN filled integer NOT NULL DEFAULT 0 CHECK (filled >= 0);

CREATE TABLE placements (
	id bigserial PRIMARY KEY,
	run_id bigint NOT NULL REFERENCES match_runs (id),
	seeker_id bigint NOT NULL REFERENCES seekers (id),
	vacancy_id bigint NOT NULL REFERENCES vacancies (id),
	state text NOT NULL DEFAULT 'pending'
		CHECK (state IN ('pending', 'accepted', 'rejected', 'declined', 'expired')),
	offered_at timestamptz NOT NULL DEFAULT now(),
	decide_by timestamptz NOT NULL,
	decided_at timestamptz,
	-- the employer's or admin's token; NULL when the seeker declined or the offer expired
	decided_by bigint REFERENCES api_tokens (id),
	reason_code text CHECK (reason_code IN (
		-- employer rejections
		'skills_mismatch', 'qualification_mismatch', 'position_filled', 'no_show',
		'failed_interview', 'documents_incomplete',
		-- seeker declines
		'too_far', 'wage_too_low', 'found_other_work', 'personal',
		'other')),
	-- why the matcher chose this pair, copied from its run
	score double precision NOT NULL,
	distance_km double precision NOT NULL,
	same_kecamatan boolean NOT NULL,
	matched_skills text[] NOT NULL,
	CHECK ((state = 'pending') = (decided_at IS NULL)),
	CHECK (decide_by > offered_at),
	UNIQUE (run_id, seeker_id)
);
-- A seeker holds at most one live offer or placement at a time.
CREATE UNIQUE INDEX placements_seeker_live ON placements (seeker_id)
	WHERE state IN ('pending', 'accepted');
CREATE INDEX placements_vacancy ON placements (vacancy_id, state);
CREATE INDEX placements_pending_deadline ON placements (decide_by) WHERE state = 'pending';

GRANT SELECT, INSERT, UPDATE ON placements TO kerjadekat_daemon;
GRANT USAGE ON SEQUENCE placements_id_seq TO kerjadekat_daemon;
