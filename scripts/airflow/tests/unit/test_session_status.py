"""Reading a detached session's status without a JVM: the status file, PostgreSQL rows, and a process that is gone."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from delta_agent_provider.session_status import (
    document_from_rows,
    is_postgres,
    postgres_conninfo,
    read_status_file,
)


def status(owner: str, state: str = "RUNNING", **extra) -> dict:
    return {
        "schemaVersion": 1,
        "command": "session",
        "session": "s1",
        "state": state,
        "owner": owner,
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


def this_host() -> str:
    import socket

    return socket.gethostname()


def write(path: Path, doc: dict) -> str:
    path.write_text(json.dumps(doc))
    return str(path)


def test_a_running_session_of_a_live_process_is_running(tmp_path):
    doc = read_status_file(write(tmp_path / "s.json", status(f"cli:{this_host()}:{os.getpid()}")))
    assert doc["state"] == "RUNNING"


def test_a_running_session_whose_process_is_gone_is_lost_as_the_agent_says(tmp_path, dead_pid):
    doc = read_status_file(write(tmp_path / "s.json", status(f"cli:{this_host()}:{dead_pid}")))
    assert doc["state"] == "LOST"
    assert f"the agent process cli:{this_host()}:{dead_pid} is gone" in doc["message"]


def test_a_pid_reused_by_a_later_process_counts_as_gone(tmp_path):
    # this test's own process started before the session: the session's process cannot be this one
    later = status(f"cli:{this_host()}:{os.getpid()}", startedAt="2000-01-01T00:00:00Z")
    assert read_status_file(write(tmp_path / "s.json", later))["state"] == "LOST"


def test_a_process_on_another_host_counts_as_running(tmp_path, dead_pid):
    doc = read_status_file(write(tmp_path / "s.json", status(f"cli:elsewhere.invalid:{dead_pid}")))
    assert doc["state"] == "RUNNING"


def test_an_ended_session_is_read_as_written(tmp_path, dead_pid):
    ended = status(f"cli:{this_host()}:{dead_pid}", "ENDED", exitCode=0, result={"command": "maintain", "tables": []})
    assert read_status_file(write(tmp_path / "s.json", ended)) == ended


def test_a_file_that_is_not_a_session_document_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a session status document"):
        read_status_file(write(tmp_path / "s.json", {"command": "maintain"}))
    with pytest.raises(OSError):
        read_status_file(str(tmp_path / "missing.json"))


def test_rows_make_the_document_the_session_command_prints():
    started = datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc)
    ended = datetime(2026, 1, 1, 0, 5, 30, 123000, tzinfo=timezone.utc)
    row = ("s1", "cli:worker-9:12", started, ended, 0, "/var/log/s1.log", '{"command": "maintain", "tables": []}', None)
    runs = [(7, "s3a://lake/t", "OPTIMIZE", 0, 0, "SUCCEEDED", "https://dbc/run/7")]
    doc = document_from_rows(row, runs)
    assert doc["state"] == "ENDED"
    assert doc["exitCode"] == 0
    assert doc["result"] == {"command": "maintain", "tables": []}
    assert doc["startedAt"] == "2026-01-01T00:00:00Z"
    assert doc["endedAt"] == "2026-01-01T00:05:30.123000Z"
    assert doc["runs"] == [
        {
            "runId": 7,
            "table": "s3a://lake/t",
            "action": "OPTIMIZE",
            "unit": 1,
            "units": 1,
            "state": "SUCCEEDED",
            "runUrl": "https://dbc/run/7",
        }
    ]
    running = document_from_rows((*row[:3], None, None, *row[5:7], started), [])
    assert running["state"] == "RUNNING"
    assert running["cancelRequestedAt"] == "2026-01-01T00:00:00Z"


def test_the_jdbc_url_and_the_agents_variables_make_psycopgs_settings():
    env = {"DELTA_AGENT_DB_USER": "agent", "DELTA_AGENT_DB_PASSWORD": "s3cret"}
    info = postgres_conninfo("jdbc:postgresql://db.internal:6432/history?sslmode=require&currentSchema=agent", env)
    assert info == {
        "host": "db.internal",
        "port": 6432,
        "dbname": "history",
        "user": "agent",
        "password": "s3cret",
        "connect_timeout": 10,
        "application_name": "delta-agent-airflow-trigger",
        "sslmode": "require",
        "options": "-c search_path=agent",
    }
    assert postgres_conninfo("jdbc:postgresql://db/h", {})["port"] == 5432
    assert is_postgres("jdbc:postgresql://db/h") and not is_postgres("jdbc:h2:file:/x") and not is_postgres(None)
    with pytest.raises(ValueError, match="not a jdbc:postgresql://host"):
        postgres_conninfo("jdbc:postgresql:history", env)
