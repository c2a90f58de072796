"""The ``delta_agent`` connection and the hook that runs the delta-agent CLI with it.

A ``delta_agent`` connection says how to run the agent and with which credentials. Its form has a field for
each setting; connections made before the form existed carry the same names as JSON extras, still read:

==========================  =====================================================================
 field                       use
==========================  =====================================================================
 host (or extra              the agent's command line (``/opt/delta-agent/scripts/delta-agent``); default:
 ``agent_command``)          ``$DELTA_AGENT``, else ``delta-agent`` on the PATH
 ``history_db``              JDBC URL of the history database (``--history-db``)
 ``config``                  the agent's YAML config (``--config``)
 login / password            ``DELTA_AGENT_DB_USER`` / ``DELTA_AGENT_DB_PASSWORD`` (PostgreSQL history)
 ``databricks_conn_id``      an Airflow ``databricks`` connection: read through the Databricks provider's
                             ``DatabricksHook`` when it is installed (its token, AAD or other auth), else
                             ``DATABRICKS_HOST`` from its host and ``DATABRICKS_TOKEN`` from its password (or
                             extra ``token``); with extra ``service_principal_oauth: true``,
                             ``DATABRICKS_CLIENT_ID`` / ``DATABRICKS_CLIENT_SECRET`` (the agent refreshes)
 ``aws_conn_id``             an Airflow ``aws`` connection: read through the Amazon provider's ``AwsBaseHook``
                             when it is installed (role ARN, profiles, web identity: whatever it resolves to
                             becomes ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` / ``AWS_SESSION_TOKEN``),
                             else from its login / password and extras ``aws_session_token``, ``region_name``
 extra ``env``               further environment variables for the agent (a JSON object)
==========================  =====================================================================

Credentials reach the agent in its environment only: never in its arguments, and never in a log line
(each one is registered with Airflow's secrets masker).
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import subprocess
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

from delta_agent_provider._compat import AirflowFailException, AirflowNotFoundException, BaseHook, mask_secret
from delta_agent_provider.connection import CONN_FIELDS, UI_FIELD_BEHAVIOUR
from delta_agent_provider.hooks.credentials import aws_env_from_provider, databricks_env_from_provider
from delta_agent_provider.session_status import is_postgres, postgres_conninfo

STDERR_TAIL_LINES = 20


@dataclass(frozen=True)
class AgentSettings:
    """How to run the agent: its command line, history database, config and environment.

    :param command: the agent's argv before the subcommand
    :param history_db: JDBC URL of the history database, or None for the agent's default
    :param config: the agent's YAML config, or None
    :param env: variables added to the worker's environment for the agent process (credentials among them)
    """

    command: tuple[str, ...]
    history_db: str | None = None
    config: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AgentRun:
    """One finished agent process: its exit code, the JSON document of its last stdout line, its stderr's tail."""

    exit_code: int
    document: dict[str, Any] | None
    stderr_tail: list[str]

    def detail(self) -> str:
        return " | ".join(self.stderr_tail) or "no output on stderr"


