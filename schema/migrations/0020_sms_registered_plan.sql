-- The registration message's statement trigger (0014), planned so that
-- its helper functions are inlined.  The template was a subquery inside
-- the text, and PostgreSQL does not inline a SQL function (sms_clip) whose
-- argument holds a subquery: each firing parsed and planned sms_clip again,
-- and pulling the text's level up into the outer SELECT ran it twice a row.
-- A 2-row registration statement spent 151 us in this trigger, 39 us of it
-- in sms_clip.  Now the template is read once into a variable and the text
-- is computed once a row behind an OFFSET 0 fence; the messages are the
-- same, byte for byte (test_api_concurrency).
CREATE OR REPLACE FUNCTION sms_on_seekers_registered() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	tmpl text;
BEGIN
	IF NOT sms_enabled() THEN
		RETURN NULL;
	END IF;
	-- NULL when the template is missing: the INSERT below then fails on
	-- sms_outbox.body, failing the registration, as before.
	SELECT t.body INTO tmpl FROM sms_templates t WHERE t.kind = 'registered';
	INSERT INTO sms_outbox (kind, seeker_id, phone, body, coding, kecamatan_code)
	SELECT 'registered', m.id, m.phone, m.body,
		CASE WHEN sms_is_gsm7(m.body) THEN 'Default_No_Compression'
		     ELSE 'Unicode_No_Compression' END,
		m.kecamatan_code
	FROM (SELECT r.id, r.phone, r.kecamatan_code,
		     sms_clip(r.msg, CASE WHEN sms_is_gsm7(r.msg) THEN 160 ELSE 70 END) AS body
	      FROM (SELECT n.id, n.phone, n.kecamatan_code,
			   replace(replace(tmpl, '{kode}', coalesce(n.registration_code, '')),
				   '{nama}', sms_first_name(n.full_name)) AS msg
		    FROM new_seekers n
		    WHERE n.status <> 'erased' AND coalesce(n.phone, '') <> ''
		    AND NOT EXISTS (SELECT 1 FROM sms_opt_out o WHERE o.phone = n.phone)
		    OFFSET 0) r
	      OFFSET 0) m
	ORDER BY m.id;
	RETURN NULL;
END
$$;
