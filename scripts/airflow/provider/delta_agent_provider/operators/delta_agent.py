"""``DeltaMaintenanceOperator``: delta-agent's audit, plan or maintain as an Airflow task.

It runs the agent's CLI with ``--format json``, reads the one JSON document the agent writes on the last
line of stdout, returns it (so Airflow pushes it to XCom as ``return_value``) and maps the agent's exit
codes to task states:

======  ==================================  ==========================================================
 exit    agent                               task
======  ==================================  ==========================================================
 0       healthy / healed (or due, with      success; the document is the XCom value
         ``on_due="succeed"``)
 1       a table could not be read or a      failed with the agent's message; retried only when a retry
         job failed                          can help (a missing or non-Delta table is not retried)
 2       bad usage or config                 failed, not retried
 3       maintenance due (``on_due="fail"``)  failed, not retried (the agent would say the same again)
 4       not maintainable here (a catalog-    failed, not retried (``on_not_maintainable="fail"``, the
         managed table, a writer feature      default), or skipped (``"skip"``)
         the job runtime lacks)
 75      transient: history database or       failed and retried (Airflow's ``retries``): the outage may
         catalog unreachable, storage         be over by the next try
         throttled or timing out
 99      maintenance due (``on_due="skip"``)  skipped; the document is still pushed to XCom
======  ==================================  ==========================================================

Tables that ``maintain`` changed are emitted as dataset events (assets in Airflow 3) through a dataset
alias, ``delta-agent`` by default, with the before/after figures as the event's extra.

With ``deferrable=True``, ``maintain`` starts the agent detached (``maintain --detach --session ID``), frees
the worker and waits in the triggerer (:class:`DeltaAgentSessionTrigger`) until the session ends; the task
then resumes and maps the session's exit code and result exactly as above.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from delta_agent_provider._compat import (
    AirflowException,
    AirflowFailException,
    AirflowSkipException,
    AssetAlias,
    BaseOperator,
)
from delta_agent_provider._compat import Asset as _Asset
from delta_agent_provider.hooks.delta_agent import DeltaAgentHook
from delta_agent_provider.links.delta_agent import RUN_URLS_KEY, DeltaAgentRunLink
from delta_agent_provider.triggers.delta_agent import DeltaAgentSessionTrigger

try:  # Airflow 3.2+ moves the configuration to the task SDK
    from airflow.sdk.configuration import conf
except ImportError:
    from airflow.configuration import conf

EXIT_HEALTHY = 0
EXIT_TABLE_FAILED = 1
EXIT_USAGE = 2
EXIT_MAINTENANCE_DUE = 3
EXIT_NOT_MAINTAINABLE = 4
EXIT_TRANSIENT = 75
EXIT_SKIP = 99
EXIT_CANCELLED = 143

COMMANDS = ("audit", "plan", "maintain")

# Read failures a retry cannot fix: fail the task at once instead of retrying into the same error.
PERMANENT_ERROR_KINDS = frozenset(
    {"NOT_FOUND", "NOT_A_DELTA_TABLE", "CORRUPT_LOG", "UNSUPPORTED_PROTOCOL", "ACCESS_DENIED"}
)

ON_DUE_CHOICES = ("fail", "skip", "succeed")
ON_NOT_MAINTAINABLE_CHOICES = ("fail", "skip")

# Lines of a detached agent's log copied into the task log when the task resumes.
DETACHED_LOG_LINES = 400


def table_uri(table: str) -> str:
    """The dataset URI of a table: its URI as given, or ``file://`` and the absolute path for a local path."""
    if "://" in table:
        return table.rstrip("/")
    if table.startswith("file:"):
        table = table[len("file:") :]
    return "file://" + str(Path(table).absolute()).rstrip("/")


def failure_message(document: dict[str, Any]) -> tuple[str, bool]:
    """The agent's error messages in one string, and whether a retry could help."""
    errors = [t["error"] for t in document.get("tables", []) if t.get("error")]
    if not errors:
        return "the agent reported a failure but no table error", True
    message = "; ".join(e.get("message") or e.get("kind", "error") for e in errors)
    retryable = any(e.get("kind") not in PERMANENT_ERROR_KINDS for e in errors)
    return message, retryable


def run_urls(document: dict[str, Any] | None, session: dict[str, Any] | None = None) -> list[str]:
    """The backend run pages a result names (``tables[].actions[].runUrl``) and a session's ``runs[].runUrl``."""
    urls: list[str] = []
    for table in (document or {}).get("tables") or []:
        urls += [a["runUrl"] for a in table.get("actions") or [] if a.get("runUrl")]
    urls += [r["runUrl"] for r in (session or {}).get("runs") or [] if r.get("runUrl")]
    return list(dict.fromkeys(urls))


