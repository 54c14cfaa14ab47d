-- Offer messages are queued once per statement instead of once per row.
-- A match run stores its offers as one INSERT ... SELECT; with a row
-- trigger every placement paid a plpgsql call, a re-read of its seeker, of
-- its vacancy, employer and places (sms_placement_vars) and a template
-- loop, 0.2 ms each: the 4.2 million offers of a national run would take
-- 14 minutes to store.  Now the whole run pays one call and one
-- INSERT ... SELECT that joins the statement's new placements to what their
-- texts name once.
--
-- The message is the one sms_queue and sms_render made from
-- sms_placement_vars(id) with the seeker's first name and code added: the
-- 'offer' template with the values replaced in jsonb's key order (desa,
-- kode, nama, batas, kontak, jabatan, kecamatan, perusahaan), so a value
-- that reads "{nama}" is filled or left exactly as before.  A text within
-- one SMS that way is sms_render's text as it stands.  A longer one is
-- what sms_render's shortening of the free-text values is for, and gets
-- sms_render itself, with the same values: few rows, and no second copy of
-- that loop to drift from the first.  As before, nothing is queued for an
-- erased seeker, one without a phone or a number that answered BERHENTI,
-- and a missing template fails the run rather than passing it silently.

DROP TRIGGER placements_sms_offered ON placements;
DROP FUNCTION sms_on_placement_offered();

CREATE FUNCTION sms_on_placements_offered() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	IF NOT sms_enabled() THEN
		RETURN NULL;
	END IF;
	INSERT INTO sms_outbox (kind, seeker_id, placement_id, phone, body, coding, kecamatan_code)
	SELECT 'offer', b.seeker_id, b.id, b.phone, b.body,
		CASE WHEN sms_is_gsm7(b.body) THEN 'Default_No_Compression'
		     ELSE 'Unicode_No_Compression' END,
		b.kecamatan_code
	FROM (SELECT f.id, f.seeker_id, f.phone, f.kecamatan_code,
		     CASE WHEN length(f.msg) <= CASE WHEN sms_is_gsm7(f.msg) THEN 160 ELSE 70 END
			  THEN f.msg
			  ELSE sms_render('offer', jsonb_build_object(
				'jabatan', f.jabatan, 'perusahaan', f.perusahaan,
				'kecamatan', f.kecamatan, 'desa', f.desa, 'batas', f.batas,
				'kontak', f.kontak, 'nama', f.nama, 'kode', f.kode)) END AS body
	      -- OFFSET 0 keeps each level a subquery of its own: flattened, the
	      -- planner would copy msg and body into every place that names them
	      -- and fill the template, or call sms_render, several times a row
	      FROM (SELECT x.*,
			   replace(replace(replace(replace(replace(replace(replace(replace(
				(SELECT t.body FROM sms_templates t WHERE t.kind = 'offer'),
				'{desa}', coalesce(x.desa, '')),
				'{kode}', x.kode),
				'{nama}', x.nama),
				'{batas}', coalesce(x.batas, '')),
				'{kontak}', x.kontak),
				'{jabatan}', coalesce(x.jabatan, '')),
				'{kecamatan}', coalesce(x.kecamatan, '')),
				'{perusahaan}', coalesce(x.perusahaan, '')) AS msg
		    FROM (SELECT n.id, n.seeker_id, s.phone, s.kecamatan_code,
				 -- the values of sms_placement_vars, and sms_queue's two
				 sms_clip(v.title, 30) AS jabatan,
				 sms_clip(e.name, 30) AS perusahaan,
				 k.name AS kecamatan,
				 d.name AS desa,
				 to_char(n.decide_by, 'DD-MM HH24:MI') AS batas,
				 coalesce(nullif(concat_ws(' ', sms_clip(nullif(e.contact_name, ''), 20),
							   nullif(e.contact_phone, '')), ''),
					  sms_clip(e.name, 30)) AS kontak,
				 sms_first_name(s.full_name) AS nama,
				 coalesce(s.registration_code, '') AS kode
			  FROM new_placements n
			  JOIN seekers s ON s.id = n.seeker_id
			  JOIN vacancies v ON v.id = n.vacancy_id
			  JOIN employers e ON e.id = v.employer_id
			  JOIN kecamatan k ON k.code = v.kecamatan_code
			  JOIN desa d ON d.code = v.desa_code
			  WHERE s.status <> 'erased' AND coalesce(s.phone, '') <> ''
			  AND NOT EXISTS (SELECT 1 FROM sms_opt_out o WHERE o.phone = s.phone)) x
		    OFFSET 0) f
	      OFFSET 0) b
	ORDER BY b.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER placements_sms_offered AFTER INSERT ON placements
	REFERENCING NEW TABLE AS new_placements
	FOR EACH STATEMENT EXECUTE FUNCTION sms_on_placements_offered();
