"""Charts for docs/BENCHMARKS.md from the JSON lines of bench-audit, bench-maintain and bench-fleet (run by scripts/bench-chart)."""
import os
import json
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def lines(path):
    if not os.path.exists(path):  # a benchmark not run: no chart for it
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def audit_chart(results, png):
    # local disk only: bench-audit --s3 rows (storage "s3") are a different measurement
    runs = [r for r in results if r.get("bench") == "audit" and r.get("exit") == 0 and not r.get("storage")]
    if not runs:
        return
    tails = sorted({r["commitsSinceCheckpoint"] for r in runs})
    fig, axes = plt.subplots(1, len(tails), figsize=(6 * len(tails), 4.5), squeeze=False, sharey=True)
    for ax, tail in zip(axes[0], tails):
        wall = defaultdict(dict)
        for r in runs:
            if r["commitsSinceCheckpoint"] == tail:
                wall[r["tool"]][r["files"]] = r["wallSeconds"]  # the newest run of a tool and size wins
        for tool in sorted(wall):
            xs = sorted(wall[tool])
            style = "-o" if tool.startswith("agent-") else "--s"
            ax.plot(xs, [wall[tool][x] for x in xs], style, label=tool)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("active files")
        ax.set_title(f"{tail} commits since the last checkpoint")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("wall seconds, one cold process")
    for ax in axes[0]:
        ax.legend(fontsize=7)
    fig.suptitle("Audit of one table: wall time by file count and tool")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def maintain_chart(results, png):
    runs = [r for r in results if r.get("bench") == "maintain"]
    state = {}
    logs = defaultdict(list)
    for r in runs:
        if r["phase"] in ("before", "after-optimize", "after-zorder") and r["result"]:
            state[r["phase"]] = r["result"]
        elif r["phase"].startswith("log-") and r["result"]:
            logs[r["phase"]].append(r["result"]["tables"][0]["health"]["readCost"]["snapshotMillis"])
    if not state:
        return
    phases = [p for p in ("before", "after-optimize", "after-zorder") if p in state]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    axes[0].bar(phases, [state[p]["files"] for p in phases], color="#4878a8")
    axes[0].set_yscale("log")
    axes[0].set_title("data files")
    width = 0.38
    xs = range(len(phases))
    axes[1].bar([x - width / 2 for x in xs], [state[p]["fullScanMedianMs"] for p in phases], width, label="full-scan aggregate")
    axes[1].bar([x + width / 2 for x in xs], [state[p]["selectiveMedianMs"] for p in phases], width, label="user_id = k")
    axes[1].set_xticks(list(xs), phases)
    axes[1].set_ylabel("median ms")
    axes[1].set_title("query latency")
    axes[1].legend(fontsize=8)
    med = lambda v: sorted(v)[len(v) // 2]
    names = [p for p in ("log-before", "log-after") if p in logs]
    axes[2].bar([n.replace("log-", "") + " checkpoint" for n in names], [med(logs[n]) for n in names], color="#6a9f58")
    axes[2].set_ylabel("median ms")
    axes[2].set_title("log read (cold snapshot)")
    fig.suptitle("Maintenance: before and after")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def fleet_chart(results, png):
    """Audit-cycle seconds by max-concurrent-audits: one line per storage and cycle (1: full reads, 2: re-audits)."""
    runs = [r for r in results if r.get("bench") == "fleet"]
    if not runs:
        return
    took = defaultdict(dict)
    tables = max(r["tables"] for r in runs)
    for r in runs:
        if r["tables"] == tables:  # the largest fleet measured; the newest run of each point wins
            where = "S3, %d ms/request" % r["latencyMs"] if r["storage"] == "s3" else "local disk"
            label = "%s, cycle %d (%s)" % (where, r["cycle"], "full reads" if r["cycle"] == 1 else "re-audits")
            took[label][r["concurrency"]] = r["tookMs"] / 1000.0
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label in sorted(took):
        xs = sorted(took[label])
        ax.plot(xs, [took[label][x] for x in xs], "-o" if "cycle 1" in label else "--s", label=label)
    ax.set_xlabel("daemon.max-concurrent-audits")
    ax.set_ylabel("audit cycle, seconds (daemon log)")
    ax.set_yscale("log")
    ax.set_xticks(sorted({c for d in took.values() for c in d}))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title("Daemon audit cycle over %d tables" % tables)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) not in (5, 7):
        sys.exit("usage: bench_chart.py AUDIT.jsonl MAINTAIN.jsonl AUDIT.png MAINTAIN.png [FLEET.jsonl FLEET.png]")
    audit_chart(lines(sys.argv[1]), sys.argv[3])
    maintain_chart(lines(sys.argv[2]), sys.argv[4])
    if len(sys.argv) == 7 and os.path.exists(sys.argv[5]):
        fleet_chart(lines(sys.argv[5]), sys.argv[6])