def session_id(dag_id: str, task_id: str, run_id: str, map_index: int, try_number: int) -> str:
    """A deterministic agent session id for one try of one task instance: readable, ``[A-Za-z0-9._-]``, <= 120.

    The same try submitting twice gets the same id, so the agent starts the maintenance once.
    """
    raw = f"{dag_id}/{task_id}/{run_id}/{map_index}/{try_number}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:10]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", f"airflow-{dag_id}-{task_id}-{run_id}-{map_index}-{try_number}")
    return f"{readable[:108].strip('-.')}-{digest}"


class DeltaMaintenanceOperator(BaseOperator):
    """Runs ``delta-agent audit``, ``plan`` or ``maintain`` for one table or a config file.

    :param command: ``audit`` (measure, change nothing), ``plan`` (list what maintain would run) or
        ``maintain`` (run the due maintenance jobs)
    :param table: a table path or ``s3a://`` URI (templated); with a config, the config's thresholds
        apply to it and the tables the config lists run too
    :param config: the agent's YAML config (templated); default: the connection's extra ``config``
    :param on_due: what "maintenance due" means for this task: ``fail``, ``skip`` or ``succeed``
    :param on_not_maintainable: what exit 4 (the agent will not maintain the table here: catalog-managed, or a
        writer feature its job runtime lacks) means: ``fail`` (the default, not retried: a retry meets the same
        table) or ``skip`` (a DAG over many tables that leaves those to their owner)
    :param delta_agent_conn_id: a ``delta_agent`` connection: agent command, history DB, credentials
        (see :class:`DeltaAgentHook`); None (the default) runs without one, as the arguments say
    :param agent_command: how to run the agent, a command line or its argv; default: the connection's,
        else ``$DELTA_AGENT``, else ``delta-agent`` on the PATH
    :param history_db: JDBC URL of maintain's history database (templated); default: the connection's,
        else the agent's
    :param extra_args: further agent arguments (templated), e.g. ``["--job-timeout", "1h"]``
    :param env: environment of the agent process, added to this worker's (credentials belong in
        connections or the worker's environment, never in arguments)
    :param dataset_alias: the alias through which maintained tables are emitted as dataset events; None for none
    :param deferrable: ``maintain`` only: start the agent detached and wait in the triggerer, freeing the
        worker; default: ``[operators] default_deferrable``
    :param poll_interval: seconds between two polls of a deferred session
    """

    template_fields: Sequence[str] = ("table", "config", "history_db", "extra_args")
    operator_extra_links = (DeltaAgentRunLink(),)
    ui_color = "#00add4"

    def __init__(
        self,
        *,
        command: str = "audit",
        table: str | None = None,
        config: str | None = None,
        on_due: str = "fail",
        on_not_maintainable: str = "fail",
        delta_agent_conn_id: str | None = None,
        agent_command: str | Sequence[str] | None = None,
        history_db: str | None = None,
        extra_args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        dataset_alias: str | None = "delta-agent",
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        poll_interval: float = 30.0,
        **kwargs: Any,
    ) -> None:
        if command not in COMMANDS:
            raise ValueError(f"command must be one of {', '.join(COMMANDS)}, not {command!r}")
        if on_due not in ON_DUE_CHOICES:
            raise ValueError(f"on_due must be one of {', '.join(ON_DUE_CHOICES)}, not {on_due!r}")
        if on_not_maintainable not in ON_NOT_MAINTAINABLE_CHOICES:
            raise ValueError(
                f"on_not_maintainable must be one of {', '.join(ON_NOT_MAINTAINABLE_CHOICES)}, "
                f"not {on_not_maintainable!r}"
            )
        if poll_interval <= 0:
            raise ValueError(f"poll_interval must be positive, not {poll_interval!r}")
        if dataset_alias and command == "maintain" and "outlets" not in kwargs:
            kwargs["outlets"] = [AssetAlias(dataset_alias)]
        super().__init__(**kwargs)
        self.command = command
        self.table = table
        self.config = config
        self.on_due = on_due
        self.on_not_maintainable = on_not_maintainable
        self.delta_agent_conn_id = delta_agent_conn_id
        self.agent_command = agent_command
        self.history_db = history_db
        self.extra_args = list(extra_args)
        self.env = env
        self.dataset_alias = dataset_alias if command == "maintain" else None
        self.deferrable = deferrable
        self.poll_interval = poll_interval
        self._hook: DeltaAgentHook | None = None
        self._session_id: str | None = None

    @property
    def hook(self) -> DeltaAgentHook:
        if self._hook is None:
            self._hook = DeltaAgentHook(
                self.delta_agent_conn_id,
                agent_command=self.agent_command,
                history_db=self.history_db,
                config=self.config,
                env=self.env,
            )
        return self._hook

    def argv(self, *options: str) -> list[str]:
        """The agent's command line (``options`` go before ``extra_args`` and the table)."""
        settings = self.hook.settings()
        if not self.table and not settings.config:
            raise AirflowFailException(f"{self.task_id}: name a table or a config for delta-agent {self.command}")
        args = [*settings.command, self.command, "--format", "json", "--on-due", self.on_due]
        if settings.config:
            args += ["--config", str(settings.config)]
        if settings.history_db and self.command == "maintain":
            args += ["--history-db", str(settings.history_db)]
        args += [*options, *(str(a) for a in self.extra_args)]
        if self.table:
            args.append(str(self.table))
        return args

    def execute(self, context: Any) -> dict[str, Any] | None:
        # the extra link reads run_urls whenever the task stops (Airflow 3 asks at each stop): never missing
        context["ti"].xcom_push(key=RUN_URLS_KEY, value=[])
        if self.deferrable and self.command == "maintain":
            return self._submit_and_defer(context)
        if self.deferrable:
            self.log.info("deferrable is for maintain: delta-agent %s runs in the worker (it is quick)", self.command)
        argv = self.argv()
        self.log.info("Running %s", shlex.join(argv))
        run = self.hook.run(argv, on_stderr=self._log_line)
        self.log.info("delta-agent %s exited %d", self.command, run.exit_code)
        if run.document is None and run.exit_code in (EXIT_HEALTHY, EXIT_TABLE_FAILED):
            self.log.error("no JSON document on the last line of stdout")
        return self._finish(context, run.exit_code, run.document, run.detail())

    def on_kill(self) -> None:
        # The agent runs in its own process group with the Spark jobs it starts: stop them all.
        self.hook.kill()
        if self._session_id is not None:  # killed while submitting a detached session
            self.log.info("cancelling delta-agent session %s", self._session_id)
            self.hook.run(self.hook.session_command(self._session_id, cancel=True))

    # -- deferrable maintain ---------------------------------------------------------------------------

    def _submit_and_defer(self, context: Any) -> None:
        ti = context["ti"]
        sid = session_id(ti.dag_id, ti.task_id, ti.run_id, ti.map_index, ti.try_number)
        argv = self.argv("--detach", "--session", sid)
        self.log.info("Running %s", shlex.join(argv))
        self._session_id = sid
        run = self.hook.run(argv, on_stderr=self._log_line)
        self._session_id = None
        detach = run.document
        if run.exit_code != EXIT_HEALTHY or not detach or not detach.get("detached"):
            if run.exit_code == EXIT_HEALTHY:
                raise AirflowException(
                    f"delta-agent maintain --detach exited 0 without a session document: {run.detail()}"
                )
            self._finish(context, run.exit_code, detach, run.detail())
            return None
        self.log.info(
            "delta-agent session %s %s (owner %s, agent log %s); deferring: the triggerer polls it every %ss",
            detach.get("session", sid),
            "was already running" if detach.get("existing") else "started",
            detach.get("owner"),
            detach.get("log"),
            self.poll_interval,
        )
        agent_command = self.agent_command
        if isinstance(agent_command, str):
            agent_command = shlex.split(agent_command)
        self.defer(
            trigger=DeltaAgentSessionTrigger(
                session_id=str(detach.get("session") or sid),
                delta_agent_conn_id=self.delta_agent_conn_id,
                agent_command=list(agent_command) if agent_command else None,
                history_db=self.history_db,
                env=self.env,
                poll_interval=self.poll_interval,
                detach={k: detach.get(k) for k in ("session", "owner", "log", "statusFile", "startedAt", "existing")},
            ),
            method_name="execute_complete",
            timeout=self.execution_timeout,
        )

    def execute_complete(self, context: Any, event: dict[str, Any]) -> dict[str, Any] | None:
        """Resumes after the trigger: maps the ended session as the synchronous path maps the agent's exit."""
        sid = event.get("session_id")
        if event.get("status") != "session":
            raise AirflowException(event.get("message") or f"delta-agent session {sid}: unknown event {event!r}")
        status = event.get("session") or {}
        self._copy_agent_log((event.get("detach") or {}).get("log"))
        document = status.get("result")
        self._push_run_urls(context, document, status)
        if status.get("state") == "LOST":
            raise AirflowException(
                f"delta-agent session {sid} was lost: {status.get('message') or 'its process is gone'} "
                "(the task is retried)"
            )
        exit_code = status.get("exitCode")
        self.log.info("delta-agent session %s ended: exit %s", sid, exit_code)
        if exit_code == EXIT_CANCELLED:
            errors = ""
            if document is not None:
                context["ti"].xcom_push(key="return_value", value=document)
                if any(t.get("error") for t in document.get("tables", [])):
                    errors = failure_message(document)[0]
            raise AirflowFailException(
                f"delta-agent session {sid} was cancelled (exit 143)"
                + (f": {errors}" if errors else "")
                + (f"; {status['message']}" if status.get("message") else "")
            )
        if not isinstance(exit_code, int):
            raise AirflowException(f"delta-agent session {sid} ended without an exit code: {status!r:.500}")
        return self._finish(
            context, exit_code, document, status.get("message") or "no message from the session", run_urls_pushed=True
        )

    def _copy_agent_log(self, path: str | None) -> None:
        """Copies the detached agent's log into the task log, when this worker can read it."""
        if not path:
            return
        try:
            with open(path, errors="replace") as f:
                lines = f.read().splitlines()
        except OSError as e:
            self.log.info("the detached agent's log %s is not readable here (%s)", path, e)
            return
        skipped = max(0, len(lines) - DETACHED_LOG_LINES)
        self.log.info("the detached agent's log %s%s:", path, f" (last {DETACHED_LOG_LINES} lines)" if skipped else "")
        for line in lines[skipped:]:
            self._log_line(line)

    # -- results ---------------------------------------------------------------------------------------

    def _push_run_urls(
        self, context: Any, document: dict[str, Any] | None, session: dict[str, Any] | None = None
    ) -> None:
        urls = run_urls(document, session)
        if urls:
            context["ti"].xcom_push(key=RUN_URLS_KEY, value=urls)
            self.log.info("backend run page: %s", urls[0])

    def _finish(
        self,
        context: Any,
        exit_code: int,
        document: dict[str, Any] | None,
        detail: str,
        *,
        run_urls_pushed: bool = False,
    ) -> dict[str, Any] | None:
        """Maps the agent's exit code and result document to the task's outcome."""
        if not run_urls_pushed:
            self._push_run_urls(context, document)
        if exit_code == EXIT_HEALTHY and document is not None:
            self._emit_datasets(context, document)
            return document
        if document is not None:
            context["ti"].xcom_push(key="return_value", value=document)
        if exit_code == EXIT_SKIP:
            raise AirflowSkipException(f"maintenance due: {self._due_tables(document)}")
        if exit_code == EXIT_MAINTENANCE_DUE:
            raise AirflowFailException(f"maintenance due: {self._due_tables(document)}")
        if exit_code == EXIT_TABLE_FAILED and document is not None:
            message, retryable = failure_message(document)
            raise (AirflowException if retryable else AirflowFailException)(message)
        if exit_code == EXIT_USAGE:
            raise AirflowFailException(f"delta-agent {self.command}: bad usage or config: {detail}")
        if exit_code == EXIT_TRANSIENT:
            raise AirflowException(
                f"delta-agent {self.command}: transient failure, retried if the task has retries left: "
                f"{self._errors_or(document, detail)}"
            )
        if exit_code == EXIT_NOT_MAINTAINABLE:
            message = f"delta-agent {self.command}: not maintainable here: {self._errors_or(document, detail)}"
            raise (AirflowSkipException if self.on_not_maintainable == "skip" else AirflowFailException)(message)
        raise AirflowException(f"delta-agent {self.command} exited {exit_code} without a result: {detail}")

    @staticmethod
    def _errors_or(document: dict[str, Any] | None, detail: str) -> str:
        """The tables' error messages when the document has any, else ``detail`` (the agent's stderr)."""
        if document is not None and any(t.get("error") for t in document.get("tables", [])):
            return failure_message(document)[0]
        return detail

    def _log_line(self, line: str) -> None:
        self.log.info("%s", line)

    @staticmethod
    def _due_tables(document: dict[str, Any] | None) -> str:
        if document is None:
            return "(no result document)"
        due = [t["table"] for t in document.get("tables", []) if t.get("status") == "MAINTENANCE_DUE"]
        return ", ".join(due) or "(none named)"

    def _emit_datasets(self, context: Any, document: dict[str, Any]) -> None:
        """Emits a dataset event for every table a job changed, with its before/after figures."""
        if not self.dataset_alias:
            return
        events = context["outlet_events"][AssetAlias(self.dataset_alias)]
        for table in document.get("tables", []):
            if not any(a.get("state") == "SUCCEEDED" for a in table.get("actions", [])):
                continue
            before, after = table.get("before") or {}, table.get("after") or {}
            extra = {
                "status": table.get("status"),
                "version": after.get("version"),
                "filesBefore": before.get("files"),
                "filesAfter": after.get("files"),
                "actions": ",".join(a.get("action", "") for a in table.get("actions", [])),
            }
            events.add(_Asset(table_uri(table["table"])), extra=extra)
            self.log.info("dataset event for %s: %s", table_uri(table["table"]), extra)


__all__ = ["DeltaAgentRunLink", "DeltaMaintenanceOperator", "failure_message", "run_urls", "session_id", "table_uri"]
