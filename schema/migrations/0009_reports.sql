-- Reports the law asks of employers and of the regency, for operators in
-- psql and for `kerjadekat report`.  Counts and vacancy facts only: no row
-- names, or could name, a person.
--
-- Days are calendar days in the session's time zone (the database's
-- TimeZone setting unless the client sets another), as current_date is.

-- Perpres 57/2023 (wajib lapor lowongan pekerjaan): employers report each
-- vacancy with their identity, the position and how many workers it needs,
-- how long it runs and what it asks (article 5), and report it again once
-- it is filled (article 6).  One row per vacancy, whatever its status.
CREATE VIEW filled_vacancy_report AS
SELECT v.id AS vacancy_id, e.id AS employer_id, e.name AS employer_name, e.kbli_code,
	v.title, v.kbji_code, v.kecamatan_code, k.name AS kecamatan_name, v.min_education,
	v.wage_min, v.wage_max,
	v.openings + v.filled AS headcount, v.filled, v.openings AS remaining,
	v.created_at::date AS posted_on, v.closes_on, v.status
FROM vacancies v
JOIN employers e ON e.id = v.employer_id
JOIN kecamatan k ON k.code = v.kecamatan_code;

-- The same rows for a reporting period: vacancies posted in [p_from, p_to]
-- or with an offer accepted in it, with how many were filled in it.  A view
-- cannot take parameters, so this is a function; it runs with its owner's
-- rights, as the views do, so operators need no right on the tables.
CREATE FUNCTION filled_vacancy_report_between(p_from date, p_to date)
RETURNS TABLE (vacancy_id bigint, employer_id bigint, employer_name text, kbli_code text,
	title text, kbji_code text, kecamatan_code text, kecamatan_name text,
	min_education education_level, wage_min bigint, wage_max bigint, headcount integer,
	filled integer, remaining integer, posted_on date, closes_on date, status text,
	filled_in_period bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT r.vacancy_id, r.employer_id, r.employer_name, r.kbli_code, r.title, r.kbji_code,
		r.kecamatan_code, r.kecamatan_name, r.min_education, r.wage_min, r.wage_max,
		r.headcount, r.filled, r.remaining, r.posted_on, r.closes_on, r.status,
		coalesce(p.filled_in_period, 0)
	FROM filled_vacancy_report r
	LEFT JOIN (
		SELECT pl.vacancy_id, count(*) AS filled_in_period
		FROM placements pl
		WHERE pl.state = 'accepted' AND pl.decided_at::date BETWEEN p_from AND p_to
		GROUP BY pl.vacancy_id
	) p ON p.vacancy_id = r.vacancy_id
	WHERE r.posted_on BETWEEN p_from AND p_to OR p.vacancy_id IS NOT NULL
	ORDER BY r.employer_name, r.employer_id, r.vacancy_id
$$;
REVOKE ALL ON FUNCTION filled_vacancy_report_between(date, date) FROM PUBLIC;

-- UU 8/2016 (penyandang disabilitas), article 53: private employers employ
-- persons with disabilities as at least 1% of their workers (government
-- bodies and state or regional enterprises 2%; the schema does not tell
-- them apart, so every employer is held to the private 1%).  Counted over
-- the workers placed through this service (accepted offers), not over an
-- employer's whole workforce, which the service does not know.  One row per
-- employer; share and quota_met are NULL while nobody is placed.
CREATE VIEW disability_inclusion AS
WITH placed AS (
	SELECT v.employer_id, count(*) AS placed,
		count(*) FILTER (WHERE s.disability) AS placed_with_disability
	FROM placements p
	JOIN vacancies v ON v.id = p.vacancy_id
	JOIN seekers s ON s.id = p.seeker_id
	WHERE p.state = 'accepted'
	GROUP BY v.employer_id
), friendly AS (
	SELECT v.employer_id, count(*) AS vacancies
	FROM vacancies v
	WHERE v.status = 'open' AND v.disability_friendly
	GROUP BY v.employer_id
)
SELECT e.id AS employer_id, e.name AS employer_name, e.kbli_code,
	coalesce(p.placed, 0) AS placed,
	coalesce(p.placed_with_disability, 0) AS placed_with_disability,
	round(100.0 * p.placed_with_disability / nullif(p.placed, 0), 2) AS disability_share_percent,
	1 AS quota_percent,
	-- the fewest workers with a disability that make 1% of those placed
	(coalesce(p.placed, 0) + 99) / 100 AS quota_required,
	CASE WHEN coalesce(p.placed, 0) = 0 THEN NULL
		ELSE p.placed_with_disability * 100 >= p.placed END AS quota_met,
	coalesce(f.vacancies, 0) AS open_disability_friendly_vacancies
FROM employers e
LEFT JOIN placed p ON p.employer_id = e.id
LEFT JOIN friendly f ON f.employer_id = e.id
ORDER BY e.id;

GRANT SELECT ON filled_vacancy_report, disability_inclusion TO kerjadekat_operator;
GRANT EXECUTE ON FUNCTION filled_vacancy_report_between(date, date) TO kerjadekat_operator;
