"""The daemon answers GET /v1/health and follows the database down and up."""

import time

import harness


class HealthTest(harness.KerjadekatTestCase):

    def test_health_follows_the_database(self):
        response = self.request("GET", "/v1/health")
        self.assertEqual(response.status, 200)
        self.assertTrue(response.headers.get("content-type", "").startswith("application/json"))
        self.assertEqual(response.json, {"status": "ok", "database": "up"})

        self.db_stop()
        response = self.kd.wait_health(503, timeout=harness.scaled(10))
        self.assertEqual(response.json.get("database"), "down")

        self.db_start()
        started = time.monotonic()
        response = self.kd.wait_health(200, timeout=harness.scaled(10))
        self.assertLess(time.monotonic() - started, harness.scaled(10))
        self.assertEqual(response.json, {"status": "ok", "database": "up"})


if __name__ == "__main__":
    harness.main()
