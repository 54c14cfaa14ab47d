-- Registration messages are queued once per statement instead of once per
-- row.  The daemon writes the registrations that reach it together as one
-- multi-row INSERT; with a row trigger every one of them paid a plpgsql
-- call, a re-read of its seeker and a template loop, about half of
-- PostgreSQL's work per registration.  Now the whole group pays one call
-- and one INSERT ... SELECT over the statement's new rows.
--
-- The message is the one sms_queue and sms_render made: the 'registered'
-- template with {kode} and then {nama} replaced (jsonb's key order, so a
-- name that reads "{kode}" stays as typed), clipped to one SMS.  No value
-- of that template is free text that sms_render would shorten first.  As
-- before, a missing template fails the registration rather than passing
-- it silently: the body would be NULL.

DROP TRIGGER seekers_sms_registered ON seekers;
DROP FUNCTION sms_on_seeker_registered();

CREATE FUNCTION sms_on_seekers_registered() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	IF NOT sms_enabled() THEN
		RETURN NULL;
	END IF;
	INSERT INTO sms_outbox (kind, seeker_id, phone, body, coding, kecamatan_code)
	SELECT 'registered', m.id, m.phone, m.body,
		CASE WHEN sms_is_gsm7(m.body) THEN 'Default_No_Compression'
		     ELSE 'Unicode_No_Compression' END,
		m.kecamatan_code
	FROM (SELECT r.id, r.phone, r.kecamatan_code,
		     sms_clip(r.msg, CASE WHEN sms_is_gsm7(r.msg) THEN 160 ELSE 70 END) AS body
	      FROM (SELECT n.id, n.phone, n.kecamatan_code,
			   replace(replace((SELECT t.body FROM sms_templates t
					    WHERE t.kind = 'registered'),
					   '{kode}', coalesce(n.registration_code, '')),
				   '{nama}', sms_first_name(n.full_name)) AS msg
		    FROM new_seekers n
		    WHERE n.status <> 'erased' AND coalesce(n.phone, '') <> ''
		    AND NOT EXISTS (SELECT 1 FROM sms_opt_out o WHERE o.phone = n.phone)) r) m
	ORDER BY m.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER seekers_sms_registered AFTER INSERT ON seekers
	REFERENCING NEW TABLE AS new_seekers
	FOR EACH STATEMENT EXECUTE FUNCTION sms_on_seekers_registered();
