"""Idempotency keys are kept 7 days: the daemon's scheduled purge, first run
a minute after start and hourly after that, deletes the older ones and no
other.  Waits for that first run."""

import uuid

import harness

FIRST_PURGE = 60.0


class IdempotencyPurgeTest(harness.KerjadekatTestCase):

    def test_keys_older_than_seven_days_are_purged_and_no_others(self):
        # A fresh daemon, so that its first purge is still ahead.
        self.daemon_restart()
        key = f"purge-{uuid.uuid4().hex}"
        body = self.kd.persons.seeker()
        first = self.post_seeker(key, body)
        self.assertEqual(first.status, 201, first.body)
        token = self.sql("select token_id from idempotency_keys where key = $1", key)[0][0]
        ages = {"purge-8d": "8 days", "purge-7d1h": "7 days 1 hour",
                "purge-6d23h": "6 days 23 hours", "purge-1d": "1 day"}
        for name, age in ages.items():
            self.sql("insert into idempotency_keys (token_id, key, request_hash, status, response,"
                     " created_at) values ($1, $2, $3::bytea, 201, '{}', now() - $4::interval)",
                     token, name, "\\x" + "00" * 32, age)
        survivors = sorted(["purge-1d", "purge-6d23h", key])
        harness.wait_until(lambda: self.kept(list(ages) + [key]) == survivors,
                           harness.scaled(FIRST_PURGE + 30), 1.0, "the first purge")
        self.assertIn('msg="purged idempotency keys" count=2', self.kd.log_text())
        # The surviving key still replays its answer, byte for byte (on a new
        # connection: the first one has idled out meanwhile).
        self.kd.reset_client()
        again = self.post_seeker(key, body)
        self.assertEqual((again.status, again.body), (first.status, first.body))

    def post_seeker(self, key, body):
        return self.request("POST", "/v1/seekers", json_body=body, token=self.tokens["kiosk"],
                            headers={"Idempotency-Key": key})

    def kept(self, keys):
        rows = self.sql("select key from idempotency_keys where key = any($1::text[]) order by key",
                        "{" + ",".join(keys) + "}")
        return sorted(row[0] for row in rows)


if __name__ == "__main__":
    harness.main()
