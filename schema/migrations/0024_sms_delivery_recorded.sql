-- A round of the SMS timer no longer reads every message ever sent.
--
-- sms_tick ended by working out the delivery state of every message in
-- sms_outbox, joined to Gammu's sentitems and outbox, for the totals that
-- /metrics shows: 2.6 s once a national run's 4.5 million offer messages
-- were in the outbox, against a round's deadline of 5 s, and more with
-- every message Gammu sends, since sent messages stay.
--
-- Once a message has left Gammu's outbox, what Gammu wrote about it does
-- not change: SendingOK, SendingOKNoReport, SendingError or Error, or
-- nothing at all (Gammu dropped it).  Only a message sent with a delivery
-- report requested still waits for the report (DeliveryPending).  So each
-- round now records that verdict in sms_outbox.delivery, once, with
-- 0012's rule, and running totals of the recorded verdicts are kept in
-- sms_delivery_totals.  A round then reads only what is still open: the
-- messages in Gammu's hands, and the queued ones through their index.
-- The states operators and /metrics see are exactly what they were.

ALTER TABLE sms_outbox ADD COLUMN delivery text
	CHECK (delivery IS NULL OR (delivery IN ('sent', 'failed') AND state = 'handed'));

-- The open messages: handed, verdict not recorded.
CREATE INDEX sms_outbox_open ON sms_outbox (gammu_id) WHERE state = 'handed' AND delivery IS NULL;

-- How many messages have each recorded verdict: kept by the triggers below
-- for whatever writes sms_outbox, so they always equal a count of the table.
CREATE TABLE sms_delivery_totals (
	delivery text PRIMARY KEY CHECK (delivery IN ('sent', 'failed')),
	messages bigint NOT NULL CHECK (messages >= 0)
);
INSERT INTO sms_delivery_totals VALUES ('sent', 0), ('failed', 0);

-- Only statements that record, clear or delete verdicts touch the totals'
-- rows, so handing messages over never waits on them.
CREATE FUNCTION sms_delivery_totals_kept() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		UPDATE sms_delivery_totals SET messages = 0 WHERE messages <> 0;
	ELSIF TG_OP = 'UPDATE' THEN
		UPDATE sms_delivery_totals t SET messages = t.messages + c.n
		FROM (SELECT delivery, sum(n) AS n FROM (
			SELECT delivery, 1 AS n FROM new_rows WHERE delivery IS NOT NULL
			UNION ALL
			SELECT delivery, -1 FROM old_rows WHERE delivery IS NOT NULL) d
		      GROUP BY delivery HAVING sum(n) <> 0) c
		WHERE t.delivery = c.delivery;
	ELSE
		UPDATE sms_delivery_totals t SET messages = t.messages - c.n
		FROM (SELECT delivery, count(*) AS n FROM old_rows WHERE delivery IS NOT NULL
		      GROUP BY delivery) c
		WHERE t.delivery = c.delivery;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION sms_delivery_totals_kept() FROM PUBLIC;
CREATE TRIGGER sms_outbox_totals_updated AFTER UPDATE ON sms_outbox
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sms_delivery_totals_kept();
CREATE TRIGGER sms_outbox_totals_deleted AFTER DELETE ON sms_outbox
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION sms_delivery_totals_kept();
CREATE TRIGGER sms_outbox_totals_truncated AFTER TRUNCATE ON sms_outbox
	FOR EACH STATEMENT EXECUTE FUNCTION sms_delivery_totals_kept();
-- A message is queued before it is delivered.  A row trigger's WHEN, not a
-- statement trigger over the inserted rows, keeps that out of the totals:
-- every registration inserts a message, and the WHEN costs it nothing.
CREATE FUNCTION sms_outbox_refuse_delivered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'a message is queued before it is delivered'
		USING ERRCODE = 'check_violation', COLUMN = 'delivery';
END
$$;
CREATE TRIGGER sms_outbox_queued_undelivered BEFORE INSERT ON sms_outbox
	FOR EACH ROW WHEN (NEW.delivery IS NOT NULL) EXECUTE FUNCTION sms_outbox_refuse_delivered();

