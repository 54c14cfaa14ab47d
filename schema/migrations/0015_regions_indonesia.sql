-- Every province, regency, kecamatan and village of Indonesia, and the
-- service area: the regencies this deployment serves (default Kukar, 64.02).
-- Data and provenance: schema/data/indonesia/ (SOURCES.md).
--
-- schema/embed.py compiles the file a \copy line names (relative to
-- schema/data/) into the binary, and `kerjadekat migrate` sends it with
-- COPY ... FROM STDIN inside this migration's transaction; psql -f run in
-- schema/data/ reads the same lines as its own.
-- Row-by-row INSERTs of 83,403 villages would make the migration slow and
-- the binary's SQL text huge.

CREATE TEMPORARY TABLE load_provinces (code text, name text, lat float8, lon float8)
	ON COMMIT DROP;
CREATE TEMPORARY TABLE load_regencies (LIKE load_provinces) ON COMMIT DROP;
CREATE TEMPORARY TABLE load_kecamatan (LIKE load_provinces) ON COMMIT DROP;
CREATE TEMPORARY TABLE load_villages (LIKE load_provinces) ON COMMIT DROP;

\copy load_provinces (code, name, lat, lon) FROM 'indonesia/provinsi.csv' WITH (FORMAT csv, HEADER true)
\copy load_regencies (code, name, lat, lon) FROM 'indonesia/kabupaten_kota.csv' WITH (FORMAT csv, HEADER true)
\copy load_kecamatan (code, name, lat, lon) FROM 'indonesia/kecamatan.csv' WITH (FORMAT csv, HEADER true)
\copy load_villages (code, name, lat, lon) FROM 'indonesia/desa_kelurahan.csv' WITH (FORMAT csv, HEADER true)

CREATE TABLE provinces (
	code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
	name text NOT NULL,
	lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180)
);

-- kind follows the name the source gives ("Kabupaten ..." or "Kota ...").
CREATE TABLE regencies (
	code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}\.[0-9]{2}$'),
	province_code text NOT NULL REFERENCES provinces (code),
	name text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('kabupaten', 'kota')),
	lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
	CHECK (left(code, 2) = province_code)
);

INSERT INTO provinces (code, name, lat, lon)
SELECT code, name, lat, lon FROM load_provinces;

INSERT INTO regencies (code, province_code, name, kind, lat, lon)
SELECT code, left(code, 2), name, CASE WHEN name LIKE 'Kota %' THEN 'kota' ELSE 'kabupaten' END,
	lat, lon
FROM load_regencies;

-- The kecamatan's regency is its code's first five characters; a stored
-- column makes the link a foreign key and lets queries join on it.
ALTER TABLE kecamatan ADD COLUMN regency_code text
	GENERATED ALWAYS AS (left(code, 5)) STORED REFERENCES regencies (code);
CREATE INDEX kecamatan_regency ON kecamatan (regency_code, code);

-- Rows already here (Kukar, from 0002) keep their codes, so seekers,
-- vacancies and employers pointing at them stay valid.  Where a name or a
-- point differs, the national file wins: it is the one source kept up to
-- date, and nothing stored elsewhere copies a region's name or point (a
-- seeker or vacancy keeps its own lat/lon).  For 0002's rows the two agree
-- today, so this changes nothing there.
INSERT INTO kecamatan (code, name, lat, lon)
SELECT code, name, lat, lon FROM load_kecamatan
ON CONFLICT (code) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon
WHERE (kecamatan.name, kecamatan.lat, kecamatan.lon) IS DISTINCT FROM
	(excluded.name, excluded.lat, excluded.lon);

-- 1xxx is a kelurahan, 2xxx a desa; 3xxx (Papua's desa adat, customary
-- villages) are villages governed as desa.
INSERT INTO desa (code, kecamatan_code, name, kind, lat, lon)
SELECT code, left(code, 8), name,
	CASE WHEN substr(code, 10, 1) = '1' THEN 'kelurahan' ELSE 'desa' END, lat, lon
FROM load_villages
ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
	lat = excluded.lat, lon = excluded.lon
WHERE (desa.name, desa.kind, desa.lat, desa.lon) IS DISTINCT FROM
	(excluded.name, excluded.kind, excluded.lat, excluded.lon);

-- The regencies this deployment serves.  Registrations and vacancies must
-- lie inside; the kiosk and /v1/kecamatan offer only these.
CREATE TABLE service_area (
	regency_code text PRIMARY KEY REFERENCES regencies (code),
	added_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO service_area (regency_code) VALUES ('64.02');

-- Whether a village lies in the service area.  Checked by the triggers
-- below, in the writing transaction, so every daemon agrees at once, even
-- one whose cached area is a moment old.
CREATE FUNCTION desa_in_service_area(p_desa text) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM service_area WHERE regency_code = left(p_desa, 5))
$$;

-- SQLSTATE KDA01 is the daemon's cue to answer 422 naming desa_code
-- (service/api/dbreq.c); the message carries the code, never a person.
CREATE FUNCTION refuse_outside_service_area() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT desa_in_service_area(NEW.desa_code) THEN
		RAISE EXCEPTION 'desa % is outside the service area', NEW.desa_code
			USING ERRCODE = 'KDA01', COLUMN = 'desa_code';
	END IF;
	RETURN NEW;
