"""Test DAG for run-tests: a history-database outage during a deferred maintain is waited out or retried.

``delta_agent_pg`` (run-tests defines it when the machine has PostgreSQL's server binaries) runs the agent with a
PostgreSQL history database on 127.0.0.1, which the trigger reads directly. ``tests/history-outage`` stops that
server while the session runs and starts it again some seconds later. Whatever the outage hits (the trigger's
polls, the background maintain's writes, or both), the task must end successful, by waiting or by Airflow's retry,
with the table maintained once: one OPTIMIZE run in the history database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from delta_agent_provider.operators.delta_agent import DeltaMaintenanceOperator

try:  # Airflow 3: the task SDK
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.x
    from airflow import DAG

with DAG(
    dag_id="delta_agent_outage",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    params={"table": None},
    tags=["delta-agent", "test"],
) as dag:
    DeltaMaintenanceOperator(
        task_id="maintain_outage",
        command="maintain",
        table="{{ params.table }}",
        on_due="skip",
        delta_agent_conn_id="delta_agent_pg",
        deferrable=True,
        poll_interval=2,
        retries=2,
        retry_delay=timedelta(seconds=2),
    )