def last_json_line(stdout: str) -> dict[str, Any] | None:
    """The JSON object on the last non-empty line of ``stdout``, or None."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        return None
    try:
        document = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    return document if isinstance(document, dict) else None


class DeltaAgentHook(BaseHook):
    """Runs the delta-agent CLI as a connection (or the explicit arguments) says.

    :param delta_agent_conn_id: the ``delta_agent`` connection; None for none (then the agent command is
        ``agent_command``, ``$DELTA_AGENT`` or ``delta-agent`` on the PATH, with the worker's environment)
    :param agent_command: the agent's command line or argv; overrides the connection's
    :param history_db: JDBC URL of the history database; overrides the connection's
    :param config: the agent's YAML config; overrides the connection's
    :param env: further environment variables for the agent; they override the connection's
    """

    conn_name_attr = "delta_agent_conn_id"
    default_conn_name = "delta_agent_default"
    conn_type = "delta_agent"
    hook_name = "Delta agent"

    def __init__(
        self,
        delta_agent_conn_id: str | None = default_conn_name,
        *,
        agent_command: str | Sequence[str] | None = None,
        history_db: str | None = None,
        config: str | None = None,
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.delta_agent_conn_id = delta_agent_conn_id
        self.agent_command = agent_command
        self.history_db = history_db
        self.config = config
        self.env = dict(env or {})
        self._settings: AgentSettings | None = None
        self._process: subprocess.Popen[str] | None = None

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        """The form's fields (Airflow 2.x; 3.2+ reads ``conn-fields`` of the provider info instead)."""
        from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
        from flask_babel import lazy_gettext
        from wtforms import StringField

        return {
            name: StringField(
                lazy_gettext(field["label"]), widget=BS3TextFieldWidget(), description=field["description"]
            )
            for name, field in CONN_FIELDS.items()
        }

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Relabelled and hidden fields (Airflow 2.x; 3.2+ reads ``ui-field-behaviour`` of the provider info)."""
        return {
            "hidden_fields": list(UI_FIELD_BEHAVIOUR["hidden-fields"]),
            "relabeling": dict(UI_FIELD_BEHAVIOUR["relabeling"]),
            "placeholders": dict(UI_FIELD_BEHAVIOUR["placeholders"]),
        }

    def test_connection(self) -> tuple[bool, str]:
        """The UI's Test button: the connections resolve, the agent starts, and a PostgreSQL history answers."""
        try:
            settings = self.settings()
            version = subprocess.run(
                [*settings.command, "--version"],
                capture_output=True,
                text=True,
                env=self.process_env(),
                timeout=120,
                check=False,
            )
            if version.returncode != 0:
                tail = " | ".join((version.stderr or version.stdout).strip().splitlines()[-3:])
                return False, f"the agent {shlex.join(settings.command)} exited {version.returncode}: {tail}"
            found = (version.stdout.strip().splitlines() or ["delta-agent"])[-1]
            if is_postgres(settings.history_db):
                try:
                    import psycopg
                except ImportError:
                    return True, f"{found}; history database not checked (psycopg is not installed)"
                conninfo = postgres_conninfo(str(settings.history_db), settings.env)
                with psycopg.connect(**conninfo, autocommit=True) as conn:
                    conn.execute("SELECT count(*) FROM maintain_session WHERE id = ''").fetchone()
                return True, f"{found}; history database {conninfo['host']}:{conninfo['port']} answers"
            return True, found
        except FileNotFoundError as e:
            return False, f"the agent command was not found: {e.filename} (set the connection's host or $DELTA_AGENT)"
        except subprocess.TimeoutExpired:
            return False, "the agent did not answer --version within 120 s"
        except Exception as e:  # the form shows any failure as the test's result
            return False, f"{type(e).__name__}: {e}"

    # -- settings --------------------------------------------------------------------------------------

    def get_conn(self) -> AgentSettings:
        """The agent's settings (the connection is read once per hook)."""
        return self.settings()

    def settings(self) -> AgentSettings:
        """The agent's command, history DB, config and environment, from the connection and the arguments."""
        if self._settings is None:
            self._settings = self._resolve()
        return self._settings

    def _resolve(self) -> AgentSettings:
        command: str | Sequence[str] | None = None
        history_db = config = None
        env: dict[str, str] = {}
        if self.delta_agent_conn_id:
            conn = self._connection(self.delta_agent_conn_id, "delta_agent_conn_id")
            extra = conn.extra_dejson
            command = _field(extra, "agent_command") or (conn.host or None)
            history_db = _field(extra, "history_db")
            config = _field(extra, "config")
            if conn.login:
                env["DELTA_AGENT_DB_USER"] = conn.login
            if conn.password:
                env["DELTA_AGENT_DB_PASSWORD"] = _secret(conn.password)
            extra_env = extra.get("env") or {}
            if not isinstance(extra_env, dict):
                raise AirflowFailException(
                    f"connection {self.delta_agent_conn_id!r}: extra 'env' must be a JSON object of variables"
                )
            env.update({str(k): str(v) for k, v in extra_env.items()})
            if _field(extra, "databricks_conn_id"):
                env.update(self._databricks_env(str(_field(extra, "databricks_conn_id"))))
            if _field(extra, "aws_conn_id"):
                env.update(self._aws_env(str(_field(extra, "aws_conn_id"))))
        command = self.agent_command or command or os.environ.get("DELTA_AGENT") or "delta-agent"
        argv = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
        if not argv:
            raise AirflowFailException(f"connection {self.delta_agent_conn_id!r}: the agent command is empty")
        env.update({str(k): str(v) for k, v in self.env.items()})
        return AgentSettings(
            command=tuple(argv),
            history_db=self.history_db or history_db,
            config=self.config or config,
            env=env,
        )

    def _connection(self, conn_id: str, role: str) -> Any:
        try:
            return self.get_connection(conn_id)
        except AirflowNotFoundException:
            owner = (
                ""
                if role == "delta_agent_conn_id"
                else f" (named by {role} of connection {self.delta_agent_conn_id!r})"
            )
            raise AirflowFailException(
                f"delta-agent: the Airflow connection {conn_id!r}{owner} is not defined; add it "
                f"(airflow connections add {conn_id} ..., or AIRFLOW_CONN_{conn_id.upper()}) or name another"
            ) from None

    def _databricks_env(self, conn_id: str) -> dict[str, str]:
        conn = self._connection(conn_id, "databricks_conn_id")
        extra = conn.extra_dejson
        oauth = str(extra.get("service_principal_oauth", "")).lower() in ("true", "1", "yes")
        if not oauth:
            via_provider = databricks_env_from_provider(conn_id)
            if via_provider is not None:
                return via_provider
        env: dict[str, str] = {}
        if conn.host:
            host = conn.host if "://" in conn.host else "https://" + conn.host
            env["DATABRICKS_HOST"] = host.rstrip("/")
        if oauth:  # client id and secret, not a token: the agent refreshes its token through jobs of hours
            if not conn.login or not conn.password:
                raise AirflowFailException(
                    f"Databricks connection {conn_id!r}: service_principal_oauth needs the client id as login "
                    "and the client secret as password"
                )
            env["DATABRICKS_CLIENT_ID"] = conn.login
            env["DATABRICKS_CLIENT_SECRET"] = _secret(conn.password)
        else:
            token = extra.get("token") or conn.password
            if not token:
                raise AirflowFailException(
                    f"Databricks connection {conn_id!r} has no credentials: put a token in its password "
                    "(or extra 'token'), or a service principal's id/secret in login/password with extra "
                    '{"service_principal_oauth": true}'
                )
            env["DATABRICKS_TOKEN"] = _secret(str(token))
        return env

    def _aws_env(self, conn_id: str) -> dict[str, str]:
        conn = self._connection(conn_id, "aws_conn_id")
        via_provider = aws_env_from_provider(conn_id)
        if via_provider is not None:
            return via_provider
        extra = conn.extra_dejson
        env: dict[str, str] = {}
        if conn.login:
            env["AWS_ACCESS_KEY_ID"] = conn.login
        if conn.password:
            env["AWS_SECRET_ACCESS_KEY"] = _secret(conn.password)
        if extra.get("aws_session_token"):
            env["AWS_SESSION_TOKEN"] = _secret(str(extra["aws_session_token"]))
        if extra.get("region_name"):
            env["AWS_REGION"] = str(extra["region_name"])
        return env

    # -- command lines ---------------------------------------------------------------------------------

    def command(self, subcommand: str, *args: str, history_db: bool = False, config: bool = False) -> list[str]:
        """The agent's argv for ``subcommand``: the settings' history DB and config when asked, then ``args``."""
        settings = self.settings()
        argv = [*settings.command, subcommand]
        if config and settings.config:
            argv += ["--config", settings.config]
        if history_db and settings.history_db:
            argv += ["--history-db", settings.history_db]
        return argv + [str(a) for a in args]

    def session_command(self, session_id: str, *, cancel: bool = False) -> list[str]:
        """``delta-agent session ID --format json [--cancel]`` with the history DB."""
        extra = ["--cancel"] if cancel else []
        return self.command("session", session_id, "--format", "json", *extra, history_db=True)

    def process_env(self) -> dict[str, str]:
        """The agent process's environment: the worker's, plus the settings' variables."""
        return {**os.environ, **self.settings().env}

    # -- running ---------------------------------------------------------------------------------------

    def run(self, argv: Sequence[str], *, on_stderr: Callable[[str], None] | None = None) -> AgentRun:
        """Runs the agent in its own process group, passing each stderr line to ``on_stderr`` as it comes."""
        tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
        self._process = subprocess.Popen(
            list(argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.process_env(),
            start_new_session=True,
        )
        process = self._process

        def forward_stderr() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                line = line.rstrip("\n")
                tail.append(line)
                if on_stderr is not None:
                    on_stderr(line)

        reader = threading.Thread(target=forward_stderr, daemon=True)
        reader.start()
        stdout = process.stdout.read() if process.stdout else ""
        exit_code = process.wait()
        reader.join()
        return AgentRun(exit_code, last_json_line(stdout), list(tail))

    def kill(self) -> None:
        """Stops a running :meth:`run`'s process group (the agent and the Spark jobs it started)."""
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)

    async def run_async(self, argv: Sequence[str], *, timeout: float = 300.0) -> AgentRun:
        """Runs a short agent command without blocking the event loop (for triggers)."""
        env = self.process_env()
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            if process.returncode is None:
                process.kill()
                await process.wait()
            raise
        lines = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()]
        return AgentRun(
            process.returncode if process.returncode is not None else -1,
            last_json_line(stdout.decode(errors="replace")),
            lines[-STDERR_TAIL_LINES:],
        )


def _secret(value: str) -> str:
    mask_secret(value)
    return value


def _field(extra: Mapping[str, Any], name: str) -> str | None:
    """A form field's value: stored under its name, or (forms of Airflow before 2.3) ``extra__delta_agent__NAME``."""
    value = extra.get(name) or extra.get(f"extra__{DeltaAgentHook.conn_type}__{name}")
    return str(value) if value else None
