"""Compatibility shim: ``from delta_agent_operator import DeltaMaintenanceOperator`` keeps working.

The operator now lives in the provider package ``airflow-provider-delta-agent`` (``scripts/airflow/provider``;
install it with ``pip install scripts/airflow/provider`` into the Airflow environment). New DAGs import
``from delta_agent_provider.operators.delta_agent import DeltaMaintenanceOperator``; this module only re-exports
it and its helpers for DAGs written against the single-file operator.
"""

from __future__ import annotations

try:
    from delta_agent_provider.operators.delta_agent import (
        EXIT_HEALTHY,
        EXIT_MAINTENANCE_DUE,
        EXIT_SKIP,
        EXIT_TABLE_FAILED,
        EXIT_USAGE,
        ON_DUE_CHOICES,
        PERMANENT_ERROR_KINDS,
        DeltaMaintenanceOperator,
        failure_message,
        table_uri,
    )
except ImportError as e:  # the provider is not installed where this DAG is parsed
    raise ImportError(
        "delta_agent_operator: install the delta-agent Airflow provider into Airflow's environment: "
        "pip install <delta-agent checkout>/scripts/airflow/provider"
    ) from e

__all__ = [
    "EXIT_HEALTHY",
    "EXIT_MAINTENANCE_DUE",
    "EXIT_SKIP",
    "EXIT_TABLE_FAILED",
    "EXIT_USAGE",
    "ON_DUE_CHOICES",
    "PERMANENT_ERROR_KINDS",
    "DeltaMaintenanceOperator",
    "failure_message",
    "table_uri",
]
