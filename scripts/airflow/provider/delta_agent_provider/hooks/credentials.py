"""AWS and Databricks credentials for the agent's environment through those providers' own hooks.

When ``apache-airflow-providers-amazon`` is installed, ``AwsBaseHook`` resolves the ``aws`` connection the way
every Amazon operator does (role ARN and assume-role, profiles, web identity, session tokens); when
``apache-airflow-providers-databricks`` is, ``DatabricksHook`` resolves the ``databricks`` connection (personal
token, Azure AD, ...). Each function returns None when its provider is missing, and the hook falls back to
mapping the connection's fields itself. Every secret is registered with the log masker before it is returned.
"""

from __future__ import annotations

from delta_agent_provider._compat import mask_secret


def aws_env_from_provider(conn_id: str) -> dict[str, str] | None:
    """``AWS_*`` variables for connection ``conn_id`` as ``AwsBaseHook`` resolves it; None without the provider."""
    try:
        from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook
    except ImportError:
        return None
    hook = AwsBaseHook(aws_conn_id=conn_id, client_type="sts")
    credentials = hook.get_credentials()  # frozen: assume-role and web identity give temporary keys
    env: dict[str, str] = {}
    if credentials.access_key:
        env["AWS_ACCESS_KEY_ID"] = credentials.access_key
    if credentials.secret_key:
        mask_secret(credentials.secret_key)
        env["AWS_SECRET_ACCESS_KEY"] = credentials.secret_key
    if credentials.token:
        mask_secret(credentials.token)
        env["AWS_SESSION_TOKEN"] = credentials.token
    region = hook.conn_region_name
    if region:
        env["AWS_REGION"] = region
    return env


def databricks_env_from_provider(conn_id: str) -> dict[str, str] | None:
    """``DATABRICKS_HOST``, ``DATABRICKS_TOKEN`` as ``DatabricksHook`` resolves ``conn_id``; None without it."""
    try:
        from airflow.providers.databricks.hooks.databricks import DatabricksHook
    except ImportError:
        return None
    hook = DatabricksHook(databricks_conn_id=conn_id)
    host = hook.host or ""
    token = hook._get_token(raise_error=True)  # the provider's one entry point for every auth it supports
    mask_secret(token)
    env = {"DATABRICKS_TOKEN": token}
    if host:
        env["DATABRICKS_HOST"] = (host if "://" in host else "https://" + host).rstrip("/")
    return env