END
$$;

-- The same check once per INSERT statement over all its rows: the daemon
-- writes registrations that arrive together as one statement, and a demo
-- load writes millions in one COPY; a row trigger would cost each of them
-- a plpgsql call.
CREATE FUNCTION refuse_inserted_outside_service_area() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	outside text;
BEGIN
	SELECT n.desa_code INTO outside FROM new_rows n
	WHERE NOT EXISTS (SELECT 1 FROM service_area a WHERE a.regency_code = left(n.desa_code, 5))
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'desa % is outside the service area', outside
			USING ERRCODE = 'KDA01', COLUMN = 'desa_code';
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER seekers_inserted_in_service_area AFTER INSERT ON seekers
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_inserted_outside_service_area();
CREATE TRIGGER vacancies_inserted_in_service_area AFTER INSERT ON vacancies
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_inserted_outside_service_area();
-- Moves are rare; a statement trigger on UPDATE could not be limited to
-- desa_code and would capture every status change.
CREATE TRIGGER seekers_moved_in_service_area BEFORE UPDATE OF desa_code ON seekers
	FOR EACH ROW EXECUTE FUNCTION refuse_outside_service_area();
CREATE TRIGGER vacancies_moved_in_service_area BEFORE UPDATE OF desa_code ON vacancies
	FOR EACH ROW EXECUTE FUNCTION refuse_outside_service_area();

-- Replaces the service area with p_regencies (regency codes), audited (when
-- it changes) as done by the database role that calls it, and tells every
-- daemon to read its reference data again.  Rows already stored outside a smaller area
-- stay: they were valid when written.  Refuses an empty list and an
-- unknown code (naming it).
CREATE FUNCTION service_area_set(p_regencies text[]) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	unknown text;
	before text;
	after text;
BEGIN
	IF coalesce(cardinality(p_regencies), 0) = 0 THEN
		RAISE EXCEPTION 'the service area needs at least one regency' USING ERRCODE = '22023';
	END IF;
	SELECT min(c) INTO unknown FROM unnest(p_regencies) c
	WHERE NOT EXISTS (SELECT 1 FROM regencies r WHERE r.code = c);
	IF unknown IS NOT NULL THEN
		RAISE EXCEPTION 'no such regency: %', unknown USING ERRCODE = '22023';
	END IF;
	-- One change at a time, so each audit row's "from" is what it replaced.
	LOCK TABLE service_area IN EXCLUSIVE MODE;
	SELECT string_agg(regency_code, ',' ORDER BY regency_code) INTO before FROM service_area;
	DELETE FROM service_area WHERE regency_code <> ALL (p_regencies);
	INSERT INTO service_area (regency_code) SELECT DISTINCT c FROM unnest(p_regencies) c
	ON CONFLICT DO NOTHING;
	SELECT string_agg(regency_code, ',' ORDER BY regency_code) INTO after FROM service_area;
	IF after IS DISTINCT FROM before THEN
		INSERT INTO audit_log (token_id, action, target)
		VALUES (NULL, 'service_area_set',
			format('service_area:%s (was %s) by %s', after, before, session_user));
	END IF;
	-- Even unchanged: setting the area again makes every daemon read it
	-- afresh, whatever it missed.
	PERFORM pg_notify('kd_service_area', '');
	RETURN QUERY SELECT regency_code FROM service_area ORDER BY regency_code;
END
$$;

ANALYZE provinces, regencies, kecamatan, desa;

GRANT SELECT ON provinces, regencies, service_area TO kerjadekat_operator, kerjadekat_daemon;

-- The per-kecamatan views listed every kecamatan, which was Kukar's 20 and
-- is now the country's 7,285: they show the service area's, and any other
-- that still has something to count (rows stored before the area shrank).
CREATE OR REPLACE VIEW kecamatan_summary AS
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
WHERE k.regency_code IN (SELECT regency_code FROM service_area)
	OR p.kecamatan_code IS NOT NULL
	OR EXISTS (SELECT 1 FROM seekers s WHERE s.kecamatan_code = k.code AND s.status = 'active')
	OR EXISTS (SELECT 1 FROM vacancies v WHERE v.kecamatan_code = k.code AND v.status = 'open')
ORDER BY k.code;

CREATE OR REPLACE VIEW sms_delivery_summary AS
SELECT k.code AS kecamatan_code, k.name AS kecamatan_name,
	count(*) FILTER (WHERE d.state = 'queued') AS queued,
	count(*) FILTER (WHERE d.state = 'sending') AS sending,
	count(*) FILTER (WHERE d.state = 'sent') AS sent,
	count(*) FILTER (WHERE d.state = 'failed') AS failed,
	count(*) FILTER (WHERE d.state = 'cancelled') AS cancelled
FROM kecamatan k LEFT JOIN sms_delivery d ON d.kecamatan_code = k.code
WHERE k.regency_code IN (SELECT regency_code FROM service_area) OR d.kecamatan_code IS NOT NULL
GROUP BY k.code, k.name
ORDER BY k.code;
