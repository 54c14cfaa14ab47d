-- pgbench script: the daemon's seeker_insert statement (service/db/statements.c)
-- as a registration without an Idempotency-Key sends it, one row per
-- transaction.  scripts/bench puts seeker_seq.pgbench first, which sets :seq
-- (unique within a benchmark) and passes :registered_by (a kiosk token's id),
-- so the unique columns never collide and the foreign key is checked as the
-- daemon's is.
WITH created AS (INSERT INTO seekers (id, registration_code, nik_hash,
 nik_masked, full_name, birth_date, gender, phone, desa_code,
 kecamatan_code, lat, lon, location_given, education, skill_ids,
 unknown_skills, experience_years, max_distance_km, disability,
 guardian_consent, consent_version, consent_at, registered_by)
 VALUES (:seq, upper(substr(lpad(to_hex(:seq::bigint), 8, '0'), 1, 4) || '-'
 || substr(lpad(to_hex(:seq::bigint), 8, '0'), 5, 4)),
 sha256(int8send(:seq::bigint)), '6402**********01', 'Peserta Uji', '1999-05-17', 'M',
 '+6281200000000', '64.02.06.1001', '64.02.06', -0.4269, 116.98, false, 'SMK',
 '{1,2,3}', '{}', 3, NULL, false, false, '2025-01', now(), :registered_by)
 ON CONFLICT (nik_hash) DO NOTHING RETURNING id),
 outcome AS (SELECT count(*) AS n FROM created),
 remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,
 status, response) SELECT :registered_by, NULL, NULL,
 CASE WHEN n > 0 THEN 201 ELSE 409 END, CASE WHEN n > 0 THEN '' ELSE '' END
 FROM outcome WHERE NULL::text IS NOT NULL)
 SELECT n FROM outcome;
