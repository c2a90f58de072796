"""The Airflow names the provider uses, from Airflow 3's task SDK when it is there, else from Airflow 2.x.

Importing Airflow 3's names first keeps the provider free of Airflow 3's deprecation warnings; the 2.x
fallbacks are what Airflow 2.10 has.
"""

from __future__ import annotations

from typing import Any

try:  # Airflow 3: the task SDK and assets
    from airflow.sdk import Asset, AssetAlias, BaseHook, BaseOperator, BaseOperatorLink

    AIRFLOW_3 = True
except ImportError:  # Airflow 2.x: datasets
    from airflow.datasets import Dataset as Asset  # type: ignore[no-redef]
    from airflow.datasets import DatasetAlias as AssetAlias  # type: ignore[no-redef]
    from airflow.hooks.base import BaseHook  # type: ignore[no-redef]
    from airflow.models.baseoperator import BaseOperator  # type: ignore[no-redef]
    from airflow.models.baseoperatorlink import BaseOperatorLink  # type: ignore[no-redef]

    AIRFLOW_3 = False

try:  # Airflow 3.2+: the task SDK's exceptions (airflow.exceptions' names warn there)
    from airflow.sdk.exceptions import (
        AirflowException,
        AirflowFailException,
        AirflowNotFoundException,
        AirflowSkipException,
    )
except ImportError:
    from airflow.exceptions import (  # type: ignore[no-redef]
        AirflowException,
        AirflowFailException,
        AirflowNotFoundException,
        AirflowSkipException,
    )


def mask_secret(value: str) -> None:
    """Has Airflow's log masker replace ``value`` with ``***`` in every log line from now on."""
    if AIRFLOW_3:
        from airflow.sdk.log import mask_secret as mask
    else:
        from airflow.utils.log.secrets_masker import mask_secret as mask
    mask(value)


def xcom_value(ti_key: Any, key: str) -> Any:
    """The XCom ``key`` of a task instance (None when there is none): the way each Airflow version's links read it."""
    if AIRFLOW_3:
        from airflow.sdk.execution_time.xcom import XCom
    else:
        from airflow.models.xcom import XCom  # type: ignore[no-redef]
    return XCom.get_value(ti_key=ti_key, key=key)


__all__ = [
    "AIRFLOW_3",
    "AirflowException",
    "AirflowFailException",
    "AirflowNotFoundException",
    "AirflowSkipException",
    "Asset",
    "AssetAlias",
    "BaseHook",
    "BaseOperator",
    "BaseOperatorLink",
    "mask_secret",
]
