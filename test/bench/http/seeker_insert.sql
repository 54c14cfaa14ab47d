-- pgbench script: the daemon's seeker_insert statement (service/db/statements.c)
-- as a registration without an Idempotency-Key sends it, one row per
-- transaction, with unique random ids, codes and NIK hashes.
\set id random(1, 9007199254740991)
WITH created AS (INSERT INTO seekers (id, registration_code, nik_hash,
 nik_masked, full_name, birth_date, gender, phone, desa_code,
 kecamatan_code, lat, lon, location_given, education, skill_ids,
 unknown_skills, experience_years, max_distance_km, disability,
 guardian_consent, consent_version, consent_at, registered_by)
 VALUES (:id, upper(substr(md5(:id::text), 1, 4) || '-' || substr(md5(:id::text), 5, 4)),
 sha256(:id::text::bytea), '6402**********01', 'Peserta Uji', '1999-05-17', 'M',
 '+6281200000000', '64.02.06.1001', '64.02.06', -0.4269, 116.98, false, 'SMK',
 '{1,2,3}', '{}', 3, NULL, false, false, '2025-01', now(), NULL)
 ON CONFLICT (nik_hash) DO NOTHING RETURNING id),
 outcome AS (SELECT count(*) AS n FROM created),
 remembered AS (INSERT INTO idempotency_keys (token_id, key, request_hash,
 status, response) SELECT NULL, NULL, NULL,
 CASE WHEN n > 0 THEN 201 ELSE 409 END, CASE WHEN n > 0 THEN '' ELSE '' END
 FROM outcome WHERE NULL::text IS NOT NULL)
 SELECT n FROM outcome;
