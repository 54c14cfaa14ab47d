-- Certainty by SMS: every seeker hears of their registration and of each
-- offer's fate on their own phone, and can answer by SMS.
--
-- Messages are queued in sms_outbox by triggers, in the transaction of the
-- change that causes them: no offer exists without its message and no
-- message announces what was rolled back.  The daemon's SMS timer
-- (service/sms_worker.c) calls sms_tick(), which hands queued rows to Gammu
-- SMSD's own outbox table and marks them handed in one transaction, so each
-- message reaches Gammu exactly once; it also reads Gammu's inbox, acting on
-- and marking each row in the same transaction, so no answer is acted on
-- twice.  Gammu's tables (schema `gammu`) are not made here: they come from
-- the SQL file Debian's gammu-smsd package ships (docs/deploy.md), so every
-- reference to them is resolved when a function runs, not when it is made.

-- What each kind of message says; operators may change the bodies.  A
-- {name} is replaced when the message is queued; unknown ones stay as typed.
CREATE TABLE sms_templates (
	kind text PRIMARY KEY CHECK (kind IN ('registered', 'offer', 'reminder', 'accepted',
		'rejected', 'declined', 'expired', 'status', 'help', 'opt_out')),
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 320),
	updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO sms_templates (kind, body) VALUES
	('registered', 'KerjaDekat: Halo {nama}, pendaftaran Anda diterima. Kode: {kode}. '
		'Cek status: balas STATUS {kode}. Stop SMS: balas BERHENTI'),
	('offer', 'KerjaDekat: {nama}, Anda ditawari {jabatan} di {perusahaan}, Kec. {kecamatan}. '
		'Tidak berminat? Balas TOLAK {kode} sblm {batas}'),
	('reminder', 'KerjaDekat: {nama}, tawaran {jabatan} di {perusahaan} berakhir {batas}. '
		'Tidak berminat? Balas TOLAK {kode}'),
	('accepted', 'KerjaDekat: Selamat {nama}! {perusahaan} menerima Anda sbg {jabatan}. '
		'Hubungi {kontak} utk jadwal lapor di {desa}, Kec. {kecamatan}'),
	('rejected', 'KerjaDekat: {nama}, maaf, {perusahaan} belum menerima Anda sbg {jabatan}. '
		'Anda ikut pencocokan berikutnya.'),
	('declined', 'KerjaDekat: {nama}, penolakan Anda atas tawaran {jabatan} di {perusahaan} '
		'sudah dicatat.'),
	('expired', 'KerjaDekat: {nama}, tawaran {jabatan} di {perusahaan} lewat batas waktu. '
		'Anda ikut pencocokan berikutnya.'),
	('status', 'KerjaDekat {kode}: {keadaan}'),
	('help', 'KerjaDekat: perintah tidak dikenali. Dari HP yang didaftarkan balas '
		'STATUS <kode>, TOLAK <kode> atau BERHENTI'),
	('opt_out', 'KerjaDekat: Anda tidak akan menerima SMS lagi. Status tetap bisa dicek '
		'di kios dengan kode pendaftaran.');

-- Numbers that answered BERHENTI: nothing more is sent to them but the
-- confirmation and answers to what they send themselves.
CREATE TABLE sms_opt_out (
	phone text PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now()
);

-- The transactional outbox.  `queued` rows wait for the SMS timer, `handed`
-- ones are in Gammu's tables under gammu_id, `cancelled` ones were never
-- handed (opt-out, erasure).  Bodies hold a first name at most, never a NIK.
CREATE TABLE sms_outbox (
	id bigserial PRIMARY KEY,
	kind text NOT NULL REFERENCES sms_templates (kind),
	-- a message outlives its offer's row, not its person's
	seeker_id bigint REFERENCES seekers (id) ON DELETE CASCADE,
	placement_id bigint REFERENCES placements (id) ON DELETE SET NULL,
	inbox_id integer,          -- the Gammu inbox row this answers
	phone text NOT NULL,
	body text NOT NULL,
	coding text NOT NULL CHECK (coding IN ('Default_No_Compression', 'Unicode_No_Compression')),
	kecamatan_code text REFERENCES kecamatan (code),
	state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'handed', 'cancelled')),
	queued_at timestamptz NOT NULL DEFAULT now(),
	handed_at timestamptz,
	gammu_id integer,
	-- a message erasure took back out of Gammu's outbox keeps its gammu_id,
	-- so that a copy Gammu was sending at that moment is still found
	CHECK (CASE state WHEN 'handed' THEN gammu_id IS NOT NULL
			  WHEN 'queued' THEN gammu_id IS NULL ELSE true END)
);
CREATE INDEX sms_outbox_queued ON sms_outbox (id) WHERE state = 'queued';
CREATE INDEX sms_outbox_seeker ON sms_outbox (seeker_id);
-- One message of each kind per offer, however often a trigger or the
-- reminder sweep comes by.
CREATE UNIQUE INDEX sms_outbox_once ON sms_outbox (placement_id, kind)
	WHERE placement_id IS NOT NULL;
