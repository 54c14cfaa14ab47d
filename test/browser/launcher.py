#!/usr/bin/env python3
"""Prepares a daemon for the browser tests with the integration harness
(its own database on the test cluster, migrated, a kiosk token, an employer
with a vacancy) and answers the test's requests, one JSON object per line:

  stdout, first line: {"port": N, "kiosk_token": "...", "vacancy_id": N}
  stdin  {"op": "person", "overrides": {...}}  -> {"person": {...}}  (fake, valid)
  stdin  {"op": "sql", "query": "...", "params": [...]}  -> {"rows": [[...], ...]}
  stdin  {"op": "match"}                        -> {"run": {...}}  (a finished run)
  an error -> {"error": "..."}; end of stdin (or SIGTERM) stops the daemon and
  drops the database.
"""
import json
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import harness  # noqa: E402

DESA = "64.02.06.1001"
SERVE_ARGS = ("--rate-limit-status", "10000000")


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def match_run(service):
    run = service.request("POST", "/v1/match-runs", json_body={}, token=service.tokens["admin"])
    if run.status != 202:
        raise harness.HarnessError(f"POST /v1/match-runs answered {run.status}: {run.body!r}")

    def finished():
        got = service.request("GET", f"/v1/match-runs/{run.json['id']}",
                              token=service.tokens["admin"])
        return got.json if got.json["state"] != "running" else None
    return harness.wait_until(finished, harness.scaled(30), 0.1, "the match run")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    service = harness.Service("browser", SERVE_ARGS)
    try:
        kiosk = service.tokens["kiosk"]
        vacancy = service.request("POST", "/v1/vacancies", token=service.tokens["employer"],
                                  json_body={"title": "Juru Las Uji", "desa_code": DESA,
                                             "required_skills": ["las"], "min_education": "SMA",
                                             "openings": 2})
        if vacancy.status != 201:
            raise harness.HarnessError(f"POST /v1/vacancies answered {vacancy.status}")
        reply({"port": service.port, "kiosk_token": kiosk, "vacancy_id": vacancy.json["id"]})
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                cmd = json.loads(line)
                if cmd["op"] == "person":
                    reply({"person": service.persons.seeker(**cmd.get("overrides", {}))})
                elif cmd["op"] == "sql":
                    rows = service.sql(cmd["query"], *cmd.get("params", []))
                    reply({"rows": [list(r) for r in rows]})
                elif cmd["op"] == "match":
                    reply({"run": match_run(service)})
                else:
                    reply({"error": f"unknown op {cmd['op']!r}"})
            except Exception as error:  # reported to the test, which fails
                reply({"error": f"{type(error).__name__}: {error}"})
    finally:
        service.close()


if __name__ == "__main__":
    main()
