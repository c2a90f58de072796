"""The provider's checks, run by check_dag_runs.py after `airflow dags test delta_agent_provider`.

From Airflow's database, the DAG's output and the agent: the provider is registered (connection type, hook,
extra link); the hook turned the connections into the agent's command and environment (credentials in the
environment only, and in no log); a missing connection fails naming it; the deferrable maintain deferred,
resumed and gave the synchronous path's document (the table HEALED, as the agent's own session and a
re-audit confirm); a cancelled session fails the task with the agent's message; the extra link is None
without a run page and the run page when there is one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any, Callable

from airflow.models import DagRun, TaskInstance
from airflow.models.serialized_dag import SerializedDagModel
from airflow.providers_manager import ProvidersManager
from airflow.utils.session import create_session

try:  # Airflow 3: the ORM model of XComs
    from airflow.models.xcom import XComModel as XCom
except ImportError:  # Airflow 2.x
    from airflow.models import XCom

try:  # Airflow 2.x
    from airflow.models.dataset import DatasetEvent as EventRow

    def event_uri(event: Any) -> str:
        return event.dataset.uri
except ImportError:  # Airflow 3
    from airflow.models.asset import AssetEvent as EventRow

    def event_uri(event: Any) -> str:
        return event.asset.uri


DAG_ID = "delta_agent_provider"
LINK = "Delta agent run"
DEFERRABLE = os.environ.get("DELTA_AGENT_AIRFLOW_DEFERRABLE", "run") != "skip"


def sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def conn(name: str) -> dict[str, Any]:
    return json.loads(os.environ[f"AIRFLOW_CONN_{name.upper()}"])


def skeleton(value: Any) -> Any:
    """A document's shape: its keys, nested, with each leaf's type (values such as times differ run to run)."""
    if isinstance(value, dict):
        return {k: skeleton(v) for k, v in value.items()}
    if isinstance(value, list):
        return [skeleton(v) for v in value]
    return type(value).__name__


def figures(doc: dict[str, Any]) -> Any:
    """What a maintain document says about its first table: status, before/after files and versions, actions."""
    t = (doc.get("tables") or [{}])[0]
    before, after = t.get("before") or {}, t.get("after") or {}
    return (
        doc.get("command"),
        doc.get("exitCode"),
        t.get("status"),
        (before.get("files"), before.get("version")),
        (after.get("files"), after.get("version")),
        [
            (a.get("action"), a.get("state"), (a.get("jobResult") or {}).get("filesRemoved"))
            for a in t.get("actions") or []
        ],
        t.get("error"),
    )


def session_of(log: str, task_id: str) -> str | None:
    m = re.search(
        rf"delta-agent session (airflow-{DAG_ID}-{task_id}-[A-Za-z0-9._-]+) (started|was already running)", log
    )
    return m.group(1) if m else None


def run(
    check: Callable[..., None],
    value: Callable[[Any], dict],
    task_block: Callable[[str, str, int], str],
    work: Path,
    agent: str,
    sync_maintain: dict[str, Any],
) -> None:
    pm = ProvidersManager()
    hook_info = pm.hooks.get("delta_agent")
    check(
        hook_info is not None
        and hook_info.hook_class_name == "delta_agent_provider.hooks.delta_agent.DeltaAgentHook"
        and hook_info.package_name == "airflow-provider-delta-agent",
        "provider: connection type delta_agent registered with DeltaAgentHook",
        hook_info,
    )
    check(
        "delta_agent_provider.links.delta_agent.DeltaAgentRunLink" in pm.extra_links_class_names,
        "provider: the extra link is registered",
    )

    log = (work / "provider-test.log").read_text()
    with create_session() as session:
        dag_run = session.query(DagRun).filter(DagRun.dag_id == DAG_ID).one()
        tis = {
            ti.task_id: ti
            for ti in session.query(TaskInstance).filter(
                TaskInstance.dag_id == DAG_ID, TaskInstance.run_id == dag_run.run_id
            )
        }

        def xcom(task_id: str, key: str = "return_value") -> Any:
            row = (
                session.query(XCom)
                .filter(XCom.dag_id == DAG_ID, XCom.run_id == dag_run.run_id, XCom.task_id == task_id, XCom.key == key)
                .one_or_none()
            )
            return None if row is None else value(row)

        dag = SerializedDagModel.get_dag(DAG_ID)

        def link(task_id: str) -> Any:
            return dag.get_task(task_id).get_extra_links(tis[task_id], LINK)

        states = {task_id: ti.state for task_id, ti in tis.items()}
        expected = {
            "hook_env": "success",
            "audit_with_credentials": "success",
            "missing_connection": "failed",
            "maintain_deferred": "success",
            "maintain_cancelled": "failed" if DEFERRABLE else "success",
        }
        check(states == expected, "provider DAG: task states", states)

        # the hook: connections -> command, settings, environment
        found = xcom("hook_env") or {}
        cloud, db, aws = conn("delta_agent_cloud"), conn("databricks_test"), conn("aws_test")
        want_env = {
            "DELTA_AGENT_DB_USER": "agent_user",
            "DELTA_AGENT_DB_PASSWORD": cloud["password"],
            "DATABRICKS_HOST": "https://adb-123.4.azuredatabricks.net",
            "DATABRICKS_TOKEN": db["password"],
            "AWS_ACCESS_KEY_ID": "AKIATESTKEY",
            "AWS_SECRET_ACCESS_KEY": aws["password"],
            "AWS_SESSION_TOKEN": aws["extra"]["aws_session_token"],
            "AWS_REGION": "eu-west-1",
            "DELTA_AGENT_TEST_MARK": "cloud",
        }
        got = found.get("delta_agent_cloud") or {}
        check(
            got.get("env") == {k: sha(v) for k, v in want_env.items()},
            "hook: delta_agent_cloud gives DB user/password, Databricks host/token, AWS keys/token/region, extra env",
            sorted((got.get("env") or {}).items()),
        )
        check(
            got.get("command") == [agent]
            and got.get("config") == str(work / "agent.yaml")
            and got.get("history_db") is None,
            "hook: the agent command (extra agent_command) and config from the connection",
            got,
        )
        secrets = [
            want_env[k]
            for k in ("DELTA_AGENT_DB_PASSWORD", "DATABRICKS_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
        ]
        oauth_secret = conn("databricks_oauth")["password"]
        secrets.append(oauth_secret)
        check(
            got.get("argv") == [agent, "maintain", "--config", str(work / "agent.yaml"), "--format", "json"]
            and not any(s in json.dumps(found) for s in secrets),
            "hook: argv has no credential",
            got.get("argv"),
        )
        oauth = found.get("delta_agent_oauth") or {}
        check(
            oauth.get("env")
            == {
                "DATABRICKS_HOST": sha("https://dbc-1.cloud.databricks.com"),
                "DATABRICKS_CLIENT_ID": sha("sp-client-id"),
                "DATABRICKS_CLIENT_SECRET": sha(oauth_secret),
            }
            and oauth.get("command") == [agent],
            "hook: service_principal_oauth gives DATABRICKS_CLIENT_ID/SECRET; the command defaults to $DELTA_AGENT",
            oauth,
        )

        # no credential in any log: the dags test output, the task logs Airflow wrote, the masking task's run
        masking = (work / "masking.log").read_text() if (work / "masking.log").exists() else ""
        logs = [work / "provider-test.log", work / "masking.log", *sorted((work / "airflow" / "logs").rglob("*.log"))]
        leaked = [str(p) for p in logs if p.is_file() and any(s in p.read_text(errors="replace") for s in secrets)]
        check(not leaked, f"no credential in the {len(logs)} logs (dags test output, task logs)", leaked)
        masked = [
            f"agent env {name}=***"
            for name in (
                "DATABRICKS_TOKEN",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "DELTA_AGENT_DB_PASSWORD",
                "DATABRICKS_CLIENT_SECRET",
            )
        ]
        check(
            all(m in masking for m in masked)
            and "agent env DATABRICKS_HOST=https://adb-123.4.azuredatabricks.net" in masking,
            "a task logging the agent's environment shows *** for each credential (Airflow's secrets masker)",
            [line for line in masking.splitlines() if "agent env" in line][:12],
        )

        audit = task_block(log, "audit_with_credentials", -1)
        doc = xcom("audit_with_credentials") or {}
        check(
            states.get("audit_with_credentials") == "success"
            and ((doc.get("tables") or [{}])[0]).get("status") == "MAINTENANCE_DUE"
            and "deferrable is for maintain: delta-agent audit runs in the worker" in audit,
            "audit with every credential in its environment succeeds; deferrable is ignored for audit, with a log line",
            (states.get("audit_with_credentials"), doc.get("exitCode"), audit[-800:]),
        )
        missing = task_block(log, "missing_connection", -1)
        check(
            "the Airflow connection 'delta_agent_missing' is not defined" in missing,
            "a missing connection fails the task naming the conn id",
            missing[-800:],
        )

        # no link: the empty string (None from Airflow 2.x when nothing was stored)
        check(link("audit_with_credentials") in (None, ""), "extra link: none for a task that ran no job")

        if not DEFERRABLE:
            check(True, "deferrable checks skipped (DELTA_AGENT_AIRFLOW_DEFERRABLE=skip)")
            return

        # the deferrable maintain
        deferred = task_block(log, "maintain_deferred", -1)
        sid = session_of(deferred, "maintain_deferred")
        check(
            sid is not None and "--detach --session" in deferred,
            "deferred maintain: submitted detached with a session id",
            deferred[-1500:],
        )
        check(
            "[DAG TEST] running trigger in line" in deferred
            and "deferring: the triggerer polls it" in deferred
            and "[DAG TEST] Trigger completed" in deferred,
            "deferred maintain: the task deferred, the trigger ran and the task resumed",
            deferred[-1500:],
        )
        check(
            sid is not None
            and f"delta-agent session {sid}: polled from its status file" in log
            and f"delta-agent session {sid}: polled by running" not in log,
            "deferred maintain (H2 history): the trigger polled the session's status file, no agent JVM per poll",
            [line for line in log.splitlines() if "polled" in line][:4],
        )
        doc = xcom("maintain_deferred") or {}
        check(
            figures(doc) == figures(sync_maintain)
            and figures(doc)[2:5] == ("HEALED", (60, 0), (1, 1))
            and skeleton(doc) == skeleton(sync_maintain),
            "deferred maintain: the same XCom document as the synchronous path (HEALED, 60 -> 1 files)",
            (figures(doc), figures(sync_maintain)),
        )
        table_d = work / "tables" / "events_d"
        events = [
            event_uri(e)
            for e in session.query(EventRow).filter(
                EventRow.source_dag_id == DAG_ID, EventRow.source_task_id == "maintain_deferred"
            )
        ]
        check(events == ["file://" + str(table_d)], "deferred maintain: a dataset event for its table", events)
        check(
            xcom("maintain_deferred", "run_urls") == [] and link("maintain_deferred") in (None, ""),
            "extra link: none without a run page (local backend)",
        )
        if sid:
            status = subprocess.run(
                [agent, "session", sid, "--history-db", f"jdbc:h2:file:{work}/history", "--format", "json"],
                capture_output=True,
                text=True,
            )
            st = json.loads(status.stdout.splitlines()[-1]) if status.stdout.strip() else {}
            check(
                status.returncode == 0 and st.get("state") == "ENDED" and st.get("exitCode") == 0,
                "the agent's history has the session ENDED with exit 0",
                (status.returncode, st, status.stderr[-500:]),
            )
        reaudit = subprocess.run(
            [agent, "audit", "--format", "json", "--config", str(work / "agent.yaml"), str(table_d)],
            capture_output=True,
            text=True,
        )
        rdoc = json.loads(reaudit.stdout.splitlines()[-1]) if reaudit.stdout.strip() else {}
        rt = (rdoc.get("tables") or [{}])[0]
        check(
            reaudit.returncode == 0 and rt.get("status") == "HEALTHY",
            "re-audit of the deferred maintain's table: healthy",
            (reaudit.returncode, rt.get("status")),
        )

        # the cancelled session
        cancelled = task_block(log, "maintain_cancelled", -1)
        cancel_log = (work / "cancel.log").read_text() if (work / "cancel.log").exists() else "(no cancel.log)"
        csid = session_of(cancelled, "maintain_cancelled")
        check(
            csid is not None and f"session {csid}" in cancel_log,
            "cancel-session cancelled the running session",
            cancel_log[-800:],
        )
        check(
            f"delta-agent session {csid} was cancelled (exit 143)" in cancelled and "AirflowFailException" in cancelled,
            "a cancelled session fails the task with the agent's message, not retried",
            cancelled[-1500:],
        )
        check(
            csid is not None and f"delta-agent session {csid}: polled by running delta-agent session" in log,
            "cancelled maintain: an agent without status files (the wrapper drops statusFile) is polled through "
            "'delta-agent session', the trigger's fallback",
            [line for line in log.splitlines() if "polled" in line][:4],
        )
        urls = xcom("maintain_cancelled", "run_urls") or []
        check(
            len(urls) == 1 and urls[0].startswith("https://databricks.invalid/#job/0/run/"),
            "the cancelled task pushed its job's run page (XCom run_urls)",
            urls,
        )
        check(
            link("maintain_cancelled") == (urls[0] if urls else "?"),
            "extra link: the run page",
            link("maintain_cancelled"),
        )


def run_outage(check: Callable[..., None], task_block: Callable[[str, str, int], str], work: Path, agent: str) -> None:
    """The deferred maintain whose PostgreSQL history went down while its session ran (delta_agent_outage)."""
    log_file, outage_file = work / "outage-test.log", work / "outage.log"
    if not log_file.exists():
        check(True, "history outage checks skipped: no PostgreSQL server binaries on this machine")
        return
    log, outage = log_file.read_text(), outage_file.read_text() if outage_file.exists() else "(no outage.log)"
    check(
        "stopping at" in outage and "started" in outage,
        "outage: the history database was stopped and restarted",
        outage,
    )
    with create_session() as session:
        tis = session.query(TaskInstance).filter(TaskInstance.dag_id == "delta_agent_outage").all()
        states = [(ti.task_id, ti.state, ti.try_number) for ti in tis]
    check(
        len(tis) == 1 and tis[0].state == "success",
        "outage: the deferred maintain succeeded despite the history database outage",
        (states, log[-3000:]),
    )
    waited = "the history database is unreachable" in log
    retried = "AirflowException" in log and len(re.findall(r"maintain_outage-\S+ started", log)) > 1
    check(
        "polled from the history database 127.0.0.1:" in log and (waited or retried),
        "outage: the trigger read the session from PostgreSQL (no JVM per poll) and waited out the outage"
        " or Airflow retried the task",
        {"waited": waited, "retried": retried, "polled": [ln for ln in log.splitlines() if "polled" in ln][:3]},
    )
    import psycopg

    from delta_agent_provider.session_status import postgres_conninfo

    info = postgres_conninfo(os.environ["PG_HISTORY_DB"], {"DELTA_AGENT_DB_USER": "agent"})
    with psycopg.connect(**info) as conn:
        runs = conn.execute(
            "SELECT action, state FROM maintenance_run WHERE table_path LIKE %s ORDER BY id", ("%events_f",)
        ).fetchall()
    check(
        runs == [("OPTIMIZE", "SUCCEEDED")],
        "outage: the history has the maintain's run once, SUCCEEDED (nothing lost, nothing run twice)",
        runs,
    )
    reaudit = subprocess.run(
        [agent, "audit", "--format", "json", "--config", str(work / "agent.yaml"), str(work / "tables" / "events_f")],
        capture_output=True,
        text=True,
    )
    doc = json.loads(reaudit.stdout.splitlines()[-1]) if reaudit.stdout.strip() else {}
    check(
        reaudit.returncode == 0 and ((doc.get("tables") or [{}])[0]).get("status") == "HEALTHY",
        "outage: re-audit of its table: healthy",
        (reaudit.returncode, reaudit.stderr[-500:]),
    )
