"""Checks what run-tests' `airflow dags test` runs left in Airflow's database, its output and the tables.

Usage: check_dag_runs.py WORK_DIR   (WORK_DIR holds the tables and dags-test logs run-tests made)
The provider's checks (connections, hook, deferrable maintain, extra link) are in check_provider.py.
Prints one line per check and "airflow-dag-test: N passed, N failed"; exits 1 when a check failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from airflow.models import DagRun, TaskInstance

try:  # Airflow 3: the ORM model of XComs
    from airflow.models.xcom import XComModel as XCom
except ImportError:  # Airflow 2.x
    from airflow.models import XCom
from airflow.utils.session import create_session

try:  # Airflow 2.x
    from airflow.models.dataset import DatasetDagRunQueue as QueueRow
    from airflow.models.dataset import DatasetEvent as EventRow
    from airflow.models.dataset import DatasetModel as DatasetRow

    def event_uri(event: EventRow) -> str:
        return event.dataset.uri
except ImportError:  # Airflow 3
    from airflow.models.asset import AssetDagRunQueue as QueueRow
    from airflow.models.asset import AssetEvent as EventRow
    from airflow.models.asset import AssetModel as DatasetRow

    def event_uri(event: EventRow) -> str:
        return event.asset.uri


WORK = Path(sys.argv[1])
AGENT = os.environ["DELTA_AGENT"]
results: list[tuple[bool, str]] = []


def value(row: XCom | None) -> dict:
    """An XCom row's value (Airflow 2.10's ORM has deserialised it already)."""
    if row is None:
        return {}
    if isinstance(row.value, (dict, list)):
        return row.value
    if isinstance(row.value, str):  # Airflow 3 stores JSON
        return json.loads(row.value)
    return XCom.deserialize_value(row)


def check(ok: bool, what: str, detail: object = "") -> None:
    results.append((ok, what))
    print(f"{'ok  ' if ok else 'FAIL'} {what}" + ("" if ok else f": {detail}"), flush=True)


def task_block(log: str, task_id: str, map_index: int) -> str:
    """The dags-test output of one task instance: from its start line to the next task's."""
    start = log.find(f"[DAG TEST] starting task_id={task_id} map_index={map_index}")
    if start < 0:
        return ""
    end = log.find("[DAG TEST] starting task_id=", start + 1)
    return log[start : end if end > 0 else len(log)]


def file_uri(table: Path) -> str:
    return "file://" + str(table.absolute())


tables = [WORK / "tables" / "events_a", WORK / "tables" / "not_a_table", WORK / "tables" / "events_b"]

