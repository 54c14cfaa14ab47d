-- The national reporting copy: the tables that receive the publication
-- kerjadekat_reporting (schema/migrations/0017_reporting_publication.sql),
-- with the published columns only, and the summaries read from them.
-- scripts/reporting applies this to an empty database on the second server,
-- then subscribes it (docs/reporting.md).
--
-- Each table keeps its primary key, by which replicated updates and
-- deletes find their row.  There are no foreign keys: a table's first copy
-- and the changes after it arrive table by table, so a placement may come
-- before the seeker it names.  Education levels are text, not the
-- primary's enum, so that a level added there does not stop the copy.
-- A kecamatan's regency and province are read from its code (province NN,
-- regency NN.NN, kecamatan NN.NN.NN); their names come with the copy.

CREATE TABLE provinces (
	code text PRIMARY KEY,
	name text NOT NULL
);

CREATE TABLE regencies (
	code text PRIMARY KEY,
	province_code text NOT NULL,
	name text NOT NULL,
	kind text NOT NULL
);

CREATE TABLE kecamatan (
	code text PRIMARY KEY,
	name text NOT NULL,
	lat double precision NOT NULL,
	lon double precision NOT NULL
);

CREATE TABLE skills (
	id integer PRIMARY KEY,
	code text NOT NULL,
	label_id text NOT NULL,
	label_en text NOT NULL,
	sector text NOT NULL
);

CREATE TABLE employers (
	id bigint PRIMARY KEY,
	kbli_code text,
	kecamatan_code text NOT NULL,
	created_at timestamptz NOT NULL
);

CREATE TABLE seekers (
	id bigint PRIMARY KEY,
	gender text NOT NULL,
	kecamatan_code text NOT NULL,
	education text NOT NULL,
	skill_ids integer[] NOT NULL,
	experience_years integer NOT NULL,
	-- active, inactive or erased: an erased person's row keeps these
	-- columns, as the primary keeps them for anonymous statistics
	status text NOT NULL,
	registered_month date NOT NULL
);

CREATE TABLE vacancies (
	id bigint PRIMARY KEY,
	employer_id bigint NOT NULL,
	kbji_code text,
	kecamatan_code text NOT NULL,
	required_skill_ids integer[] NOT NULL,
	optional_skill_ids integer[] NOT NULL,
	min_education text NOT NULL,
	openings integer NOT NULL,
	filled integer NOT NULL,
	wage_min bigint,
	wage_max bigint,
	closes_on date,
	disability_friendly boolean NOT NULL,
	status text NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);

CREATE TABLE match_runs (
	id bigint PRIMARY KEY,
	mode text NOT NULL,
	state text NOT NULL,
	started_at timestamptz NOT NULL,
	finished_at timestamptz,
	seekers integer,
	vacancies integer,
	assigned integer,
	same_kecamatan integer
);

CREATE TABLE matches (
	run_id bigint NOT NULL,
	seeker_id bigint NOT NULL,
	vacancy_id bigint NOT NULL,
	same_kecamatan boolean NOT NULL,
	matched_skills text[] NOT NULL,
	missing_optional_skills text[] NOT NULL,
	PRIMARY KEY (run_id, seeker_id)
);

CREATE TABLE placements (
	id bigint PRIMARY KEY,
	run_id bigint NOT NULL,
	seeker_id bigint NOT NULL,
	vacancy_id bigint NOT NULL,
	employer_id bigint NOT NULL,
	state text NOT NULL,
	offered_at timestamptz NOT NULL,
	decide_by timestamptz NOT NULL,
	decided_at timestamptz,
	reason_code text,
	same_kecamatan boolean NOT NULL,
	matched_skills text[] NOT NULL
);
CREATE INDEX placements_seeker ON placements (seeker_id);

-- Every offer with the seeker's home region.  A person is counted where
-- they live, whatever the vacancy's region; placed means the employer
-- accepted the offer.
CREATE VIEW placement_regions AS
SELECT p.id AS placement_id, p.state, p.same_kecamatan,
	s.kecamatan_code, left(s.kecamatan_code, 5) AS regency_code,
	left(s.kecamatan_code, 2) AS province_code
FROM placements p
JOIN seekers s ON s.id = p.seeker_id;

-- Per province: offers made, people placed, and how many of those (and
-- what share, in percent; NULL while nobody is placed) work in their own
-- kecamatan.
CREATE VIEW placements_by_province AS
SELECT r.province_code, p.name AS province,
	count(*) AS offers,
	count(*) FILTER (WHERE state = 'accepted') AS placed,
	count(*) FILTER (WHERE state = 'accepted' AND same_kecamatan) AS placed_own_kecamatan,
	round(100.0 * count(*) FILTER (WHERE state = 'accepted' AND same_kecamatan)
		/ nullif(count(*) FILTER (WHERE state = 'accepted'), 0), 1) AS own_kecamatan_percent
FROM placement_regions r
LEFT JOIN provinces p ON p.code = r.province_code
GROUP BY r.province_code, p.name
ORDER BY r.province_code;

-- The same per regency.
CREATE VIEW placements_by_regency AS
SELECT r.province_code, r.regency_code, g.name AS regency,
	count(*) AS offers,
	count(*) FILTER (WHERE state = 'accepted') AS placed,
	count(*) FILTER (WHERE state = 'accepted' AND same_kecamatan) AS placed_own_kecamatan,
	round(100.0 * count(*) FILTER (WHERE state = 'accepted' AND same_kecamatan)
		/ nullif(count(*) FILTER (WHERE state = 'accepted'), 0), 1) AS own_kecamatan_percent
FROM placement_regions r
LEFT JOIN regencies g ON g.code = r.regency_code
GROUP BY r.province_code, r.regency_code, g.name
ORDER BY r.regency_code;
