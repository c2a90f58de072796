"""The trigger polls a session without starting a JVM, and waits out a history database outage."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from delta_agent_provider.triggers.delta_agent import (
    AgentPoller,
    DeltaAgentSessionTrigger,
    PostgresPoller,
    StatusFilePoller,
)


def session_doc(state: str, **extra: Any) -> dict[str, Any]:
    return {
        "schemaVersion": 1,
        "command": "session",
        "session": "s1",
        "state": state,
        "owner": f"cli:{socket.gethostname()}:{os.getpid()}",
        "startedAt": datetime.now(timezone.utc).isoformat(),
        "endedAt": None,
        "exitCode": None,
        "result": None,
        "runs": [],
        "log": "/tmp/s1.log",
        "cancelRequestedAt": None,
        "message": None,
        **extra,
    }


def trigger(**kwargs: Any) -> DeltaAgentSessionTrigger:
    # the agent command cannot run: a fall back to 'delta-agent session' would fail the test
    return DeltaAgentSessionTrigger(session_id="s1", agent_command=["/nonexistent/delta-agent"], **kwargs)


async def first_event(t: DeltaAgentSessionTrigger, timeout: float = 20) -> dict[str, Any]:
    async def first() -> dict[str, Any]:
        async for event in t.run():
            return event.payload
        raise AssertionError("no event")

    return await asyncio.wait_for(first(), timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_status_file_is_polled_until_the_session_ends(tmp_path: Path):
    status_file = tmp_path / "s1.status.json"
    status_file.write_text(json.dumps(session_doc("RUNNING")))
    t = trigger(poll_interval=0.05, detach={"statusFile": str(status_file)})
    assert isinstance(t.poller(t.hook()), StatusFilePoller)

    async def scenario() -> dict[str, Any]:
        async def end_later() -> None:
            await asyncio.sleep(0.3)
            tmp = status_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(session_doc("ENDED", exitCode=0, result={"command": "maintain", "tables": []})))
            os.replace(tmp, status_file)  # as the agent replaces it: atomically

        ender = asyncio.ensure_future(end_later())
        event = await first_event(t)
        await ender
        return event

    event = asyncio.run(scenario())
    assert event["status"] == "session"
    assert event["session"]["state"] == "ENDED"
    assert event["session"]["exitCode"] == 0
    assert event["detach"] == {"statusFile": str(status_file)}


def test_a_status_file_left_running_by_a_gone_process_asks_the_agent_once(tmp_path: Path, dead_pid: int):
    # the process ended the session in the history database but could not rewrite its file (a full disk)
    status_file = tmp_path / "s1.status.json"
    status_file.write_text(json.dumps({**session_doc("RUNNING"), "owner": f"cli:{socket.gethostname()}:{dead_pid}"}))
    agent = tmp_path / "agent"
    ended = json.dumps(session_doc("ENDED", exitCode=0, result={"command": "maintain", "tables": []}))
    agent.write_text(f"#!/bin/sh\necho '{ended}'\n")
    agent.chmod(0o755)
    t = DeltaAgentSessionTrigger(
        session_id="s1", agent_command=[str(agent)], poll_interval=0.05, detach={"statusFile": str(status_file)}
    )
    event = asyncio.run(first_event(t))
    assert event["session"]["state"] == "ENDED"
    assert event["session"]["exitCode"] == 0


def test_without_a_status_file_here_it_falls_back_to_the_agent(tmp_path: Path):
    t = trigger(detach={"statusFile": str(tmp_path / "on-another-host.status.json")})
    assert isinstance(t.poller(t.hook()), AgentPoller)
    assert isinstance(trigger().poller(trigger().hook()), AgentPoller)


def test_a_postgres_history_is_read_directly(tmp_path: Path):
    pytest.importorskip("psycopg")
    t = trigger(history_db="jdbc:postgresql://127.0.0.1:5/agent", detach={"statusFile": str(tmp_path / "x")})
    assert isinstance(t.poller(t.hook()), PostgresPoller)


def test_an_unreachable_postgres_history_is_waited_out_then_reported(tmp_path: Path):
    pytest.importorskip("psycopg")
    url = f"jdbc:postgresql://127.0.0.1:{free_port()}/agent?connectTimeout=2"
    t = trigger(history_db=url, poll_interval=0.05, max_failures=1, unreachable_timeout=1.0)
    t0 = time.monotonic()
    event = asyncio.run(first_event(t))
    # max_failures=1 would have ended it at the first poll: an outage is not counted as a failed poll
    assert time.monotonic() - t0 >= 1.0
    assert event["status"] == "error"
    assert "the history database was unreachable for" in event["message"]
    assert "OperationalError" in event["message"]


def test_a_poll_of_the_status_file_costs_well_under_a_millisecond_of_cpu(tmp_path: Path):
    status_file = tmp_path / "s1.status.json"
    status_file.write_text(json.dumps(session_doc("RUNNING", runs=[{"runId": 1, "state": "RUNNING"}] * 10)))
    poll = StatusFilePoller(str(status_file))

    async def polls(n: int) -> float:
        t0 = time.process_time()
        for _ in range(n):
            doc, problem, _ = await poll()
            assert problem is None and doc["state"] == "RUNNING"
        return (time.process_time() - t0) / n

    per_poll = asyncio.run(polls(200))
    assert per_poll < 0.01, f"{per_poll * 1000:.3f} ms of CPU per poll"


def test_the_trigger_serializes_what_it_needs_to_resume_in_another_triggerer(tmp_path: Path):
    t = trigger(history_db="jdbc:postgresql://db/agent", detach={"statusFile": "/x"}, unreachable_timeout=60)
    path, kwargs = t.serialize()
    assert path == "delta_agent_provider.triggers.delta_agent.DeltaAgentSessionTrigger"
    again = DeltaAgentSessionTrigger(**kwargs)
    assert again.serialize() == (path, kwargs)
    assert kwargs["unreachable_timeout"] == 60.0
