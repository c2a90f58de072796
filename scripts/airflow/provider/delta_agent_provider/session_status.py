"""Where a detached session's status is read from without starting a JVM.

The agent records a detached ``maintain`` in two places a trigger can read cheaply:

- a PostgreSQL history database: the ``maintain_session`` row and the session's ``maintenance_run`` rows, read
  with :data:`SESSION_SQL` and :data:`RUNS_SQL` (read-only; works from any host). These two statements are a
  contract with the agent's schema: the agent's ``SessionSqlContractTest`` runs them, as written here, against a
  migrated history database, so a migration cannot break them silently;
- the status file ``ID.status.json`` beside the session's log (``statusFile`` of ``maintain --detach``): the
  document ``delta-agent session ID --format json`` prints, replaced atomically when the session starts and
  when it ends. Same host only, which an embedded H2 history implies anyway.

Both give the document ``session --format json`` prints (``state`` RUNNING, ENDED or LOST, ``exitCode``,
``result``, ``runs`` ...). A session whose process ran on this host and is gone without ending it is LOST, as
the agent says; a process on another host counts as running (nobody here can see it).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, unquote

SESSION_SQL = (
    "SELECT id, owner, started_at, ended_at, exit_code, log_path, document, cancel_requested_at "
    "FROM maintain_session WHERE id = %s"
)
RUNS_SQL = (
    "SELECT id, table_path, action, unit_index, unit_count, state, run_url "
    "FROM maintenance_run WHERE owner = %s AND submitted_at >= %s ORDER BY id"
)

SCHEMA_VERSION = 1
_JDBC_POSTGRES = re.compile(r"^jdbc:postgresql://(?P<hosts>[^/?]*)(?:/(?P<db>[^?]*))?(?:\?(?P<params>.*))?$")


class SessionNotFoundError(Exception):
    """The history database has no such session (the trigger was given the wrong database, or it was deleted)."""


def is_postgres(history_db: str | None) -> bool:
    return bool(history_db and history_db.startswith("jdbc:postgresql:"))


def postgres_conninfo(jdbc_url: str, env: Mapping[str, str]) -> dict[str, Any]:
    """psycopg's connection keywords for the agent's JDBC URL and its ``DELTA_AGENT_DB_USER``/``_PASSWORD``.

    Only the URL parameters libpq understands the same way are passed on (``sslmode``, ``connectTimeout`` as
    ``connect_timeout``, ``currentSchema`` as the search path); the others are JDBC driver settings.
    """
    match = _JDBC_POSTGRES.match(jdbc_url)
    if not match:
        raise ValueError(f"history database {jdbc_url!r}: not a jdbc:postgresql://host[:port]/database URL")
    host, _, port = match.group("hosts").split(",")[0].partition(":")
    params = dict(parse_qsl(match.group("params") or ""))
    info: dict[str, Any] = {
        "host": host or "localhost",
        "port": int(port) if port else 5432,
        "dbname": unquote(match.group("db") or "") or None,
        "user": env.get("DELTA_AGENT_DB_USER") or None,
        "password": env.get("DELTA_AGENT_DB_PASSWORD") or None,
        "connect_timeout": int(params.get("connectTimeout") or params.get("loginTimeout") or 10),
        "application_name": "delta-agent-airflow-trigger",
    }
    if params.get("sslmode"):
        info["sslmode"] = params["sslmode"]
    if params.get("currentSchema"):
        info["options"] = f"-c search_path={params['currentSchema']}"
    return {k: v for k, v in info.items() if v is not None}


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return str(value)


def document_from_rows(session_row: tuple[Any, ...], run_rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The ``session --format json`` document from :data:`SESSION_SQL`'s row and :data:`RUNS_SQL`'s rows."""
    sid, owner, started_at, ended_at, exit_code, log_path, document, cancel_at = session_row
    try:
        result = json.loads(document) if document else None
    except ValueError:
        result = None  # a stored value gone bad: as the agent shows it
    status = {
        "schemaVersion": SCHEMA_VERSION,
        "command": "session",
        "session": sid,
        "state": "ENDED" if ended_at is not None else "RUNNING",
        "owner": owner,
        "startedAt": _iso(started_at),
        "endedAt": _iso(ended_at),
        "exitCode": exit_code,
        "result": result,
        "runs": [
            {
                "runId": r[0],
                "table": r[1],
                "action": r[2],
                "unit": max(1, r[3] or 0),
                "units": max(1, r[4] or 0),
                "state": r[5],
                "runUrl": r[6],
            }
            for r in run_rows
        ],
        "log": log_path,
        "cancelRequestedAt": _iso(cancel_at),
        "message": None,
    }
    return with_liveness(status)


async def read_postgres(conninfo: Mapping[str, Any], session_id: str) -> dict[str, Any]:
    """The session's document from a PostgreSQL history database: one short read-only connection, two queries."""
    import psycopg

    async with await psycopg.AsyncConnection.connect(**conninfo, autocommit=True) as conn:
        await conn.set_read_only(True)
        async with conn.cursor() as cur:
            await cur.execute(SESSION_SQL, (session_id,))
            row = await cur.fetchone()
            if row is None:
                raise SessionNotFoundError(f"no maintain session {session_id} in the history database")
            await cur.execute(RUNS_SQL, (row[1], row[2]))
            runs = await cur.fetchall()
    return document_from_rows(tuple(row), [tuple(r) for r in runs])


def read_status_file(path: str) -> dict[str, Any]:
    """The session's document from its status file (raises OSError when unreadable, ValueError when not JSON)."""
    with open(path, encoding="utf-8") as f:
        status = json.load(f)
    if not isinstance(status, dict) or status.get("command") != "session" or "state" not in status:
        raise ValueError(f"{path}: not a session status document")
    return with_liveness(status)


def with_liveness(status: dict[str, Any]) -> dict[str, Any]:
    """``status`` as LOST when it is RUNNING but its process ran on this host and is gone, as the agent decides."""
    if status.get("state") != "RUNNING" or not _process_gone(status.get("owner"), status.get("startedAt")):
        return status
    gone = (
        f"the agent process {status.get('owner')} is gone without ending the session (killed, or its host "
        f"restarted); its runs are settled by the next maintain; its log: {status.get('log')}"
    )
    return {**status, "state": "LOST", "message": gone if not status.get("message") else f"{status['message']}; {gone}"}


def _process_gone(owner: Any, started_at: Any) -> bool:
    """Whether ``owner`` (``cli:HOST:PID``) ran on this host and no longer runs (a reused pid counts as gone)."""
    if not isinstance(owner, str) or not owner.startswith("cli:"):
        return False
    host, _, pid = owner[len("cli:") :].rpartition(":")
    if not pid.isdigit() or not _this_host(host):
        return False
    try:
        import psutil  # comes with Airflow

        created = psutil.Process(int(pid)).create_time()
    except Exception:  # psutil.NoSuchProcess, or no psutil: a signal 0 tells
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    started = _parse_instant(started_at)
    # the pid belongs to a process that started after the session: the session's own process is gone
    return started is not None and created > started.timestamp() + 1


def _this_host(host: str) -> bool:
    import socket

    names = {socket.gethostname(), socket.getfqdn(), "localhost"}
    return host in names or host.split(".")[0] in {n.split(".")[0] for n in names}


def _parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
