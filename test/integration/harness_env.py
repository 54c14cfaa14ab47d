"""Settings and small helpers shared by the integration-test harness."""

import collections
import os
import shlex
import time

WRAP = shlex.split(os.environ.get("KD_TEST_WRAP", ""))
TIMEOUT_SCALE = float(os.environ.get("KD_TEST_TIMEOUT_SCALE") or (10 if WRAP else 1))


class HarnessError(Exception):
    """The harness could not set up, change or tear down what a test needs."""


def scaled(seconds):
    """A wait in seconds, stretched for slow builds (valgrind, sanitizers)."""
    return seconds * TIMEOUT_SCALE


def require_env(name):
    """The value of environment variable name; HarnessError when unset."""
    value = os.environ.get(name)
    if not value:
        raise HarnessError(f"{name} is not set: run the integration tests through "
                           "scripts/test, which starts the test cluster and sets it")
    return value


def wait_until(predicate, timeout, interval=0.1, what="the condition"):
    """Calls predicate until it returns something true, which is returned;
    fails the test after timeout seconds (not scaled)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} did not hold within {timeout:.1f} s")
        time.sleep(interval)


def tail(path, lines=60):
    """The last lines of the file at path; "" when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            return "".join(collections.deque(log, lines))
    except OSError:
        return ""
