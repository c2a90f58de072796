"""Test DAG for run-tests: what "maintenance due" does to a task, per on_due, on a table that is due."""

from __future__ import annotations

from datetime import datetime

from airflow import DAG

from delta_agent_operator import DeltaMaintenanceOperator

with DAG(
    dag_id="delta_agent_due",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    render_template_as_native_obj=True,
    params={"table": None},
) as dag:
    DeltaMaintenanceOperator(task_id="audit_skip", command="audit", table="{{ params.table }}", on_due="skip")
    DeltaMaintenanceOperator(task_id="audit_fail", command="audit", table="{{ params.table }}", on_due="fail")
