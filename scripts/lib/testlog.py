#!/usr/bin/env python3
"""Summarises meson test logs (meson-logs/testlog-*.json) for scripts/test.

Prints the output of every failing test, then one closing line
"N passed, N failed" (", N skipped" only when some were), and exits 0 only
when at least one test ran and none failed.  --meson-failed, given first,
says that meson test itself exited non-zero, which fails the run even when no
test result shows why (a test that could not be built, for instance).
"""

import json
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
SKIPPED = {"SKIP"}
TAIL_LINES = 400


def read_results(paths):
    results = []
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as log:
                results.extend(json.loads(line) for line in log if line.strip())
        except FileNotFoundError:
            pass
    return results


def print_failure(result):
    output = result.get("stdout", "")
    if result.get("stderr"):
        output += "\n--- stderr ---\n" + result["stderr"]
    lines = output.splitlines()
    print(f"\n===== {result['name']}: {result['result']} "
          f"(exit {result.get('returncode')}, {result.get('duration', 0):.1f} s) =====")
    if len(lines) > TAIL_LINES:
        print(f"[first {len(lines) - TAIL_LINES} lines left out; "
              "the full log is in meson-logs/ of the build directory]")
        lines = lines[-TAIL_LINES:]
    print("\n".join(lines))


def main(args):
    meson_failed = bool(args) and args[0] == "--meson-failed"
    results = read_results(args[1:] if meson_failed else args)
    failed = [r for r in results if r["result"] not in PASSED | SKIPPED]
    passed = sum(r["result"] in PASSED for r in results)
    skipped = sum(r["result"] in SKIPPED for r in results)

    for result in failed:
        print_failure(result)
    if failed:
        print()
    elif meson_failed:
        print("meson test failed, though no test did; see meson-logs/ "
              "of the build directory")
    if not results:
        print("no test ran")
    line = f"{passed} passed, {len(failed)} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    return 0 if results and not failed and not meson_failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
