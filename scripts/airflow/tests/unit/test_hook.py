"""The connection: form fields (with the old JSON extras still read), test_connection, credentials, the version."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

import delta_agent_provider
from delta_agent_provider.connection import CONN_FIELDS
from delta_agent_provider.hooks.delta_agent import DeltaAgentHook


def providers_installed(name: str) -> bool:
    try:
        importlib.metadata.version(f"apache-airflow-providers-{name}")
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def test_the_version_is_written_once():
    assert importlib.metadata.version("airflow-provider-delta-agent") == delta_agent_provider.__version__
    assert delta_agent_provider.get_provider_info()["versions"] == [delta_agent_provider.__version__]


def test_the_provider_info_declares_the_form():
    (conn_type,) = delta_agent_provider.get_provider_info()["connection-types"]
    assert conn_type["connection-type"] == "delta_agent"
    assert set(conn_type["conn-fields"]) == {"history_db", "config", "aws_conn_id", "databricks_conn_id"}
    assert conn_type["ui-field-behaviour"]["relabeling"]["host"] == "Agent command"
    assert set(CONN_FIELDS) == set(conn_type["conn-fields"])


def test_form_fields_and_old_extras_are_read_alike(connection, tmp_path: Path):
    connection(
        "da_form",
        conn_type="delta_agent",
        host="/opt/delta-agent/scripts/delta-agent",
        extra={"history_db": "jdbc:h2:file:/h", "config": "/etc/a.yaml"},
    )
    connection(
        "da_prefixed",
        conn_type="delta_agent",
        host="/opt/delta-agent/scripts/delta-agent",
        extra={"extra__delta_agent__history_db": "jdbc:h2:file:/h", "extra__delta_agent__config": "/etc/a.yaml"},
    )
    for conn_id in ("da_form", "da_prefixed"):
        settings = DeltaAgentHook(conn_id).settings()
        assert settings.command == ("/opt/delta-agent/scripts/delta-agent",)
        assert settings.history_db == "jdbc:h2:file:/h"
        assert settings.config == "/etc/a.yaml"


def test_test_connection_runs_the_agent(connection, fake_agent: Path):
    connection("da_ok", conn_type="delta_agent", host=str(fake_agent))
    assert DeltaAgentHook("da_ok").test_connection() == (True, "delta-agent 9.9.9-test")


def test_test_connection_says_what_is_missing(connection, tmp_path: Path):
    connection("da_missing_agent", conn_type="delta_agent", host=str(tmp_path / "no-agent"))
    ok, message = DeltaAgentHook("da_missing_agent").test_connection()
    assert not ok
    assert "the agent command was not found" in message and "no-agent" in message
    connection("da_missing_aws", conn_type="delta_agent", extra={"aws_conn_id": "aws_nowhere"})
    ok, message = DeltaAgentHook("da_missing_aws").test_connection()
    assert not ok
    assert "'aws_nowhere'" in message and "is not defined" in message


def test_test_connection_reports_an_unreachable_history_database(connection, fake_agent: Path):
    pytest.importorskip("psycopg")
    connection(
        "da_pg_down",
        conn_type="delta_agent",
        host=str(fake_agent),
        login="agent",
        password="pw-never-shown",
        extra={"history_db": "jdbc:postgresql://127.0.0.1:9/agent?connectTimeout=2"},
    )
    ok, message = DeltaAgentHook("da_pg_down").test_connection()
    assert not ok
    assert "OperationalError" in message
    assert "pw-never-shown" not in message


def test_aws_credentials_are_the_same_with_or_without_the_amazon_provider(connection):
    connection(
        "aws_u",
        conn_type="aws",
        login="AKIAUNIT",
        password="aws-secret-unit",
        extra={"region_name": "eu-west-1", "aws_session_token": "tok-unit"},
    )
    connection("da_aws", conn_type="delta_agent", extra={"aws_conn_id": "aws_u"})
    env = DeltaAgentHook("da_aws").settings().env
    assert env == {
        "AWS_ACCESS_KEY_ID": "AKIAUNIT",
        "AWS_SECRET_ACCESS_KEY": "aws-secret-unit",
        "AWS_SESSION_TOKEN": "tok-unit",
        "AWS_REGION": "eu-west-1",
    }


@pytest.mark.skipif(not providers_installed("amazon"), reason="needs apache-airflow-providers-amazon")
def test_aws_credentials_come_through_aws_base_hook(connection, monkeypatch: pytest.MonkeyPatch):
    from airflow.providers.amazon.aws.hooks import base_aws

    asked = []
    real = base_aws.AwsBaseHook.get_credentials

    def spy(self, region_name=None):
        asked.append(self.aws_conn_id)
        return real(self, region_name)

    monkeypatch.setattr(base_aws.AwsBaseHook, "get_credentials", spy)
    connection("aws_p", conn_type="aws", login="AKIAPROV", password="prov-secret", extra={"region_name": "us-west-2"})
    connection("da_awsp", conn_type="delta_agent", extra={"aws_conn_id": "aws_p"})
    env = DeltaAgentHook("da_awsp").settings().env
    assert asked == ["aws_p"]
    assert env["AWS_ACCESS_KEY_ID"] == "AKIAPROV" and env["AWS_REGION"] == "us-west-2"


@pytest.mark.skipif(not providers_installed("databricks"), reason="needs apache-airflow-providers-databricks")
def test_databricks_credentials_come_through_databricks_hook(connection):
    connection("dbx_p", conn_type="databricks", host="https://adb-1.2.azuredatabricks.net/", password="dapi-prov")
    connection("da_dbx", conn_type="delta_agent", extra={"databricks_conn_id": "dbx_p"})
    env = DeltaAgentHook("da_dbx").settings().env
    assert env == {"DATABRICKS_HOST": "https://adb-1.2.azuredatabricks.net", "DATABRICKS_TOKEN": "dapi-prov"}
