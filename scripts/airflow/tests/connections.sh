# Sourced by run-tests: the Airflow connections of the delta_agent_provider test DAG, as AIRFLOW_CONN_* JSON.
# Needs DELTA_AGENT, HERE, WORK and PY. The secrets are random per run: check_dag_runs.py reads them back from these
# variables and asserts no log shows one.
HISTORY_DB="jdbc:h2:file:$WORK/history"
secret() { "$PY" -c 'import secrets, sys; print(sys.argv[1] + secrets.token_hex(12))' "$1"; }
TEST_DB_PASSWORD=$(secret db-) TEST_DATABRICKS_TOKEN=$(secret dapi) TEST_DATABRICKS_SECRET=$(secret dose)
TEST_AWS_SECRET=$(secret aws-) TEST_AWS_TOKEN=$(secret awstok-)
conn() { "$PY" -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])))' "$1"; }
AIRFLOW_CONN_DELTA_AGENT_DEFAULT=$(conn "{\"conn_type\": \"delta_agent\", \"host\": \"$DELTA_AGENT\",
  \"extra\": {\"history_db\": \"$HISTORY_DB\", \"config\": \"$WORK/agent.yaml\"}}")
AIRFLOW_CONN_DELTA_AGENT_RUN_URL=$(conn "{\"conn_type\": \"delta_agent\", \"host\": \"$HERE/tests/agent-with-run-url\",
  \"extra\": {\"history_db\": \"$HISTORY_DB\", \"config\": \"$WORK/agent.yaml\"}}")
AIRFLOW_CONN_DELTA_AGENT_CLOUD=$(conn "{\"conn_type\": \"delta_agent\", \"login\": \"agent_user\",
  \"password\": \"$TEST_DB_PASSWORD\", \"extra\": {\"agent_command\": \"$DELTA_AGENT\",
  \"config\": \"$WORK/agent.yaml\", \"databricks_conn_id\": \"databricks_test\", \"aws_conn_id\": \"aws_test\",
  \"env\": {\"DELTA_AGENT_TEST_MARK\": \"cloud\"}}}")
AIRFLOW_CONN_DELTA_AGENT_OAUTH=$(conn '{"conn_type": "delta_agent", "extra": {"databricks_conn_id": "databricks_oauth"}}')
AIRFLOW_CONN_DATABRICKS_TEST=$(conn "{\"conn_type\": \"databricks\", \"host\": \"adb-123.4.azuredatabricks.net\",
  \"password\": \"$TEST_DATABRICKS_TOKEN\"}")
AIRFLOW_CONN_DATABRICKS_OAUTH=$(conn "{\"conn_type\": \"databricks\", \"host\": \"https://dbc-1.cloud.databricks.com/\",
  \"login\": \"sp-client-id\", \"password\": \"$TEST_DATABRICKS_SECRET\", \"extra\": {\"service_principal_oauth\": true}}")
AIRFLOW_CONN_AWS_TEST=$(conn "{\"conn_type\": \"aws\", \"login\": \"AKIATESTKEY\", \"password\": \"$TEST_AWS_SECRET\",
  \"extra\": {\"region_name\": \"eu-west-1\", \"aws_session_token\": \"$TEST_AWS_TOKEN\"}}")
export HISTORY_DB AIRFLOW_CONN_DELTA_AGENT_DEFAULT AIRFLOW_CONN_DELTA_AGENT_RUN_URL AIRFLOW_CONN_DELTA_AGENT_CLOUD \
  AIRFLOW_CONN_DELTA_AGENT_OAUTH AIRFLOW_CONN_DATABRICKS_TEST AIRFLOW_CONN_DATABRICKS_OAUTH AIRFLOW_CONN_AWS_TEST