with create_session() as session:
    run = session.query(DagRun).filter(DagRun.dag_id == "delta_maintenance").one()
    tis = {
        (ti.task_id, ti.map_index): ti.state
        for ti in session.query(TaskInstance).filter(
            TaskInstance.run_id == run.run_id, TaskInstance.dag_id == run.dag_id
        )
    }

    def xcom(task_id: str, map_index: int) -> dict:
        row = (
            session.query(XCom)
            .filter(
                XCom.dag_id == run.dag_id,
                XCom.run_id == run.run_id,
                XCom.task_id == task_id,
                XCom.map_index == map_index,
                XCom.key == "return_value",
            )
            .one_or_none()
        )
        return value(row)

    check(run.state == "failed", "the run failed because one table failed", run.state)
    expected = {
        ("list_tables", -1): "success",
        ("table.audit", 0): "success",
        ("table.audit", 1): "failed",
        ("table.audit", 2): "success",
        ("table.maintain", 0): "success",
        ("table.maintain", 1): "upstream_failed",
        ("table.maintain", 2): "success",
    }
    check(tis == expected, "task states: the bad table's audit failed, every other mapped task succeeded", tis)
    bad = (
        session.query(TaskInstance)
        .filter(TaskInstance.run_id == run.run_id, TaskInstance.task_id == "table.audit", TaskInstance.map_index == 1)
        .one()
    )
    check(
        bad.state == "failed" and bad.try_number == 1 and bad.max_tries == 3,
        "a table that is not Delta is not retried (failed on try 1 of 4)",
        (bad.state, bad.try_number, bad.max_tries),
    )

    for i in (0, 2):
        audit = xcom("table.audit", i)
        table = (audit.get("tables") or [{}])[0]
        check(
            audit.get("command") == "audit"
            and table.get("table") == str(tables[i])
            and table.get("status") == "MAINTENANCE_DUE",
            f"XCom of audit[{i}]: {tables[i].name} is due",
            table.get("status"),
        )
        files = table.get("health", {}).get("files", {})
        check(
            files.get("activeFiles") == 60 and files.get("smallFiles") == 60,
            f"XCom of audit[{i}]: 60 files, all small",
            files,
        )

        maintain = xcom("table.maintain", i)
        table = (maintain.get("tables") or [{}])[0]
        before, after = table.get("before") or {}, table.get("after") or {}
        check(table.get("status") == "HEALED", f"XCom of maintain[{i}]: HEALED", table.get("status"))
        check(
            before.get("files") == 60 and after.get("files") == 1,
            f"XCom of maintain[{i}]: files 60 -> 1",
            (before, after),
        )
        check(
            before.get("version") == 0 and after.get("version") == 1,
            f"XCom of maintain[{i}]: version 0 -> 1",
            (before, after),
        )
        actions = table.get("actions") or [{}]
        check(
            [a.get("action") for a in actions] == ["OPTIMIZE"]
            and actions[0].get("state") == "SUCCEEDED"
            and (actions[0].get("jobResult") or {}).get("filesRemoved") == 60,
            f"XCom of maintain[{i}]: one OPTIMIZE job, 60 files removed",
            actions,
        )
    sync_maintain = xcom("table.maintain", 0)  # the provider's deferred maintain must give the same document
    check(
        xcom("table.audit", 1).get("exitCode") == 1,
        "XCom of the failed audit holds the agent's document (exit 1)",
        xcom("table.audit", 1),
    )

    events = {event_uri(e): e for e in session.query(EventRow).filter(EventRow.source_dag_id == "delta_maintenance")}
    want = {file_uri(tables[0]), file_uri(tables[2])}
    check(set(events) == want, "dataset events for the two compacted tables, none for the failed one", sorted(events))
    extras = [events[u].extra for u in sorted(want) if u in events]
    check(
        all(x.get("filesBefore") == 60 and x.get("filesAfter") == 1 and x.get("actions") == "OPTIMIZE" for x in extras)
        and len(extras) == 2,
        "dataset events carry before/after files",
        extras,
    )
    queued = session.query(QueueRow).filter(QueueRow.target_dag_id == "delta_table_consumer").count()
    check(queued >= 1, "the consumer DAG, scheduled on the alias, is queued to run", queued)
    check(session.query(DatasetRow).count() >= 2, "the tables are datasets in Airflow's database")

    due = session.query(DagRun).filter(DagRun.dag_id == "delta_agent_due").one()
    due_tis = {
        ti.task_id: ti.state
        for ti in session.query(TaskInstance).filter(
            TaskInstance.run_id == due.run_id, TaskInstance.dag_id == due.dag_id
        )
    }
    check(due_tis == {"audit_skip": "skipped", "audit_fail": "failed"}, "on_due=skip skips, on_due=fail fails", due_tis)
    row = (
        session.query(XCom)
        .filter(XCom.run_id == due.run_id, XCom.task_id == "audit_skip", XCom.key == "return_value")
        .one_or_none()
    )
    skipped = value(row)
    check(
        skipped.get("exitCode") == 99 and skipped.get("summary", {}).get("maintenanceDue") == 1,
        "a skipped task still pushes the document",
        skipped,
    )

log = (WORK / "dags-test.log").read_text()
failed = task_block(log, "table.audit", 1)
message = f"AirflowFailException: {tables[1]}: not a Delta table: no _delta_log directory under file:{tables[1]}"
check(message in failed, "the failed mapped task fails with the agent's message", failed[-2000:])
due_log = (WORK / "due-test.log").read_text()
check(
    f"AirflowFailException: maintenance due: {WORK / 'tables' / 'events_c'}" in task_block(due_log, "audit_fail", -1),
    "on_due=fail fails naming the due table",
)

for i in (0, 2):
    audit = subprocess.run(
        [AGENT, "audit", "--format", "json", "--config", str(WORK / "agent.yaml"), str(tables[i])],
        capture_output=True,
        text=True,
    )
    doc = json.loads(audit.stdout.splitlines()[-1]) if audit.stdout.strip() else {}
    table = (doc.get("tables") or [{}])[0]
    files = table.get("health", {}).get("files", {})
    check(
        audit.returncode == 0 and table.get("status") == "HEALTHY" and files.get("activeFiles") == 1,
        f"re-audit of {tables[i].name}: compacted to 1 file, healthy",
        (audit.returncode, table.get("status"), files, audit.stderr[-500:]),
    )

import check_provider  # noqa: E402  (the provider's checks share check(), the session and the helpers above)

check_provider.run(check, value, task_block, WORK, AGENT, sync_maintain)
if check_provider.DEFERRABLE:
    check_provider.run_outage(check, task_block, WORK, AGENT)

passed = sum(1 for ok, _ in results if ok)
print(f"airflow-dag-test: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