-- 0012's rule for a handed message, from Gammu's status for it in sentitems
-- (NULL when none) and whether it is still in Gammu's outbox.
CREATE FUNCTION sms_gammu_state(status text, in_outbox boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN status IN ('SendingOK', 'SendingOKNoReport', 'DeliveryOK',
				'DeliveryPending', 'DeliveryUnknown') THEN 'sent'
		WHEN status IS NOT NULL THEN 'failed'
		WHEN in_outbox THEN 'sending'
		ELSE 'failed'
	END
$$;

-- Records the verdict on every open message that has left Gammu's outbox,
-- by 0012's rule; one still waiting for a delivery report stays open.
-- The open test is on the row updated, so a round that waited for another
-- daemon's round finds the verdict recorded and leaves it.  Returns how
-- many were recorded.
CREATE FUNCTION sms_record_delivery() RETURNS integer LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	recorded integer;
BEGIN
	UPDATE sms_outbox o SET delivery = sms_gammu_state(v.status, false)
	FROM (SELECT h.id, (SELECT s."Status" FROM gammu.sentitems s
			    WHERE s."ID" = h.gammu_id AND s."SequencePosition" = 1) AS status
	      FROM sms_outbox h
	      WHERE h.state = 'handed' AND h.delivery IS NULL
	      AND NOT EXISTS (SELECT 1 FROM gammu.outbox g WHERE g."ID" = h.gammu_id)) v
	WHERE o.id = v.id AND o.state = 'handed' AND o.delivery IS NULL
	AND v.status IS DISTINCT FROM 'DeliveryPending';
	GET DIAGNOSTICS recorded = ROW_COUNT;
	RETURN recorded;
END
$$;
REVOKE ALL ON FUNCTION sms_record_delivery() FROM PUBLIC;

-- 0012's rows, with a recorded verdict taken as it stands and 0012's rule,
-- now sms_gammu_state(), for the rest.
CREATE OR REPLACE FUNCTION sms_delivery_rows()
RETURNS TABLE (id bigint, kind text, kecamatan_code text, state text, gammu_status text,
	       retries integer, queued_at timestamptz, handed_at timestamptz, sent_at timestamp)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
	IF to_regclass('gammu.sentitems') IS NULL OR to_regclass('gammu.outbox') IS NULL THEN
		RETURN QUERY SELECT o.id, o.kind, o.kecamatan_code,
			CASE WHEN o.state <> 'handed' THEN o.state
			     ELSE coalesce(o.delivery, 'sending') END,
			NULL::text, NULL::integer, o.queued_at, o.handed_at, NULL::timestamp
		FROM sms_outbox o;
		RETURN;
	END IF;
	RETURN QUERY SELECT o.id, o.kind, o.kecamatan_code,
		CASE
			WHEN o.state <> 'handed' THEN o.state
			WHEN o.delivery IS NOT NULL THEN o.delivery
			ELSE sms_gammu_state(s."Status", g."ID" IS NOT NULL)
		END,
		coalesce(s."Status", g."Status")::text, g."Retries", o.queued_at, o.handed_at,
		s."SendingDateTime"
	FROM sms_outbox o
	LEFT JOIN gammu.sentitems s ON o.state = 'handed' AND s."ID" = o.gammu_id
		AND s."SequencePosition" = 1
	LEFT JOIN gammu.outbox g ON o.state = 'handed' AND g."ID" = o.gammu_id;
END
$$;

-- 0012's round, whose totals now come from the recorded verdicts and the
-- open messages alone.
CREATE OR REPLACE FUNCTION sms_tick(n integer,
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
	PERFORM sms_record_delivery();
	SELECT count(*) INTO queued FROM sms_outbox WHERE state = 'queued';
	SELECT count(*) FILTER (WHERE open.state = 'sending'),
	       count(*) FILTER (WHERE open.state = 'sent'),
	       count(*) FILTER (WHERE open.state = 'failed')
	INTO sending, sent, failed
	FROM (SELECT sms_gammu_state(s."Status", g."ID" IS NOT NULL) AS state
	      FROM sms_outbox o
	      LEFT JOIN gammu.sentitems s ON s."ID" = o.gammu_id AND s."SequencePosition" = 1
	      LEFT JOIN gammu.outbox g ON g."ID" = o.gammu_id
	      WHERE o.state = 'handed' AND o.delivery IS NULL) open;
	sent := sent + (SELECT messages FROM sms_delivery_totals WHERE delivery = 'sent');
	failed := failed + (SELECT messages FROM sms_delivery_totals WHERE delivery = 'failed');
END
$$;

-- The verdicts on what was sent before this migration, as one round would
-- have recorded them (the totals follow through the trigger).
DO $$
BEGIN
	IF to_regclass('gammu.sentitems') IS NOT NULL AND to_regclass('gammu.outbox') IS NOT NULL THEN
		PERFORM sms_record_delivery();
	END IF;
END
$$;
