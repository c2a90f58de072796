"""Airflow operator for delta-agent: audit or maintain Delta tables as a task.

Copy this one file into your DAGs (or plugins) folder. It runs the agent's CLI with ``--format json``,
reads the one JSON document the agent writes on the last line of stdout, returns it (so Airflow pushes it
to XCom as ``return_value``) and maps the agent's exit codes to task states:

======  ==================================  ==========================================================
 exit    agent                               task
======  ==================================  ==========================================================
 0       healthy / healed (or due, with      success; the document is the XCom value
         ``on_due="succeed"``)
 1       a table could not be read or a      failed with the agent's message; retried only when a retry
         job failed                          can help (a missing or non-Delta table is not retried)
 2       bad usage or config                 failed, not retried
 3       maintenance due (``on_due="fail"``)  failed, not retried (the agent would say the same again)
 99      maintenance due (``on_due="skip"``)  skipped; the document is still pushed to XCom
======  ==================================  ==========================================================

Tables that ``maintain`` changed are emitted as dataset events (assets in Airflow 3) through a dataset
alias, ``delta-agent`` by default, with the before/after figures as the event's extra, so downstream DAGs
scheduled on the alias (or on a table's ``file://``/``s3a://`` URI) run when the data changed, without
sensors polling.

Works with Airflow 2.10 (tested) and is written against Airflow 3's names where they differ (see
docs/AIRFLOW.md for what is tested).
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException

try:  # Airflow 3: the task SDK and assets
    from airflow.sdk import Asset as _Dataset
    from airflow.sdk import AssetAlias as _DatasetAlias
    from airflow.sdk import BaseOperator
except ImportError:  # Airflow 2.x: datasets
    from airflow.datasets import Dataset as _Dataset
    from airflow.datasets import DatasetAlias as _DatasetAlias
    from airflow.models.baseoperator import BaseOperator

EXIT_HEALTHY = 0
EXIT_TABLE_FAILED = 1
EXIT_USAGE = 2
EXIT_MAINTENANCE_DUE = 3
EXIT_SKIP = 99

# Read failures a retry cannot fix: fail the task at once instead of retrying into the same error.
PERMANENT_ERROR_KINDS = frozenset(
    {"NOT_FOUND", "NOT_A_DELTA_TABLE", "CORRUPT_LOG", "UNSUPPORTED_PROTOCOL", "ACCESS_DENIED"}
)

ON_DUE_CHOICES = ("fail", "skip", "succeed")


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


class DeltaMaintenanceOperator(BaseOperator):
    """Runs ``delta-agent audit`` or ``delta-agent maintain`` for one table or a config file.

    :param command: ``audit`` (measure, change nothing) or ``maintain`` (run the due maintenance jobs)
    :param table: a table path or ``s3a://`` URI (templated); with a config, the config's thresholds
        apply to it and the tables the config lists run too
    :param config: the agent's YAML config (templated): thresholds, overrides and the tables it lists
    :param on_due: what "maintenance due" means for this task: ``fail``, ``skip`` or ``succeed``
    :param agent_command: how to run the agent, a command line or its argv; default: ``$DELTA_AGENT``,
        else ``delta-agent`` on the PATH
    :param history_db: JDBC URL of maintain's history database (templated); default: the agent's
    :param extra_args: further agent arguments (templated), e.g. ``["--job-timeout", "1h"]``
    :param env: environment of the agent process, added to this worker's (secrets belong here or in the
        worker's environment, never in arguments)
    :param dataset_alias: the alias through which maintained tables are emitted as dataset events; None for none
    """

    template_fields: Sequence[str] = ("table", "config", "history_db", "extra_args")
    ui_color = "#00add4"

    def __init__(
        self,
        *,
        command: str = "audit",
        table: str | None = None,
        config: str | None = None,
        on_due: str = "fail",
        agent_command: str | Sequence[str] | None = None,
        history_db: str | None = None,
        extra_args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        dataset_alias: str | None = "delta-agent",
        **kwargs: Any,
    ) -> None:
        if command not in ("audit", "maintain"):
            raise ValueError(f"command must be audit or maintain, not {command!r}")
        if on_due not in ON_DUE_CHOICES:
            raise ValueError(f"on_due must be one of {', '.join(ON_DUE_CHOICES)}, not {on_due!r}")
        if dataset_alias and command == "maintain" and "outlets" not in kwargs:
            kwargs["outlets"] = [_DatasetAlias(dataset_alias)]
        super().__init__(**kwargs)
        self.command = command
        self.table = table
        self.config = config
        self.on_due = on_due
        self.agent_command = agent_command
        self.history_db = history_db
        self.extra_args = list(extra_args)
        self.env = env
        self.dataset_alias = dataset_alias if command == "maintain" else None
        self._process: subprocess.Popen[str] | None = None

    def argv(self) -> list[str]:
        """The agent's command line."""
        agent = self.agent_command or os.environ.get("DELTA_AGENT") or "delta-agent"
        args = shlex.split(agent) if isinstance(agent, str) else list(agent)
        args += [self.command, "--format", "json", "--on-due", self.on_due]
        if self.config:
            args += ["--config", str(self.config)]
        if self.history_db and self.command == "maintain":
            args += ["--history-db", str(self.history_db)]
        args += [str(a) for a in self.extra_args]
        if self.table:
            args.append(str(self.table))
        if not self.table and not self.config:
            raise AirflowFailException(f"{self.task_id}: name a table or a config for delta-agent {self.command}")
        return args

    def execute(self, context: Any) -> dict[str, Any]:
        argv = self.argv()
        self.log.info("Running %s", shlex.join(argv))
        exit_code, stdout, stderr_tail = self._run(argv)
        document = self._document(stdout)
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
        detail = " | ".join(stderr_tail) or "no output on stderr"
        if exit_code == EXIT_USAGE:
            raise AirflowFailException(f"delta-agent {self.command}: bad usage or config: {detail}")
        raise AirflowException(f"delta-agent {self.command} exited {exit_code} without a result: {detail}")

    def on_kill(self) -> None:
        # The agent runs in its own process group with the Spark jobs it starts: stop them all.
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)

    def _run(self, argv: list[str]) -> tuple[int, str, list[str]]:
        env = {**os.environ, **(self.env or {})}
        tail: deque[str] = deque(maxlen=20)
        self._process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
        )

        def forward_stderr() -> None:
            assert self._process is not None and self._process.stderr is not None
            for line in self._process.stderr:
                line = line.rstrip("\n")
                tail.append(line)
                self.log.info("%s", line)

        reader = threading.Thread(target=forward_stderr, daemon=True)
        reader.start()
        stdout = self._process.stdout.read() if self._process.stdout else ""
        exit_code = self._process.wait()
        reader.join()
        self.log.info("delta-agent %s exited %d", self.command, exit_code)
        return exit_code, stdout, list(tail)

    def _document(self, stdout: str) -> dict[str, Any] | None:
        lines = [line for line in stdout.splitlines() if line.strip()]
        if not lines:
            return None
        try:
            document = json.loads(lines[-1])
        except json.JSONDecodeError:
            self.log.error("the last line of stdout is not JSON: %.200s", lines[-1])
            return None
        return document if isinstance(document, dict) else None

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
        events = context["outlet_events"][_DatasetAlias(self.dataset_alias)]
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
            events.add(_Dataset(table_uri(table["table"])), extra=extra)
            self.log.info("dataset event for %s: %s", table_uri(table["table"]), extra)
