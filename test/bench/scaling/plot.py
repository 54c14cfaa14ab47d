"""Plots of docs/performance.md from test/bench/scaling/run.sh's CSV:
wall time and peak memory against seekers, per area and mode, on log-log
axes, written as SVG with no date in them so that a rerun on the same
figures changes no byte.

    python3 test/bench/scaling/plot.py scaling.csv DIR"""

import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend comes first)

source, target = sys.argv[1:3]
rows = list(csv.DictReader(open(source)))
plt.rcParams["svg.hashsalt"] = "kerjadekat"
series = sorted({(r["area"], r["mode"]) for r in rows})
for column, label, name in (("wall_s", "wall clock, seconds", "match-time.svg"),
                            ("peak_rss_mib", "peak RSS, MiB", "match-memory.svg")):
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for area, mode in series:
        points = sorted((int(r["seekers"]), float(r[column])) for r in rows
                        if r["area"] == area and r["mode"] == mode)
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                linestyle="-" if area == "national" else "--", label=f"{area}, {mode}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("seekers (vacancies: one per 7.3 seekers)")
    ax.set_ylabel(label)
    ax.grid(True, which="both", linewidth=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(f"{target}/{name}", metadata={"Date": None})
    plt.close(fig)
    print(f"plot.py: {target}/{name}")
