"""Fast unit tests of the provider: no scheduler, no DAG run, no JVM (run-tests runs them in each Airflow venv)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


class FakeTaskInstance:
    """What the operator uses of a task instance: xcom_push, and the ids a deferred session id is made of."""

    dag_id, task_id, run_id, map_index, try_number = "dag", "task", "manual__1", -1, 1

    def __init__(self) -> None:
        self.xcoms: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[key] = value


@pytest.fixture
def context() -> dict[str, Any]:
    return {"ti": FakeTaskInstance(), "outlet_events": {}}


@pytest.fixture
def connection(monkeypatch: pytest.MonkeyPatch):
    """Defines an Airflow connection through AIRFLOW_CONN_<ID> (the environment secrets backend)."""

    def define(conn_id: str, **fields: Any) -> None:
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(fields))

    return define


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def fake_agent(tmp_path: Path) -> Path:
    """An executable that answers --version as the agent does and fails anything else (no JVM)."""
    agent = tmp_path / "delta-agent"
    agent.write_text('#!/bin/sh\nif [ "$1" = --version ]; then echo "delta-agent 9.9.9-test"; exit 0; fi\nexit 70\n')
    agent.chmod(0o755)
    return agent


@pytest.fixture(autouse=True)
def _no_agent_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # a unit test that fell back to running the real agent would start a JVM: make that fail loudly instead
    monkeypatch.setenv("DELTA_AGENT", "/nonexistent/delta-agent")
    os.environ.pop("DELTA_AGENT_DB_PASSWORD", None)
