"""Apache Airflow provider for delta-agent: audit and maintain Delta Lake tables as Airflow tasks.

Registered with Airflow through the ``apache_airflow_provider`` entry point (see ``pyproject.toml``): Airflow
calls :func:`get_provider_info` to learn the ``delta_agent`` connection type, its hook and the extra link.
"""

from __future__ import annotations

from typing import Any

from delta_agent_provider.connection import CONN_FIELDS, UI_FIELD_BEHAVIOUR

# The provider's one version: pyproject.toml reads it from here ([tool.setuptools.dynamic]).
__version__ = "0.2.0"


def get_provider_info() -> dict[str, Any]:
    """The provider's description, in the shape of Airflow's ``provider_info.schema.json``."""
    return {
        "package-name": "airflow-provider-delta-agent",
        "name": "Delta agent",
        "description": "Audit and maintain Delta Lake tables with delta-agent: "
        "hook, connection type, operator (deferrable maintain), trigger and an extra link to the backend's run.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "Delta agent",
                "external-doc-url": "https://github.com/delta-agent/delta-agent/blob/main/docs/AIRFLOW.md",
                "tags": ["software"],
            }
        ],
        "operators": [
            {
                "integration-name": "Delta agent",
                "python-modules": ["delta_agent_provider.operators.delta_agent"],
            }
        ],
        "hooks": [
            {
                "integration-name": "Delta agent",
                "python-modules": ["delta_agent_provider.hooks.delta_agent"],
            }
        ],
        "triggers": [
            {
                "integration-name": "Delta agent",
                "python-modules": ["delta_agent_provider.triggers.delta_agent"],
            }
        ],
        "connection-types": [
            {
                "hook-class-name": "delta_agent_provider.hooks.delta_agent.DeltaAgentHook",
                "hook-name": "Delta agent",
                "connection-type": "delta_agent",
                # Airflow 3.2+ builds the form from these; 2.x asks the hook, which builds on the same data
                "conn-fields": CONN_FIELDS,
                "ui-field-behaviour": UI_FIELD_BEHAVIOUR,
            }
        ],
        "extra-links": ["delta_agent_provider.links.delta_agent.DeltaAgentRunLink"],
    }
