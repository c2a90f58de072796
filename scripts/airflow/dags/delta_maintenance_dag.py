"""Example DAGs: audit then maintain a list of Delta tables, one mapped task group per table.

``delta_maintenance`` runs nightly. Its ``tables`` param (override per run with ``--conf``) is expanded
into one task group per table (dynamic task mapping), so each table's ``maintain`` waits only for its own
``audit`` and a table that fails does not hold back the others. Retries back off exponentially up to a
cap; read failures a retry cannot fix (not a Delta table, missing path) fail at once.

``delta_table_consumer`` shows the data-driven side: it is scheduled on the ``delta-agent`` dataset alias
and runs when ``maintain`` has compacted a table, instead of polling with a sensor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from delta_agent_provider.operators.delta_agent import DeltaMaintenanceOperator

try:  # Airflow 3: the task SDK
    from airflow.sdk import DAG, Param, task, task_group
    from airflow.sdk import AssetAlias as DatasetAlias
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.datasets import DatasetAlias
    from airflow.decorators import task, task_group
    from airflow.models.param import Param

default_args = {
    "retries": 3,
    "retry_delay": timedelta(minutes=2),  # never an immediate retry
    "retry_exponential_backoff": True,  # 2, 4, 8 minutes ...
    "max_retry_delay": timedelta(minutes=30),  # ... capped
}

with DAG(
    dag_id="delta_maintenance",
    schedule="0 2 * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    render_template_as_native_obj=True,  # a null param stays None, not the string "None"
    params={
        "tables": Param([], type="array", description="Delta tables: paths or s3a:// URIs"),
        "config": Param(None, type=["null", "string"], description="the agent's YAML config"),
        "history_db": Param(None, type=["null", "string"], description="JDBC URL of the history database"),
    },
    tags=["delta-agent"],
) as maintenance_dag:

    @task
    def list_tables(params: dict | None = None) -> list[str]:
        return list(params["tables"])

    @task_group(group_id="table")
    def per_table(table: str) -> None:
        audit = DeltaMaintenanceOperator(
            task_id="audit",
            command="audit",
            table=table,
            config="{{ params.config }}",
            on_due="succeed",  # the audit measures; being due is what maintain is for
            execution_timeout=timedelta(minutes=30),
        )
        maintain = DeltaMaintenanceOperator(
            task_id="maintain",
            command="maintain",
            table=table,
            config="{{ params.config }}",
            history_db="{{ params.history_db }}",
            on_due="skip",  # still due after maintain (cooldown, no progress): skipped, not retried
            extra_args=["--job-timeout", "2h"],
            execution_timeout=timedelta(hours=3),
            max_active_tis_per_dagrun=2,  # at most two maintenance jobs at once
        )
        audit >> maintain

    per_table.expand(table=list_tables())


with DAG(
    dag_id="delta_table_consumer",
    schedule=[DatasetAlias("delta-agent")],
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["delta-agent"],
) as consumer_dag:

    @task
    def report(triggering_dataset_events: dict | None = None, triggering_asset_events: dict | None = None) -> list[str]:
        tables = []  # Airflow 2.x passes triggering_dataset_events, Airflow 3 triggering_asset_events
        for dataset, events in (triggering_asset_events or triggering_dataset_events or {}).items():
            for event in events:
                print(f"{dataset}: {event.extra}")
            tables.append(str(dataset))
        return tables

    report()