-- Erased people's messages handed to Gammu, for the sweep in sms_tick.
CREATE INDEX sms_outbox_erased ON sms_outbox (handed_at) WHERE phone = '' AND gammu_id IS NOT NULL;

-- The +62 form of a number as Gammu reports it, NULL when it is none; the
-- same rule as lib/core/phone.c, by which seekers' phones were stored.
CREATE FUNCTION sms_phone(raw text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN d ~ '^62[0-9]{7,12}$' THEN '+' || d
		WHEN raw !~ '^\s*\+' AND d ~ '^0[0-9]{7,12}$' THEN '+62' || substr(d, 2)
	END
	FROM (SELECT regexp_replace(coalesce(raw, ''), '[^0-9]', '', 'g') AS d) n
$$;

-- A value cut to n characters, so that one long title cannot push a
-- message past one SMS.
CREATE FUNCTION sms_clip(value text, n integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN length(value) <= n THEN value ELSE left(value, n - 2) || '..' END
$$;

-- Whether text is within the GSM 7-bit basic alphabet (one 160-character
-- SMS); anything else goes as UCS-2 (70 characters).
CREATE FUNCTION sms_is_gsm7(body text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT body ~ E'^[A-Za-z0-9 \\n\\r@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&''()*+,./:;<=>?¡ÄÖÑÜ§¿äöñüà-]*$'
$$;

-- The template of kind with vars filled in, within one SMS.  When the
-- text is too long, the longest of the free-text values (title, employer,
-- place) is shortened, again and again, down to 8 characters each, so that
-- what a person must act on (code, deadline, contact) is never what is cut;
-- only if that is not enough is the end of the text cut.
CREATE FUNCTION sms_render(p_kind text, vars jsonb) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	tmpl text;
	msg text;
	v record;
	over integer;
	longest text;
	len integer;
BEGIN
	SELECT t.body INTO STRICT tmpl FROM sms_templates t WHERE t.kind = p_kind;
	LOOP
		msg := tmpl;
		FOR v IN SELECT key, value FROM jsonb_each_text(vars) LOOP
			msg := replace(msg, '{' || v.key || '}', coalesce(v.value, ''));
		END LOOP;
		over := length(msg) - CASE WHEN sms_is_gsm7(msg) THEN 160 ELSE 70 END;
		EXIT WHEN over <= 0;
		SELECT key, length(value) INTO longest, len FROM jsonb_each_text(vars)
		WHERE key IN ('jabatan', 'perusahaan', 'kecamatan', 'desa') AND length(value) > 8
		AND strpos(tmpl, '{' || key || '}') > 0
		ORDER BY length(value) DESC, key LIMIT 1;
		EXIT WHEN NOT FOUND;
		vars := vars || jsonb_build_object(longest,
			sms_clip(vars ->> longest, greatest(8, len - over)));
	END LOOP;
	RETURN sms_clip(msg, CASE WHEN sms_is_gsm7(msg) THEN 160 ELSE 70 END);
END
$$;

-- Queues one message to phone unless the number opted out (answers to what
-- the number sent itself go regardless: it asked).
CREATE FUNCTION sms_enqueue(p_phone text, p_kind text, p_seeker bigint, p_placement bigint,
			    p_kecamatan text, p_inbox integer, vars jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	msg text;
BEGIN
	IF p_phone IS NULL OR p_phone = '' THEN
		RETURN;
	END IF;
	IF p_inbox IS NULL AND EXISTS (SELECT 1 FROM sms_opt_out WHERE phone = p_phone) THEN
		RETURN;
	END IF;
	msg := sms_render(p_kind, vars);
	INSERT INTO sms_outbox (kind, seeker_id, placement_id, inbox_id, phone, body, coding,
				kecamatan_code)
	VALUES (p_kind, p_seeker, p_placement, p_inbox, p_phone, msg,
		CASE WHEN sms_is_gsm7(msg) THEN 'Default_No_Compression'
		     ELSE 'Unicode_No_Compression' END, p_kecamatan)
	ON CONFLICT (placement_id, kind) WHERE placement_id IS NOT NULL DO NOTHING;
END
$$;

-- What a message about a placement may say: employer, title, where, the
-- deadline (in the database's TimeZone: set it to the served area's), and
-- whom to contact.  Vacancies carry no contact or reporting date of their
-- own, so acceptance names the employer's contact person and phone.
CREATE FUNCTION sms_placement_vars(p_placement bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
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
	WHERE p.id = p_placement
$$;

-- The first word of a name: messages carry nothing more of it.
CREATE FUNCTION sms_first_name(full_name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT sms_clip(coalesce(split_part(btrim(full_name), ' ', 1), ''), 20)
$$;

-- Queues kind to a seeker, with the seeker's first name and code.
CREATE FUNCTION sms_queue(p_seeker bigint, p_kind text, p_placement bigint, vars jsonb,
			  p_inbox integer DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	s record;
BEGIN
	SELECT phone, full_name, registration_code, kecamatan_code, status INTO s
	FROM seekers WHERE id = p_seeker;
	IF NOT FOUND OR s.status = 'erased' THEN
		RETURN;
	END IF;
	PERFORM sms_enqueue(s.phone, p_kind, p_seeker, p_placement, s.kecamatan_code, p_inbox,
		coalesce(vars, '{}') || jsonb_build_object('nama', sms_first_name(s.full_name),
							   'kode', coalesce(s.registration_code, '')));
END
$$;

-- Bulk loads (kerjadekat demo) set kerjadekat.sms = 'off' for their session:
-- made-up people get no messages.
CREATE FUNCTION sms_enabled() RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT coalesce(current_setting('kerjadekat.sms', true), '') <> 'off'
$$;

CREATE FUNCTION sms_on_seeker_registered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF sms_enabled() THEN
		PERFORM sms_queue(NEW.id, 'registered', NULL, '{}');
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER seekers_sms_registered AFTER INSERT ON seekers
	FOR EACH ROW EXECUTE FUNCTION sms_on_seeker_registered();

CREATE FUNCTION sms_on_placement_offered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF sms_enabled() THEN
		PERFORM sms_queue(NEW.seeker_id, 'offer', NEW.id, sms_placement_vars(NEW.id));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER placements_sms_offered AFTER INSERT ON placements
	FOR EACH ROW EXECUTE FUNCTION sms_on_placement_offered();

CREATE FUNCTION sms_on_placement_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF sms_enabled() THEN
		PERFORM sms_queue(NEW.seeker_id, NEW.state, NEW.id, sms_placement_vars(NEW.id));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER placements_sms_decided AFTER UPDATE OF state ON placements
	FOR EACH ROW WHEN (OLD.state = 'pending' AND NEW.state <> 'pending')
	EXECUTE FUNCTION sms_on_placement_decided();

-- An erased seeker's messages lose their number and text, here and in
-- Gammu's tables; what was not sent yet is never sent, and counts as
-- cancelled, not failed: nothing went wrong that an operator must see to.
-- A message Gammu was sending at this very moment is written to sentitems
-- after this; sms_tick blanks that copy.
CREATE FUNCTION sms_on_seeker_erased() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	UPDATE sms_outbox SET state = 'cancelled' WHERE seeker_id = NEW.id AND state = 'queued';
	IF to_regclass('gammu.outbox') IS NOT NULL AND OLD.phone <> '' THEN
		WITH pulled AS (DELETE FROM gammu.outbox WHERE "ID" IN
			(SELECT gammu_id FROM sms_outbox WHERE seeker_id = NEW.id AND state = 'handed')
			RETURNING "ID")
		UPDATE sms_outbox SET state = 'cancelled'
		WHERE seeker_id = NEW.id AND state = 'handed' AND gammu_id IN (SELECT "ID" FROM pulled);
		UPDATE gammu.sentitems SET "TextDecoded" = '', "Text" = '', "DestinationNumber" = ''
		WHERE "ID" IN (SELECT gammu_id FROM sms_outbox WHERE seeker_id = NEW.id
			       AND state = 'handed');
		UPDATE gammu.inbox SET "TextDecoded" = '', "Text" = '', "SenderNumber" = ''
		WHERE sms_phone("SenderNumber") = OLD.phone;
	END IF;
	UPDATE sms_outbox SET phone = '', body = '' WHERE seeker_id = NEW.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER seekers_sms_erased AFTER UPDATE OF status ON seekers
	FOR EACH ROW WHEN (NEW.status = 'erased' AND OLD.status <> 'erased')
	EXECUTE FUNCTION sms_on_seeker_erased();

-- One reminder per pending offer whose deadline is within a day, unless
-- the offer itself came within that day: its own text gave the deadline.
CREATE FUNCTION sms_queue_reminders() RETURNS integer LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	p record;
	n integer := 0;
BEGIN
	FOR p IN SELECT pl.id, pl.seeker_id FROM placements pl
		 WHERE pl.state = 'pending' AND pl.decide_by > now()
		 AND pl.decide_by <= now() + interval '24 hours'
		 AND pl.offered_at < pl.decide_by - interval '24 hours'
		 AND NOT EXISTS (SELECT 1 FROM sms_outbox o
				 WHERE o.placement_id = pl.id AND o.kind = 'reminder')
	LOOP
		PERFORM sms_queue(p.seeker_id, 'reminder', p.id, sms_placement_vars(p.id));
		-- an opted-out or erased person gets none, and is not counted as
		-- reminded (the round's log line would repeat it every round)
		IF EXISTS (SELECT 1 FROM sms_outbox o WHERE o.placement_id = p.id AND o.kind = 'reminder') THEN
			n := n + 1;
		END IF;
	END LOOP;
	RETURN n;
END
$$;

-- A seeker's latest offer in words, for the STATUS answer.
CREATE FUNCTION sms_status_words(p_seeker bigint) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT coalesce((
		SELECT CASE p.state
			WHEN 'pending' THEN format('tawaran %s di %s menunggu, batas %s',
				v.jabatan, v.perusahaan, v.batas)
			WHEN 'accepted' THEN format('diterima sbg %s di %s. Hubungi %s',
				v.jabatan, v.perusahaan, v.kontak)
			WHEN 'rejected' THEN format('%s belum menerima Anda sbg %s', v.perusahaan, v.jabatan)
			WHEN 'declined' THEN format('Anda menolak tawaran %s di %s', v.jabatan, v.perusahaan)
			WHEN 'expired' THEN format('tawaran %s di %s lewat batas waktu', v.jabatan, v.perusahaan)
			END
		FROM placements p,
		     LATERAL jsonb_to_record(sms_placement_vars(p.id))
			AS v(jabatan text, perusahaan text, batas text, kontak text)
		WHERE p.seeker_id = p_seeker ORDER BY p.id DESC LIMIT 1),
		'terdaftar, belum ada tawaran. Kami kirim SMS bila ada.')
$$;

-- Acts on up to n unread rows of Gammu's inbox, oldest first, and marks
-- each processed in this same transaction.  TOLAK and STATUS act only when
-- the code is that of a seeker registered with the sender's number;
-- anything else gets the help text.  Returns how many rows were read.
CREATE FUNCTION sms_process_inbox(n integer) RETURNS integer LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	m record;
	sender text;
	words text[];
	code text;
	seeker bigint;
	done integer := 0;
BEGIN
	FOR m IN SELECT "ID" AS id, "SenderNumber" AS number, "TextDecoded" AS text
		 FROM gammu.inbox WHERE NOT "Processed" ORDER BY "ID" LIMIT n
		 FOR UPDATE SKIP LOCKED
	LOOP
		done := done + 1;
		sender := sms_phone(m.number);
		words := regexp_split_to_array(upper(btrim(coalesce(m.text, ''))), '\s+');
		-- "kode" may come without its dash, or in lower case
		code := regexp_replace(coalesce(words[2], ''), '[^0-9A-Z]', '', 'g');
		code := CASE WHEN length(code) = 8 THEN left(code, 4) || '-' || right(code, 4) END;
		seeker := NULL;
		IF code IS NOT NULL AND sender IS NOT NULL THEN
			SELECT id INTO seeker FROM seekers
			WHERE registration_code = code AND phone = sender AND status <> 'erased';
		END IF;
		IF sender IS NULL THEN
			NULL;  -- nowhere to answer
		ELSIF words[1] = 'BERHENTI' AND array_length(words, 1) = 1 THEN
			INSERT INTO sms_opt_out (phone) VALUES (sender) ON CONFLICT DO NOTHING;
			PERFORM sms_enqueue(sender, 'opt_out', NULL, NULL, NULL, m.id, '{}');
		ELSIF words[1] = 'TOLAK' AND seeker IS NOT NULL THEN
			-- the decline's own trigger queues its confirmation
			UPDATE placements SET state = 'declined', decided_at = now()
			WHERE seeker_id = seeker AND state = 'pending' AND decide_by > now();
			IF NOT FOUND THEN
				PERFORM sms_queue(seeker, 'status', NULL,
					jsonb_build_object('keadaan', sms_status_words(seeker)), m.id);
			END IF;
		ELSIF words[1] = 'STATUS' AND seeker IS NOT NULL THEN
			PERFORM sms_queue(seeker, 'status', NULL,
				jsonb_build_object('keadaan', sms_status_words(seeker)), m.id);
		ELSE
			PERFORM sms_enqueue(sender, 'help', NULL, NULL, NULL, m.id, '{}');
		END IF;
		UPDATE gammu.inbox SET "Processed" = true WHERE "ID" = m.id;
	END LOOP;
	RETURN done;
END
$$;

-- Hands up to n queued messages to Gammu's outbox, oldest first, and marks
-- them handed in this same transaction: each is handed exactly once.
-- Messages to numbers that opted out since they were queued are cancelled.
CREATE FUNCTION sms_hand_over(n integer) RETURNS integer LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	r record;
	gid integer;
	done integer := 0;
BEGIN
	UPDATE sms_outbox o SET state = 'cancelled'
	WHERE o.state = 'queued' AND o.inbox_id IS NULL
	AND EXISTS (SELECT 1 FROM sms_opt_out x WHERE x.phone = o.phone);
	FOR r IN SELECT id, phone, body, coding FROM sms_outbox WHERE state = 'queued'
		 ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED
	LOOP
		INSERT INTO gammu.outbox ("DestinationNumber", "TextDecoded", "Coding", "CreatorID")
		VALUES (r.phone, r.body, r.coding, 'kerjadekat') RETURNING "ID" INTO gid;
		UPDATE sms_outbox SET state = 'handed', handed_at = now(), gammu_id = gid
		WHERE id = r.id;
		done := done + 1;
	END LOOP;
	RETURN done;
END
$$;

-- Every message with its delivery state, from our outbox and Gammu's
-- tables: queued (not handed yet), sending (in Gammu's outbox, perhaps
-- being retried), sent, failed (Gammu gave up, or the row left Gammu's
-- outbox without reaching sentitems), cancelled.  Before Gammu's tables are
-- loaded every handed message reads as sending.
CREATE FUNCTION sms_delivery_rows()
RETURNS TABLE (id bigint, kind text, kecamatan_code text, state text, gammu_status text,
	       retries integer, queued_at timestamptz, handed_at timestamptz, sent_at timestamp)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	IF to_regclass('gammu.sentitems') IS NULL OR to_regclass('gammu.outbox') IS NULL THEN
		RETURN QUERY SELECT o.id, o.kind, o.kecamatan_code,
			CASE o.state WHEN 'handed' THEN 'sending' ELSE o.state END,
			NULL::text, NULL::integer, o.queued_at, o.handed_at, NULL::timestamp
		FROM sms_outbox o;
		RETURN;
	END IF;
	RETURN QUERY SELECT o.id, o.kind, o.kecamatan_code,
		CASE
			WHEN o.state <> 'handed' THEN o.state
			WHEN s."Status" IN ('SendingOK', 'SendingOKNoReport', 'DeliveryOK',
					    'DeliveryPending', 'DeliveryUnknown') THEN 'sent'
			WHEN s."Status" IS NOT NULL THEN 'failed'
			WHEN g."ID" IS NOT NULL THEN 'sending'
			ELSE 'failed'
		END,
		coalesce(s."Status", g."Status")::text, g."Retries", o.queued_at, o.handed_at,
		s."SendingDateTime"
	FROM sms_outbox o
	LEFT JOIN gammu.sentitems s ON o.state = 'handed' AND s."ID" = o.gammu_id
		AND s."SequencePosition" = 1
	LEFT JOIN gammu.outbox g ON o.state = 'handed' AND g."ID" = o.gammu_id;
END
$$;

CREATE VIEW sms_delivery AS SELECT * FROM sms_delivery_rows();

CREATE VIEW sms_delivery_summary AS
SELECT k.code AS kecamatan_code, k.name AS kecamatan_name,
	count(*) FILTER (WHERE d.state = 'queued') AS queued,
	count(*) FILTER (WHERE d.state = 'sending') AS sending,
	count(*) FILTER (WHERE d.state = 'sent') AS sent,
	count(*) FILTER (WHERE d.state = 'failed') AS failed,
	count(*) FILTER (WHERE d.state = 'cancelled') AS cancelled
FROM kecamatan k LEFT JOIN sms_delivery d ON d.kecamatan_code = k.code
GROUP BY k.code, k.name
ORDER BY k.code;

-- One round of the daemon's SMS timer: answers read, reminders queued,
-- messages handed, and the delivery totals /metrics shows.
CREATE FUNCTION sms_tick(n integer,
	OUT inbox integer, OUT reminders integer, OUT handed integer,
	OUT queued bigint, OUT sending bigint, OUT sent bigint, OUT failed bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	IF to_regclass('gammu.outbox') IS NULL OR to_regclass('gammu.inbox') IS NULL THEN
		RAISE EXCEPTION 'gammu tables missing';
	END IF;
	inbox := sms_process_inbox(n);
	reminders := sms_queue_reminders();
	handed := sms_hand_over(n);
	-- Gammu writes what it sent from its own memory: a message it was
	-- sending when its person was erased reaches sentitems afterwards.
	-- Sending takes seconds; a day's margin covers a Gammu stalled mid-send.
	UPDATE gammu.sentitems s SET "TextDecoded" = '', "Text" = '', "DestinationNumber" = ''
	FROM sms_outbox o
	WHERE o.phone = '' AND o.gammu_id IS NOT NULL AND o.handed_at > now() - interval '1 day'
	AND s."ID" = o.gammu_id AND s."DestinationNumber" <> '';
	SELECT count(*) FILTER (WHERE d.state = 'queued'), count(*) FILTER (WHERE d.state = 'sending'),
	       count(*) FILTER (WHERE d.state = 'sent'), count(*) FILTER (WHERE d.state = 'failed')
	INTO queued, sending, sent, failed FROM sms_delivery_rows() d;
END
$$;

-- SECURITY DEFINER functions run as their owner, so who may call them is
-- all that guards them: sms_enqueue would otherwise let any role that can
-- log in send texts of its choosing to any number.  The daemon runs the
-- timer's rounds and, through the triggers, queues messages; a view's
-- functions are checked against whoever reads the view.
REVOKE ALL ON FUNCTION sms_enqueue(text, text, bigint, bigint, text, integer, jsonb),
	sms_queue(bigint, text, bigint, jsonb, integer), sms_queue_reminders(),
	sms_process_inbox(integer), sms_hand_over(integer), sms_delivery_rows(),
	sms_tick(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sms_queue(bigint, text, bigint, jsonb, integer), sms_tick(integer)
	TO kerjadekat_daemon;
GRANT EXECUTE ON FUNCTION sms_delivery_rows() TO kerjadekat_operator, kerjadekat_daemon;
GRANT SELECT ON sms_delivery, sms_delivery_summary TO kerjadekat_operator;
GRANT SELECT ON sms_templates, sms_outbox, sms_opt_out TO kerjadekat_daemon;
