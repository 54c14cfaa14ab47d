-- sms_placement_vars was a SQL function.  Called from plpgsql (the offer
-- and decision triggers), a SQL function's query is parsed and planned on
-- every call: its four joins were most of the cost of storing an offer,
-- 0.6 ms a placement, and a national match run writes millions.  As
-- plpgsql the plan is kept for the session: 0.2 ms, with the same text
-- (the same query, NULL for a placement that does not exist).
CREATE OR REPLACE FUNCTION sms_placement_vars(p_placement bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT jsonb_build_object(
		'jabatan', sms_clip(v.title, 30),
		'perusahaan', sms_clip(e.name, 30),
		'kecamatan', k.name,
		'desa', d.name,
		'batas', to_char(p.decide_by, 'DD-MM HH24:MI'),
		-- the name gives way, never the phone number
		'kontak', coalesce(nullif(concat_ws(' ', sms_clip(nullif(e.contact_name, ''), 20),
						    nullif(e.contact_phone, '')), ''),
				   sms_clip(e.name, 30)))
	FROM placements p
	JOIN vacancies v ON v.id = p.vacancy_id
	JOIN employers e ON e.id = v.employer_id
	JOIN kecamatan k ON k.code = v.kecamatan_code
	JOIN desa d ON d.code = v.desa_code
	WHERE p.id = p_placement);
END
$$;
