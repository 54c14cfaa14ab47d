-- Core tables: regions, skills taxonomy, employers, API tokens, seekers, vacancies.
-- Region and skill rows are data loaded by later migrations; nothing here assumes
-- one regency.

CREATE TABLE kecamatan (
	code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$'),
	name text NOT NULL,
	lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180)
);

CREATE TABLE desa (
	code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$'),
	kecamatan_code text NOT NULL REFERENCES kecamatan (code),
	name text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('desa', 'kelurahan')),
	lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
	CHECK (left(code, 8) = kecamatan_code)
);
CREATE INDEX desa_kecamatan ON desa (kecamatan_code, code);

CREATE TABLE skills (
	id integer PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]+$'),
	label_id text NOT NULL,
	label_en text NOT NULL,
	sector text NOT NULL
);

-- Synonyms are stored normalised (lower case, single spaces), as the
-- daemon compares them; one synonym names one skill.
CREATE TABLE skill_synonyms (
	synonym text PRIMARY KEY CHECK (synonym <> ''),
	skill_id integer NOT NULL REFERENCES skills (id)
);
CREATE INDEX skill_synonyms_skill ON skill_synonyms (skill_id);

CREATE TABLE employers (
	id bigserial PRIMARY KEY,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	kbli_code text CHECK (kbli_code ~ '^[0-9]{5}$'),
	desa_code text NOT NULL REFERENCES desa (code),
	kecamatan_code text NOT NULL REFERENCES kecamatan (code),
	contact_name text,
	contact_phone text,
	contact_email text,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- A token is "kd_<key_id>_<secret>": key_id finds the row, and only a keyed
-- BLAKE2b hash of the secret is kept.
CREATE TABLE api_tokens (
	id bigserial PRIMARY KEY,
	key_id text NOT NULL UNIQUE CHECK (key_id ~ '^[0-9a-f]{16}$'),
	secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
	role text NOT NULL CHECK (role IN ('kiosk', 'employer', 'admin')),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	employer_id bigint REFERENCES employers (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz,
	CHECK ((role = 'employer') = (employer_id IS NOT NULL))
);

CREATE TYPE education_level AS ENUM
	('NONE', 'SD', 'SMP', 'SMA', 'SMK', 'D1', 'D2', 'D3', 'D4', 'S1', 'S2', 'S3');

-- Seeker ids are random (not guessable) and below 2^53 so JSON clients keep
-- them exact.  The NIK itself is never stored: a keyed hash enforces
-- uniqueness and a masked form is kept for display.
CREATE TABLE seekers (
	id bigint PRIMARY KEY CHECK (id > 0 AND id < 9007199254740992),
	registration_code text NOT NULL UNIQUE CHECK (registration_code ~ '^[0-9A-Z]{4}-[0-9A-Z]{4}$'),
	nik_hash bytea NOT NULL UNIQUE CHECK (length(nik_hash) = 32),
	nik_masked text NOT NULL CHECK (nik_masked ~ '^[0-9]{4}\*{10}[0-9]{2}$'),
	full_name text NOT NULL,
	birth_date date NOT NULL,
	gender text NOT NULL CHECK (gender IN ('M', 'F')),
	phone text NOT NULL,
	desa_code text NOT NULL REFERENCES desa (code),
	kecamatan_code text NOT NULL REFERENCES kecamatan (code),
	lat double precision NOT NULL,
	lon double precision NOT NULL,
	location_given boolean NOT NULL,
	education education_level NOT NULL,
	skill_ids integer[] NOT NULL,
	unknown_skills text[] NOT NULL DEFAULT '{}',
	experience_years integer NOT NULL CHECK (experience_years BETWEEN 0 AND 60),
	max_distance_km double precision CHECK (max_distance_km > 0),
	disability boolean NOT NULL,
	guardian_consent boolean NOT NULL,
	consent_version text NOT NULL,
	consent_at timestamptz NOT NULL,
	registered_by bigint REFERENCES api_tokens (id),
	status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
	registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX seekers_kecamatan ON seekers (kecamatan_code) WHERE status = 'active';
CREATE INDEX seekers_registered_by ON seekers (registered_by);

CREATE TABLE vacancies (
	id bigserial PRIMARY KEY,
	employer_id bigint NOT NULL REFERENCES employers (id),
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	kbji_code text CHECK (kbji_code ~ '^[0-9]{4}$'),
	desa_code text NOT NULL REFERENCES desa (code),
	kecamatan_code text NOT NULL REFERENCES kecamatan (code),
	lat double precision NOT NULL,
	lon double precision NOT NULL,
	required_skill_ids integer[] NOT NULL CHECK (cardinality(required_skill_ids) BETWEEN 1 AND 30),
	optional_skill_ids integer[] NOT NULL DEFAULT '{}',
	min_education education_level NOT NULL,
	openings integer NOT NULL CHECK (openings BETWEEN 0 AND 10000),
	wage_min bigint CHECK (wage_min >= 0),
	wage_max bigint CHECK (wage_max >= 0),
	closes_on date,
	disability_friendly boolean NOT NULL DEFAULT false,
	status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (wage_min IS NULL OR wage_max IS NULL OR wage_min <= wage_max)
);
CREATE INDEX vacancies_open ON vacancies (id) WHERE status = 'open';
CREATE INDEX vacancies_open_kecamatan ON vacancies (kecamatan_code, id) WHERE status = 'open';
CREATE INDEX vacancies_employer ON vacancies (employer_id, id);
CREATE INDEX vacancies_skills ON vacancies USING gin ((required_skill_ids || optional_skill_ids));

-- Daemons cache verified tokens; a revocation reaches them at once.
CREATE FUNCTION api_tokens_notify_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN
		PERFORM pg_notify('kd_token_revoked', NEW.key_id);
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER api_tokens_revoked AFTER UPDATE OF revoked_at ON api_tokens
	FOR EACH ROW EXECUTE FUNCTION api_tokens_notify_revoked();
