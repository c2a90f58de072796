"""The ``delta_agent`` connection form, declared once: Airflow 3.2+ reads it from the provider info
(``conn-fields``, ``ui-field-behaviour``), Airflow 2.x from the hook's ``get_connection_form_widgets`` and
``get_ui_field_behaviour``, which build on the same definitions. Plain data: importing it imports no Airflow.

Each field is stored in the connection's extra under its own name, the name the earlier JSON extras used, so
connections made before the form keep working.
"""

from __future__ import annotations

from typing import Any

CONN_FIELDS: dict[str, dict[str, Any]] = {
    "history_db": {
        "label": "History database URL",
        "description": "JDBC URL of the agent's history database (--history-db), e.g. jdbc:postgresql://db:5432/agent; "
        "a PostgreSQL history lets a deferred task's trigger poll it directly, from any host",
        "schema": {"type": ["string", "null"]},
    },
    "config": {
        "label": "Config file",
        "description": "The agent's YAML config (--config), a path on the workers and the triggerer",
        "schema": {"type": ["string", "null"]},
    },
    "aws_conn_id": {
        "label": "AWS connection id",
        "description": "An Airflow aws connection whose credentials the agent gets (role ARN and profiles through "
        "the Amazon provider when it is installed)",
        "schema": {"type": ["string", "null"]},
    },
    "databricks_conn_id": {
        "label": "Databricks connection id",
        "description": "An Airflow databricks connection: the workspace and its token or service principal",
        "schema": {"type": ["string", "null"]},
    },
}

UI_FIELD_BEHAVIOUR: dict[str, Any] = {
    "hidden-fields": ["schema", "port"],
    "relabeling": {
        "host": "Agent command",
        "login": "History DB user",
        "password": "History DB password",
    },
    "placeholders": {
        "host": "/opt/delta-agent/scripts/delta-agent (default: $DELTA_AGENT, else delta-agent on PATH)",
        "history_db": "jdbc:postgresql://db:5432/agent",
        "config": "/etc/delta-agent/agent.yaml",
        "aws_conn_id": "aws_default",
        "databricks_conn_id": "databricks_default",
        "extra": '{"env": {"DELTA_AGENT_SPARK_JOBS_DIR": "/opt/delta-agent/spark-jobs"}}',
    },
}
