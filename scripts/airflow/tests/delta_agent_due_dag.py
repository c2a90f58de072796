"""Test DAG for run-tests: what "maintenance due" does to a task, per on_due, on a table that is due.

It imports the operator through the compatibility shim ``delta_agent_operator`` (dags/), which must keep working.
"""

from __future__ import annotations

from datetime import datetime

from delta_agent_operator import DeltaMaintenanceOperator

try:  # Airflow 3: the task SDK
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.x
    from airflow import DAG

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
