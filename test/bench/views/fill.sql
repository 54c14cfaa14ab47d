-- Synthetic national-sized data for test/bench/views/run.sh: :seekers
-- seekers in one kecamatan per thousand, a vacancy per 20 seekers, and two
-- done match runs written the way service/match/match_db.c writes them
-- (match_results_open, the run's tables, match_results_attach).  Nobody in
-- it is real: names are "Peserta Bench N", phones and NIKs made up.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- The SMS queue and the vacancy change feed would turn every row into
-- more work that no view reads.
ALTER TABLE seekers DISABLE TRIGGER USER;
ALTER TABLE vacancies DISABLE TRIGGER USER;
ALTER TABLE placements DISABLE TRIGGER placements_sms_offered;
ALTER TABLE placements DISABLE TRIGGER placements_sms_decided;

CREATE TEMP TABLE bench_size AS
SELECT :seekers::bigint AS seekers, greatest(20, :seekers / 1000)::int AS kecamatan,
	(SELECT array_agg(id ORDER BY id) FROM skills) AS skills,
	(SELECT count(*) FROM skills)::int AS n_skills;

-- Codes 90.00.00 upwards: no real province has them.
INSERT INTO kecamatan (code, name, lat, lon)
SELECT format('%s.%s.%s', 90 + i / 10000, lpad(((i / 100) % 100)::text, 2, '0'),
	lpad((i % 100)::text, 2, '0')),
	'Kecamatan Bench ' || i, -6 + (i % 97) * 0.05, 106 + (i % 89) * 0.1
FROM bench_size, generate_series(0, kecamatan - 1) AS i;

INSERT INTO desa (code, kecamatan_code, name, kind, lat, lon)
SELECT code || '.0001', code, 'Desa Bench ' || code, 'desa', lat, lon
FROM kecamatan WHERE code LIKE '9%';

CREATE TEMP TABLE bench_kecamatan AS
SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, lat, lon
FROM kecamatan WHERE code LIKE '9%';
CREATE UNIQUE INDEX ON bench_kecamatan (i);
ANALYZE bench_kecamatan;


INSERT INTO seekers (id, registration_code, nik_hash, nik_masked, full_name, birth_date, gender,
	phone, desa_code, kecamatan_code, lat, lon, location_given, education, skill_ids,
	experience_years, disability, guardian_consent, consent_version, consent_at, status,
	registered_at)
SELECT 1000003 * n.i + 17,
	upper(substr(lpad(to_hex(n.i), 8, '0'), 1, 4) || '-' || substr(lpad(to_hex(n.i), 8, '0'), 5, 4)),
	sha256(('bench ' || n.i)::bytea), '9000**********' || lpad((n.i % 100)::text, 2, '0'),
	'Peserta Bench ' || n.i, date '1980-01-01' + (n.i % 9000)::int,
	CASE WHEN n.i % 2 = 0 THEN 'M' ELSE 'F' END,
	'0800000000', k.code || '.0001', k.code, k.lat, k.lon, true,
	(enum_range(NULL::education_level))[(2 + n.i % 8)::int],
	-- a seeker's kecamatan is n.i modulo their number, so the shares below
	-- follow the quotient, to hold in every kecamatan.  One in a hundred
	-- has no skill yet (incomplete_profile).
	CASE WHEN (n.i / b.kecamatan) % 100 = 7 THEN '{}'::int[] ELSE ARRAY[
		b.skills[(1 + (n.i * 7) % b.n_skills)::int], b.skills[(1 + (n.i * 13 + 5) % b.n_skills)::int]]
	END,
	n.i % 20, n.i % 50 = 0, true, 'bench', now(),
	CASE WHEN (n.i / b.kecamatan) % 20 = 3 THEN 'inactive' ELSE 'active' END,
	now() - interval '90 days' + (n.i % 80) * interval '1 day'
FROM bench_size b, generate_series(0, b.seekers - 1) AS n(i)
JOIN bench_kecamatan k ON k.i = n.i % (SELECT kecamatan FROM bench_size);

INSERT INTO employers (name, desa_code, kecamatan_code)
SELECT 'Perusahaan Bench ' || n.i, k.code || '.0001', k.code
FROM bench_size b, generate_series(0, b.seekers / 200 - 1) AS n(i)
JOIN bench_kecamatan k ON k.i = n.i % (SELECT kecamatan FROM bench_size);

INSERT INTO vacancies (employer_id, title, desa_code, kecamatan_code, lat, lon,
	required_skill_ids, min_education, openings, status, disability_friendly)
SELECT e.id, 'Lowongan Bench ' || n.i, e.desa_code, e.kecamatan_code, k.lat, k.lon,
	ARRAY[b.skills[(1 + (n.i * 7) % b.n_skills)::int]],
	'SD', 1 + n.i % 3, CASE WHEN n.i % 10 = 0 THEN 'closed' ELSE 'open' END, n.i % 7 = 0
FROM bench_size b, generate_series(0, b.seekers / 20 - 1) AS n(i)
JOIN employers e ON e.id = (SELECT min(id) FROM employers) + n.i % (SELECT count(*) FROM employers)
JOIN bench_kecamatan k ON k.code = e.kecamatan_code;

ANALYZE seekers;
ANALYZE vacancies;
ANALYZE employers;

-- A done run: a placement for about one seeker in 15 (the openings), every
-- hundredth seeker incomplete, and of the rest one in ten outcompeted
-- (listed) and the others without a feasible vacancy (unlisted).
CREATE FUNCTION pg_temp.bench_run(p_offset int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	run bigint;
BEGIN
	INSERT INTO match_runs (mode, policy) VALUES ('stable', '{}') RETURNING id INTO run;
	UPDATE match_runs SET seekers_as_of = now() WHERE id = run;
	PERFORM match_results_open(run);
	CREATE TEMP TABLE bench_read ON COMMIT DROP AS
	SELECT s.id, s.kecamatan_code, cardinality(s.skill_ids) = 0 AS incomplete
	FROM seekers s WHERE s.status = 'active'
	AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.seeker_id = s.id
		AND p.state IN ('pending', 'accepted'));
	CREATE TEMP TABLE bench_open ON COMMIT DROP AS
	SELECT row_number() OVER (ORDER BY v.id) AS n, v.id, v.kecamatan_code
	FROM vacancies v, generate_series(1, v.openings) WHERE v.status = 'open';
	-- hashes, not ids modulo a number: they would fall on a few kecamatan only
	EXECUTE format('INSERT INTO %I SELECT $1, p.id, o.id, 1.5, 3.25, p.kecamatan_code = o.kecamatan_code,'
		' ''{las}'', ''{}'', p.kecamatan_code FROM (SELECT r.id, r.kecamatan_code, row_number() OVER (ORDER BY r.id) AS k'
		' FROM bench_read r WHERE NOT r.incomplete AND abs(hashint8(r.id + $2)) %% 15 = 0) p'
		' JOIN bench_open o ON o.n = p.k', 'matches_run_' || run)
		USING run, p_offset;
	EXECUTE format('INSERT INTO %I SELECT $1, r.id, CASE WHEN r.incomplete THEN ''incomplete_profile'''
		' ELSE ''outcompeted'' END FROM bench_read r LEFT JOIN %I m ON m.seeker_id = r.id'
		' WHERE m.seeker_id IS NULL AND (r.incomplete OR abs(hashint8(r.id * 3)) %% 10 = 1)',
		'unplaced_listed_run_' || run, 'matches_run_' || run) USING run;
	EXECUTE format('INSERT INTO unplaced_counts (run_id, kecamatan_code, reason, seekers)'
		' SELECT $1, r.kecamatan_code, coalesce(u.reason, ''no_feasible_vacancy''), count(*)'
		' FROM bench_read r LEFT JOIN %I u ON u.seeker_id = r.id LEFT JOIN %I m ON m.seeker_id = r.id'
		' WHERE m.seeker_id IS NULL GROUP BY 1, 2, 3',
		'unplaced_listed_run_' || run, 'matches_run_' || run) USING run;
	PERFORM match_results_attach(run);
	INSERT INTO placements (run_id, seeker_id, vacancy_id, decide_by, score, distance_km,
		same_kecamatan, matched_skills)
	SELECT run_id, seeker_id, vacancy_id, now() + interval '7 days', score, distance_km,
		same_kecamatan, matched_skills
	FROM matches WHERE run_id = run;
	UPDATE match_runs SET state = 'done', finished_at = now(), unlisted_reason = 'no_feasible_vacancy'
	WHERE id = run;
	RETURN run;
END
$$;

-- The older run's offers were decided (some accepted), so that the newer
-- run could read the same seekers.
\o /dev/null
SELECT pg_temp.bench_run(0);
UPDATE placements SET state = CASE WHEN id % 3 = 0 THEN 'accepted' ELSE 'expired' END,
	decided_at = now();
SELECT pg_temp.bench_run(7);
\o

ALTER TABLE seekers ENABLE TRIGGER USER;
ALTER TABLE vacancies ENABLE TRIGGER USER;
ALTER TABLE placements ENABLE TRIGGER placements_sms_offered;
ALTER TABLE placements ENABLE TRIGGER placements_sms_decided;
VACUUM ANALYZE;
