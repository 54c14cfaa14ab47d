-- A match run's offer messages are queued by the SMS rounds that hand them
-- to Gammu, not inside the run's transaction.
--
-- Queuing a national run's 4.2 million offer messages in the statement that
-- stores its offers took 81 s of the 199 s the store took: the joins, the
-- texts, the sort and four indexes of sms_outbox, all while the run held its
-- locks.  Nobody reads those messages that soon: a round hands 200 of them
-- to Gammu every few seconds, so the last of a national run's messages
-- leaves days after the run, however fast they are queued.
--
-- The outbox stays transactional.  The statement that stores offers now
-- records, in the same transaction, the range of placement ids it wrote
-- (sms_offers_due).  Each SMS round queues the next offers of the oldest
-- ranges, 25 times as many as it hands over, in placement order,
-- and moves the range on or drops it in its own transaction: a committed
-- offer's message is queued by a later round exactly once (sms_outbox_once),
-- and a round that fails leaves its range for the next one.
--
-- What a message says is decided when it is queued, as it was for every
-- other kind: an offer decided, expired or past its deadline by then gets
-- none (its outcome's message follows instead), and neither does a seeker
-- erased, without a phone or opted out by then.  The texts are those of
-- 0019, made from the same values in the same order.

CREATE TABLE sms_offers_due (
	first_id bigint PRIMARY KEY,
	last_id bigint NOT NULL,
	CHECK (last_id >= first_id)
);

CREATE OR REPLACE FUNCTION sms_on_placements_offered() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	IF sms_enabled() THEN
		INSERT INTO sms_offers_due (first_id, last_id)
		SELECT min(id), max(id) FROM new_placements HAVING count(*) > 0;
	END IF;
	RETURN NULL;
END
$$;

-- Queues the messages of up to n offers, the oldest due first; returns how
-- many it queued.  Concurrent rounds (one per daemon) take different ranges.
CREATE FUNCTION sms_queue_offers(n integer) RETURNS integer LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	due record;
	upto bigint;
	taken integer;
	added integer;
	queued integer := 0;
BEGIN
	FOR due IN SELECT first_id, last_id FROM sms_offers_due ORDER BY first_id
		   FOR UPDATE SKIP LOCKED
	LOOP
		EXIT WHEN n <= 0;
		SELECT max(p.id), count(*) INTO upto, taken
		FROM (SELECT id FROM placements WHERE id BETWEEN due.first_id AND due.last_id
		      ORDER BY id LIMIT n) p;
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
		      -- OFFSET 0 keeps each level a subquery of its own, as in 0019
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
			    FROM (SELECT p.id, p.seeker_id, s.phone, s.kecamatan_code,
					 sms_clip(v.title, 30) AS jabatan,
					 sms_clip(e.name, 30) AS perusahaan,
					 k.name AS kecamatan,
					 d.name AS desa,
					 to_char(p.decide_by, 'DD-MM HH24:MI') AS batas,
					 coalesce(nullif(concat_ws(' ', sms_clip(nullif(e.contact_name, ''), 20),
								   nullif(e.contact_phone, '')), ''),
						  sms_clip(e.name, 30)) AS kontak,
					 sms_first_name(s.full_name) AS nama,
					 coalesce(s.registration_code, '') AS kode
				  FROM placements p
				  JOIN seekers s ON s.id = p.seeker_id
				  JOIN vacancies v ON v.id = p.vacancy_id
				  JOIN employers e ON e.id = v.employer_id
				  JOIN kecamatan k ON k.code = v.kecamatan_code
				  JOIN desa d ON d.code = v.desa_code
				  WHERE p.id BETWEEN due.first_id AND upto
				  AND p.state = 'pending' AND p.decide_by > now()
				  AND s.status <> 'erased' AND coalesce(s.phone, '') <> ''
				  AND NOT EXISTS (SELECT 1 FROM sms_opt_out o WHERE o.phone = s.phone)) x
			    OFFSET 0) f
		      OFFSET 0) b
		ORDER BY b.id
		ON CONFLICT (placement_id, kind) WHERE placement_id IS NOT NULL DO NOTHING;
		GET DIAGNOSTICS added = ROW_COUNT;
		queued := queued + added;
		n := n - taken;
		IF taken = 0 OR upto >= due.last_id THEN
			DELETE FROM sms_offers_due WHERE first_id = due.first_id;
		ELSE
			UPDATE sms_offers_due SET first_id = upto + 1 WHERE first_id = due.first_id;
		END IF;
	END LOOP;
	RETURN queued;
END
$$;

-- Each SMS round of the daemon runs it before sms_tick, in the same
-- transaction (service/daemon/sms_worker.c).
REVOKE ALL ON FUNCTION sms_queue_offers(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sms_queue_offers(integer) TO kerjadekat_daemon;
