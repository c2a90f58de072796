"""Test DAG for run-tests: the provider's connections, hook, deferrable maintain and extra link.

run-tests defines the connections (``AIRFLOW_CONN_*``): ``delta_agent_default`` (the agent, the history DB and
the config), ``delta_agent_run_url`` (the same through ``tests/agent-with-run-url``, which gives every run a
run page as the Databricks backend does), ``delta_agent_cloud`` (history DB credentials, a ``databricks``
connection with a token and an ``aws`` connection) and ``delta_agent_oauth`` (a ``databricks`` connection with
a service principal). Nothing here talks to Databricks or AWS: the credentials are checked where they land,
in the agent's environment, and must never reach a log line.

``delta_agent_masking`` logs the credentials the hook put in the agent's environment, on purpose: run-tests
runs it with ``airflow tasks test`` and checks the log shows ``***`` instead. On Airflow 2.10 that run masks
task logs as a worker does (``airflow dags test`` does not). On Airflow 3 a worker's supervisor masks what the
task registered; the CLI's in-process runs do not, so there the task logs what Airflow's masker makes of each
line.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from delta_agent_provider.hooks.delta_agent import DeltaAgentHook
from delta_agent_provider.operators.delta_agent import DeltaMaintenanceOperator

try:  # Airflow 3: the task SDK
    from airflow.sdk import DAG, task
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.decorators import task

log = logging.getLogger("airflow.task")  # the task log, which Airflow masks secrets in

with DAG(
    dag_id="delta_agent_provider",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    render_template_as_native_obj=True,
    params={"table_deferred": None, "table_cancelled": None, "table_audit": None},
    default_args={"retries": 0},
    tags=["delta-agent", "test"],
) as dag:

    @task
    def hook_env() -> dict:
        """What the hook makes of the connections: argv, settings, and the environment (values hashed)."""
        found = {}
        for conn_id in ("delta_agent_cloud", "delta_agent_oauth"):
            hook = DeltaAgentHook(conn_id)
            settings = hook.settings()
            log.info("%s: agent env %s", conn_id, sorted(settings.env))
            argv = hook.command("maintain", "--format", "json", history_db=True, config=True)
            log.info("%s: argv %s", conn_id, argv)
            found[conn_id] = {
                "command": list(settings.command),
                "history_db": settings.history_db,
                "config": settings.config,
                "argv": argv,
                "env": {k: hashlib.sha256(v.encode()).hexdigest() for k, v in settings.env.items()},
            }
        return found

    hook_env()

    # a real agent run with every credential in its environment: the task log must not show one
    DeltaMaintenanceOperator(
        task_id="audit_with_credentials",
        command="audit",
        table="{{ params.table_audit }}",
        on_due="succeed",
        delta_agent_conn_id="delta_agent_cloud",
        deferrable=True,  # ignored for audit, with a log line
    )

    DeltaMaintenanceOperator(
        task_id="missing_connection",
        command="audit",
        table="{{ params.table_audit }}",
        delta_agent_conn_id="delta_agent_missing",
    )

    # maintain detached: the worker is freed, the trigger polls the session, the task resumes when it ends
    DeltaMaintenanceOperator(
        task_id="maintain_deferred",
        command="maintain",
        table="{{ params.table_deferred }}",
        on_due="skip",
        delta_agent_conn_id="delta_agent_default",
        deferrable=True,
        poll_interval=2,
    )

    # run-tests cancels this one's session while its job runs (tests/cancel-session)
    DeltaMaintenanceOperator(
        task_id="maintain_cancelled",
        command="maintain",
        table="{{ params.table_cancelled }}",
        on_due="skip",
        delta_agent_conn_id="delta_agent_run_url",
        deferrable=True,
        poll_interval=2,
    )


with DAG(
    dag_id="delta_agent_masking",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["delta-agent", "test"],
) as masking_dag:

    @task
    def log_agent_env() -> None:
        try:  # Airflow 3 masks in the supervisor of a real task run; its CLI test runs show the masker's output here
            from airflow.sdk._shared.secrets_masker import redact
        except ImportError:  # Airflow 2.x: `airflow tasks test` masks task logs
            redact = None
        for conn_id in ("delta_agent_cloud", "delta_agent_oauth"):
            env = DeltaAgentHook(conn_id).settings().env
            for name in sorted(env):
                line = f"{conn_id}: agent env {name}={env[name]}"
                log.info("%s", redact(line) if redact else line)

    log_agent_env()
