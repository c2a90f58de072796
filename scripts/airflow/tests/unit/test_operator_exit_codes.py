"""The operator maps the agent's exit codes (README's table) to task states: what Airflow retries and what not."""

from __future__ import annotations

from typing import Any

import pytest

from delta_agent_provider._compat import AirflowException, AirflowFailException, AirflowSkipException
from delta_agent_provider.operators.delta_agent import DeltaMaintenanceOperator


def operator(**kwargs: Any) -> DeltaMaintenanceOperator:
    return DeltaMaintenanceOperator(task_id="t", command="maintain", table="/data/events", **kwargs)


def document(kind: str | None = None, message: str = "/data/events: broken") -> dict[str, Any]:
    error = {"kind": kind, "message": message} if kind else None
    return {"command": "maintain", "tables": [{"table": "/data/events", "status": "FAILED", "error": error}]}


def is_retryable(exc: BaseException) -> bool:
    """Airflow retries an AirflowException (with retries left), never an AirflowFailException or a skip."""
    return isinstance(exc, AirflowException) and not isinstance(exc, (AirflowFailException, AirflowSkipException))


def test_exit_75_is_a_retryable_failure_naming_the_cause(context):
    with pytest.raises(AirflowException) as raised:
        operator()._finish(context, 75, None, "delta-agent: history database unreachable: connection refused")
    assert is_retryable(raised.value)
    assert "transient" in str(raised.value)
    assert "history database unreachable: connection refused" in str(raised.value)


def test_exit_75_with_a_document_gives_the_tables_messages_and_pushes_it(context):
    doc = document("STORAGE_THROTTLED", "s3a://lake/events: throttled (503 SlowDown)")
    with pytest.raises(AirflowException) as raised:
        operator()._finish(context, 75, doc, "stderr")
    assert is_retryable(raised.value)
    assert "s3a://lake/events: throttled (503 SlowDown)" in str(raised.value)
    assert context["ti"].xcoms["return_value"] == doc


def test_exit_2_fails_without_retry(context):
    with pytest.raises(AirflowFailException, match="bad usage or config: unknown option --foo"):
        operator()._finish(context, 2, None, "unknown option --foo")


def test_exit_4_fails_without_retry_by_default(context):
    doc = document("NOT_MAINTAINABLE", "/data/events: catalog-managed: maintained by its catalog")
    with pytest.raises(AirflowFailException, match="not maintainable here: /data/events: catalog-managed"):
        operator()._finish(context, 4, doc, "stderr")


def test_exit_4_skips_when_asked(context):
    with pytest.raises(AirflowSkipException, match="not maintainable here"):
        operator(on_not_maintainable="skip")._finish(context, 4, None, "writer feature not supported")


def test_on_not_maintainable_is_checked():
    with pytest.raises(ValueError, match="on_not_maintainable must be one of fail, skip"):
        operator(on_not_maintainable="retry")


def test_exit_99_skips_and_3_fails_and_0_returns_the_document(context):
    due = {"command": "maintain", "tables": [{"table": "/data/events", "status": "MAINTENANCE_DUE"}]}
    with pytest.raises(AirflowSkipException, match="maintenance due: /data/events"):
        operator()._finish(context, 99, due, "")
    with pytest.raises(AirflowFailException, match="maintenance due: /data/events"):
        operator()._finish(context, 3, due, "")
    healthy = {"command": "audit", "tables": [{"table": "/data/events", "status": "HEALTHY", "actions": []}]}
    assert DeltaMaintenanceOperator(task_id="a", table="/data/events")._finish(context, 0, healthy, "") == healthy


def test_exit_1_retries_job_failures_but_not_a_missing_table(context):
    with pytest.raises(AirflowException) as raised:
        operator()._finish(context, 1, document("JOB_FAILED", "/data/events: job failed"), "")
    assert is_retryable(raised.value)
    with pytest.raises(AirflowFailException, match="not a Delta table"):
        operator()._finish(context, 1, document("NOT_A_DELTA_TABLE", "/data/x: not a Delta table"), "")


def test_a_deferred_session_that_ended_with_75_is_retried(context):
    event = {
        "status": "session",
        "session_id": "s1",
        "session": {"state": "ENDED", "exitCode": 75, "result": None, "runs": [], "message": "history db down"},
    }
    with pytest.raises(AirflowException) as raised:
        operator().execute_complete(context, event)
    assert is_retryable(raised.value)
