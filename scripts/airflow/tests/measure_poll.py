"""Measures the CPU one poll of a deferred session costs the triggerer, each way the trigger can poll.

Usage: measure_poll.py WORK_DIR   (after run-tests' DAG runs: their logs name the sessions)
Prints one line, ``poll-cpu: ...``: milliseconds of CPU (time.process_time, the triggerer's own process) per poll
of the status file and of the PostgreSQL history, over many polls, and for comparison the CPU (user + system, of
the child processes) of one ``delta-agent session ID`` run, which is what each poll cost before.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from delta_agent_provider.session_status import postgres_conninfo
from delta_agent_provider.triggers.delta_agent import PostgresPoller, StatusFilePoller

WORK = Path(sys.argv[1])
N = 200


async def cpu_per_poll(poll, n: int) -> float:
    doc, problem, _ = await poll()  # warm: imports, first connection
    assert problem is None, problem
    t0 = time.process_time()
    for _ in range(n):
        doc, problem, _ = await poll()
        assert problem is None and doc["state"], problem
    return (time.process_time() - t0) / n * 1000


def session(log: Path, dag: str) -> tuple[str | None, str | None]:
    text = log.read_text() if log.exists() else ""
    sid = re.search(
        rf"delta-agent session (airflow-{dag}-maintain_\w+-\S+) started \(owner \S+, agent log ([^ ,)]+)", text
    )
    return (sid.group(1), sid.group(2)) if sid else (None, None)


figures = []
sid, agent_log = session(WORK / "provider-test.log", "delta_agent_provider")
if agent_log and os.path.exists(agent_log[: -len(".log")] + ".status.json"):
    ms = asyncio.run(cpu_per_poll(StatusFilePoller(agent_log[: -len(".log")] + ".status.json"), N))
    figures.append(f"status file {ms:.2f} ms")
pg_sid, _ = session(WORK / "outage-test.log", "delta_agent_outage")
if pg_sid and os.environ.get("PG_HISTORY_DB"):
    info = postgres_conninfo(os.environ["PG_HISTORY_DB"], {"DELTA_AGENT_DB_USER": "agent"})
    ms = asyncio.run(cpu_per_poll(PostgresPoller(pg_sid, info), N))
    figures.append(f"PostgreSQL {ms:.2f} ms")
if sid:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    runs = 3
    for _ in range(runs):
        subprocess.run(
            [
                os.environ["DELTA_AGENT"],
                "session",
                sid,
                "--history-db",
                f"jdbc:h2:file:{WORK}/history",
                "--format",
                "json",
            ],
            capture_output=True,
            check=True,
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ms = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) / runs * 1000
    figures.append(f"agent JVM (before) {ms:.0f} ms")
print(f"poll-cpu: {', '.join(figures) or 'nothing to measure'} (CPU per poll, {N} polls each)", flush=True)
