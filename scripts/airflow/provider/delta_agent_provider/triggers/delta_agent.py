"""The trigger that follows a detached ``delta-agent maintain`` session until it ends.

The deferred operator has started ``delta-agent maintain --detach --session ID``; this trigger, in the
triggerer, reads the session's status every ``poll_interval`` seconds without starting a JVM
(:mod:`delta_agent_provider.session_status`):

- with a PostgreSQL history database and ``psycopg`` installed, from the database (two read-only queries, an
  async connection: nothing blocks the event loop; works from any host);
- else from the session's status file (``statusFile`` of the ``--detach`` document) when this host can read it
  (an embedded H2 history: worker and triggerer share the host);
- else, as before, by running ``delta-agent session ID --format json`` (a JVM per poll): an agent without
  status files, or a triggerer on another host without psycopg.

It fires one event when the session is ``ENDED`` or ``LOST``:

- ``{"status": "session", "session": {...the session document...}, ...}``: what ``execute_complete`` maps
  to the task's state exactly as the synchronous path maps the agent's exit code and result;
- ``{"status": "error", "message": "..."}``: the status could not be read ``max_failures`` times in a row, or
  the history database stayed unreachable for ``unreachable_timeout`` seconds (an outage shorter than that
  only delays the event: the session goes on in its own process meanwhile).

When the trigger is cancelled because its task instance was stopped (marked failed or success, cleared, timed
out), it asks the agent to cancel the session (``session ID --cancel``), best effort. A cancellation while the
task is still deferred (a triggerer restarting or handing its triggers over) cancels nothing.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from delta_agent_provider._compat import AIRFLOW_3
from delta_agent_provider.hooks.delta_agent import AgentRun, DeltaAgentHook
from delta_agent_provider.session_status import (
    SessionNotFoundError,
    is_postgres,
    postgres_conninfo,
    read_postgres,
    read_status_file,
)

FINAL_STATES = ("ENDED", "LOST")


class DeltaAgentSessionTrigger(BaseTrigger):
    """Polls a detached agent session until it ends.

    :param session_id: the session ``maintain --detach --session`` started
    :param delta_agent_conn_id: the ``delta_agent`` connection (agent command, history DB, credentials)
    :param agent_command: the agent's argv, when given to the operator (overrides the connection's)
    :param history_db: the history database's JDBC URL, when given to the operator
    :param env: environment variables the operator was given for the agent (stored with the trigger,
        encrypted, in Airflow's database: prefer connections for credentials)
    :param poll_interval: seconds between two polls
    :param max_failures: polls in a row that may fail before the trigger gives up
    :param detach: the ``--detach`` document (log path, status file, owner), passed on to the task
    :param unreachable_timeout: seconds the PostgreSQL history database may stay unreachable before the trigger
        gives up (the session's own process goes on meanwhile)
    """

    def __init__(
        self,
        *,
        session_id: str,
        delta_agent_conn_id: str | None = None,
        agent_command: Sequence[str] | None = None,
        history_db: str | None = None,
        env: Mapping[str, str] | None = None,
        poll_interval: float = 30.0,
        max_failures: int = 3,
        detach: Mapping[str, Any] | None = None,
        unreachable_timeout: float = 3600.0,
    ) -> None:
        super().__init__()
        self.session_id = session_id
        self.delta_agent_conn_id = delta_agent_conn_id
        self.agent_command = list(agent_command) if agent_command else None
        self.history_db = history_db
        self.env = dict(env or {})
        self.poll_interval = float(poll_interval)
        self.max_failures = int(max_failures)
        self.detach = dict(detach or {})
        self.unreachable_timeout = float(unreachable_timeout)

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "session_id": self.session_id,
                "delta_agent_conn_id": self.delta_agent_conn_id,
                "agent_command": self.agent_command,
                "history_db": self.history_db,
                "env": self.env,
                "poll_interval": self.poll_interval,
                "max_failures": self.max_failures,
                "detach": self.detach,
                "unreachable_timeout": self.unreachable_timeout,
            },
        )

    def hook(self) -> DeltaAgentHook:
        return DeltaAgentHook(
            self.delta_agent_conn_id,
            agent_command=self.agent_command,
            history_db=self.history_db,
            env=self.env,
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        hook = self.hook()
        try:
            await _in_thread(hook.settings)  # reads connections: not on the event loop
            poll = self.poller(hook)
        except Exception as e:
            yield TriggerEvent({"status": "error", "session_id": self.session_id, "message": str(e)})
            return
        self.log.info("delta-agent session %s: polled %s every %ss", self.session_id, poll.source, self.poll_interval)
        failures = 0
        unreachable_since: float | None = None
        last_progress = None
        try:
            while True:
                status, problem, transient = await poll()
                if status is not None:
                    failures, unreachable_since = 0, None
                    progress = (
                        status.get("state"),
                        [(r.get("table"), r.get("state")) for r in status.get("runs") or []],
                    )
                    if progress != last_progress:
                        self.log.info("delta-agent session %s: %s %s", self.session_id, *progress)
                        last_progress = progress
                    if status.get("state") in FINAL_STATES:
                        yield TriggerEvent(
                            {
                                "status": "session",
                                "session_id": self.session_id,
                                "session": status,
                                "detach": self.detach,
                            }
                        )
                        return
                elif transient:
                    # the history database is down: the session runs on in its own process; wait for it
                    now = time.monotonic()
                    unreachable_since = unreachable_since or now
                    self.log.warning(
                        "delta-agent session %s: the history database is unreachable (%s); polling on for up to %ss",
                        self.session_id,
                        problem,
                        int(self.unreachable_timeout - (now - unreachable_since)),
                    )
                    if now - unreachable_since >= self.unreachable_timeout:
                        yield self._error(
                            f"the history database was unreachable for {int(now - unreachable_since)} s; "
                            f"last: {problem}"
                        )
                        return
                else:
                    failures += 1
                    self.log.warning(
                        "delta-agent session %s: poll %d of %d failed: %s",
                        self.session_id,
                        failures,
                        self.max_failures,
                        problem,
                    )
                    if failures >= self.max_failures:
                        yield self._error(
                            f"the session's state could not be read {failures} times in a row; last: {problem}"
                        )
                        return
                await asyncio.sleep(self.poll_interval)
        except asyncio.CancelledError:
            await self._cancel_session(hook)
            raise

    def _error(self, why: str) -> TriggerEvent:
        return TriggerEvent(
            {
                "status": "error",
                "session_id": self.session_id,
                "message": f"delta-agent session {self.session_id}: {why}",
                "detach": self.detach,
            }
        )

    def poller(self, hook: DeltaAgentHook) -> SessionPoller:
        """The cheapest way this triggerer can read the session: the PostgreSQL history, the status file, the agent."""
        settings = hook.settings()
        if is_postgres(settings.history_db):
            try:
                import psycopg  # noqa: F401
            except ImportError:
                self.log.info("psycopg is not installed: the PostgreSQL history database is not read directly")
            else:
                return PostgresPoller(self.session_id, postgres_conninfo(str(settings.history_db), settings.env))
        status_file = self.detach.get("statusFile")
        if status_file:
            if os.path.exists(str(status_file)):
                return StatusFilePoller(str(status_file), AgentPoller(hook, hook.session_command(self.session_id)))
            self.log.info("the session's status file %s is not on this host", status_file)
        return AgentPoller(hook, hook.session_command(self.session_id))

    async def _cancel_session(self, hook: DeltaAgentHook) -> None:
        """Cancels the session when the task instance is no longer deferred (it was stopped), best effort."""
        try:
            still_deferred = await _in_thread(self._task_still_deferred)
        except Exception as e:
            self.log.warning(
                "delta-agent session %s: cannot tell the task's state (%s); not cancelling", self.session_id, e
            )
            return
        if still_deferred is not False:
            self.log.info(
                "delta-agent session %s: trigger stopped while its task is deferred; the session goes on",
                self.session_id,
            )
            return
        try:
            run = await asyncio.shield(hook.run_async(hook.session_command(self.session_id, cancel=True), timeout=60))
            self.log.info("delta-agent session %s: cancel asked, agent exited %d", self.session_id, run.exit_code)
        except Exception as e:
            self.log.warning("delta-agent session %s: cancel failed: %s", self.session_id, e)

    def _task_still_deferred(self) -> bool | None:
        """Whether this trigger's task instance is still deferred; None when it cannot be told."""
        ti = getattr(self, "task_instance", None)
        if ti is None:
            return None
        if AIRFLOW_3:
            from airflow.sdk.execution_time.task_runner import RuntimeTaskInstance

            states = RuntimeTaskInstance.get_task_states(
                dag_id=ti.dag_id, map_index=ti.map_index, task_ids=[ti.task_id], run_ids=[ti.run_id]
            )
            state = (states.get(ti.run_id) or {}).get(ti.task_id)
        else:
            from airflow.models.taskinstance import TaskInstance
            from airflow.utils.session import create_session

            with create_session() as session:
                state = (
                    session.query(TaskInstance.state)
                    .filter(
                        TaskInstance.dag_id == ti.dag_id,
                        TaskInstance.task_id == ti.task_id,
                        TaskInstance.run_id == ti.run_id,
                        TaskInstance.map_index == ti.map_index,
                    )
                    .scalar()
                )
        return str(state).lower().rsplit(".", 1)[-1] == "deferred" if state is not None else None


Poll = tuple[dict[str, Any] | None, str | None, bool]
"""One poll: the session document, or why there is none and whether the cause is transient (a database outage)."""


class SessionPoller:
    """Reads a session's status once per call: ``(document, None, False)`` or ``(None, problem, transient)``."""

    source = "?"

    async def __call__(self) -> Poll:
        raise NotImplementedError


class PostgresPoller(SessionPoller):
    """Two read-only queries against the PostgreSQL history database, on an async connection."""

    def __init__(self, session_id: str, conninfo: Mapping[str, Any]) -> None:
        self.session_id = session_id
        self.conninfo = dict(conninfo)
        self.source = f"from the history database {self.conninfo.get('host')}:{self.conninfo.get('port')}"

    async def __call__(self) -> Poll:
        import psycopg

        try:
            return await read_postgres(self.conninfo, self.session_id), None, False
        except SessionNotFoundError as e:
            return None, str(e), False
        except psycopg.OperationalError as e:  # refused, reset, timed out, shutting down: an outage
            return None, f"{type(e).__name__}: {str(e).strip()[:300]}", True
        except Exception as e:  # a schema that does not fit, ...: counted as a failed poll
            return None, f"{type(e).__name__}: {str(e).strip()[:300]}", False


class StatusFilePoller(SessionPoller):
    """The session's status file, written by its process when it starts and when it ends (this host only).

    A file that still says RUNNING while its process is gone reads as LOST; as the process may have ended the
    session in the history database without rewriting the file (a full disk), ``when_lost`` (the agent) is
    asked once for the last word.
    """

    def __init__(self, path: str, when_lost: SessionPoller | None = None) -> None:
        self.path = path
        self.when_lost = when_lost
        self.source = f"from its status file {path}"

    async def __call__(self) -> Poll:
        try:
            status = read_status_file(self.path)
        except (OSError, ValueError) as e:
            return None, f"{type(e).__name__}: {e}", False
        if status.get("state") == "LOST" and self.when_lost is not None:
            recorded, _, _ = await self.when_lost()
            if recorded is not None:
                return recorded, None, False
        return status, None, False


class AgentPoller(SessionPoller):
    """``delta-agent session ID --format json``: a JVM per poll, for agents and hosts the others cannot serve."""

    source = "by running delta-agent session (a JVM per poll)"

    def __init__(self, hook: DeltaAgentHook, argv: Sequence[str]) -> None:
        self.hook = hook
        self.argv = list(argv)

    async def __call__(self) -> Poll:
        try:
            run = await self.hook.run_async(self.argv)
        except Exception as e:  # the agent could not be started
            return None, f"{type(e).__name__}: {e}", False
        problem = _problem(run)
        return (run.document, None, False) if problem is None else (None, problem, False)


def _problem(run: AgentRun) -> str | None:
    if run.exit_code != 0:
        return f"exit {run.exit_code}: {run.detail()}"
    if run.document is None:
        return "no JSON document on stdout"
    if run.document.get("command") != "session" or "state" not in run.document:
        return f"not a session document: {str(run.document)[:200]}"
    return None


async def _in_thread(fn: Any) -> Any:
    try:  # asgiref carries Airflow 3's supervisor context into the thread, as official providers do
        from asgiref.sync import sync_to_async
    except ImportError:  # pragma: no cover - asgiref comes with Airflow
        return await asyncio.to_thread(fn)
    return await sync_to_async(fn)()
