-- Match runs, their placements and the operators' views of them.

-- Road or river distances an operator knows better than a straight line.
-- Overrides haversine between two different kecamatan, in both directions
-- unless the reverse row is given too.
CREATE TABLE kecamatan_travel (
	from_code text NOT NULL REFERENCES kecamatan (code),
	to_code text NOT NULL REFERENCES kecamatan (code),
	km double precision NOT NULL CHECK (km >= 0),
	PRIMARY KEY (from_code, to_code),
	CHECK (from_code <> to_code)
);

CREATE TABLE match_runs (
	id bigserial PRIMARY KEY,
	mode text NOT NULL CHECK (mode IN ('stable', 'optimal')),
	policy jsonb NOT NULL,
	state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
	requested_by bigint REFERENCES api_tokens (id),
	started_at timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz,
	seekers integer,
	vacancies integer,
	assigned integer,
	same_kecamatan integer,
	total_score double precision,
	stats jsonb,
	error text
);

-- One row per placement, with what explains it to the person concerned.
CREATE TABLE matches (
	run_id bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
	seeker_id bigint NOT NULL REFERENCES seekers (id) ON DELETE CASCADE,
	vacancy_id bigint NOT NULL REFERENCES vacancies (id),
	score double precision NOT NULL,
	distance_km double precision NOT NULL,
	same_kecamatan boolean NOT NULL,
	matched_skills text[] NOT NULL,
	missing_optional_skills text[] NOT NULL,
	PRIMARY KEY (run_id, seeker_id)
);
CREATE INDEX matches_vacancy ON matches (run_id, vacancy_id);

CREATE TABLE unmatched (
	run_id bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
	seeker_id bigint NOT NULL REFERENCES seekers (id) ON DELETE CASCADE,
	reason text NOT NULL CHECK (reason IN ('incomplete_profile', 'no_feasible_vacancy', 'outcompeted')),
	PRIMARY KEY (run_id, seeker_id)
);

CREATE VIEW match_latest AS
SELECT s.registration_code, s.nik_masked, s.full_name,
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

CREATE VIEW unmatched_seekers AS
SELECT s.registration_code, s.nik_masked, s.full_name, s.kecamatan_code, k.name AS kecamatan_name,
	u.reason, u.run_id
FROM unmatched u
JOIN seekers s ON s.id = u.seeker_id
JOIN kecamatan k ON k.code = s.kecamatan_code
WHERE u.run_id = (SELECT max(id) FROM match_runs WHERE state = 'done');

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

CREATE VIEW kecamatan_summary AS
WITH latest AS (SELECT max(id) AS run_id FROM match_runs WHERE state = 'done'),
placed AS (
	SELECT s.kecamatan_code, count(*) AS placed,
		count(*) FILTER (WHERE m.same_kecamatan) AS placed_own_kecamatan,
		avg(m.distance_km) AS mean_distance_km
	FROM matches m JOIN seekers s ON s.id = m.seeker_id, latest
	WHERE m.run_id = latest.run_id
	GROUP BY s.kecamatan_code
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
ORDER BY k.code;

-- Per kecamatan: skills its seekers have that no open local vacancy asks for
-- (supply without demand), and skills open local vacancies ask for that no
-- local seeker has (demand without supply): the input for planning each
-- kecamatan's industry and training.
CREATE VIEW skill_gaps AS
WITH supply AS (
	SELECT s.kecamatan_code, u.skill_id, count(*) AS seekers
	FROM seekers s CROSS JOIN LATERAL unnest(s.skill_ids) AS u(skill_id)
	WHERE s.status = 'active'
	GROUP BY 1, 2
), demand AS (
	SELECT v.kecamatan_code, u.skill_id, sum(v.openings) AS openings
	FROM vacancies v CROSS JOIN LATERAL unnest(v.required_skill_ids) AS u(skill_id)
	WHERE v.status = 'open'
	GROUP BY 1, 2
)
SELECT coalesce(s.kecamatan_code, d.kecamatan_code) AS kecamatan_code, k.name AS kecamatan_name,
	sk.code AS skill, sk.label_id AS skill_label,
	CASE WHEN d.skill_id IS NULL THEN 'no_local_demand' ELSE 'no_local_supply' END AS gap,
	coalesce(s.seekers, 0) AS seekers, coalesce(d.openings, 0) AS openings
FROM supply s
FULL JOIN demand d ON d.kecamatan_code = s.kecamatan_code AND d.skill_id = s.skill_id
JOIN kecamatan k ON k.code = coalesce(s.kecamatan_code, d.kecamatan_code)
JOIN skills sk ON sk.id = coalesce(s.skill_id, d.skill_id)
WHERE s.skill_id IS NULL OR d.skill_id IS NULL;
