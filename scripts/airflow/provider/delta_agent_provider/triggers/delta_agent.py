"""The trigger that follows a detached ``delta-agent maintain`` session until it ends.

The deferred operator has started ``delta-agent maintain --detach --session ID``; this trigger, in the
triggerer, runs ``delta-agent session ID --format json`` every ``poll_interval`` seconds (a subprocess started
with asyncio: nothing blocks the event loop) and fires one event when the session is ``ENDED`` or ``LOST``:

- ``{"status": "session", "session": {...the session document...}, ...}``: what ``execute_complete`` maps
  to the task's state exactly as the synchronous path maps the agent's exit code and result;
- ``{"status": "error", "message": "..."}``: the agent could not tell the session's state
  ``max_failures`` times in a row.

When the trigger is cancelled because its task instance was stopped (marked failed or success, cleared, timed
out), it asks the agent to cancel the session (``session ID --cancel``), best effort. A cancellation while the
task is still deferred (a triggerer restarting or handing its triggers over) cancels nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from delta_agent_provider._compat import AIRFLOW_3
from delta_agent_provider.hooks.delta_agent import AgentRun, DeltaAgentHook

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
    :param max_failures: agent calls in a row that may fail before the trigger gives up
    :param detach: the ``--detach`` document (log path, owner), passed on to the task
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
        except Exception as e:
            yield TriggerEvent({"status": "error", "session_id": self.session_id, "message": str(e)})
            return
        argv = hook.session_command(self.session_id)
        failures = 0
        last_progress = None
        try:
            while True:
                try:
                    run = await hook.run_async(argv)
                    problem = _problem(run)
                except Exception as e:  # the agent could not be started
                    run, problem = None, f"{type(e).__name__}: {e}"
                if problem is None and run is not None and run.document is not None:
                    failures = 0
                    status = run.document
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
                        yield TriggerEvent(
                            {
                                "status": "error",
                                "session_id": self.session_id,
                                "message": f"delta-agent session {self.session_id}: the agent could not report the "
                                f"session's state {failures} times in a row; last: {problem}",
                                "detach": self.detach,
                            }
                        )
                        return
                await asyncio.sleep(self.poll_interval)
        except asyncio.CancelledError:
            await self._cancel_session(hook)
            raise

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
