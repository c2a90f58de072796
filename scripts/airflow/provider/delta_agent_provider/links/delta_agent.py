"""The ``Delta agent run`` extra link: the backend's page of the job a task ran (a Databricks run, ...)."""

from __future__ import annotations

from typing import Any

from delta_agent_provider._compat import BaseOperatorLink, xcom_value

RUN_URLS_KEY = "run_urls"


class DeltaAgentRunLink(BaseOperatorLink):
    """Links a task to its maintenance job's run page on the backend.

    The operator pushes the run pages it learnt (``actions[].runUrl`` of the result, ``runs[].runUrl`` of a
    deferred session) to the XCom ``run_urls``; the link is the first of them, or None when the backend has no
    run page (the local backend) or the task ran no job: then the empty string, Airflow's "no link" (Airflow 3.3
    stores what this returns, and would store None as the text 'None').
    """

    name = "Delta agent run"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        urls = xcom_value(ti_key, RUN_URLS_KEY)
        if isinstance(urls, str):
            return urls
        if isinstance(urls, (list, tuple)):
            return next((str(u) for u in urls if u), "")
        return ""
