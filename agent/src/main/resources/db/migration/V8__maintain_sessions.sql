-- The backend's page for a run's job (a Databricks run page), as soon as the backend names it: shown while it runs.
ALTER TABLE maintenance_run ADD COLUMN run_url VARCHAR(2000);
-- A detached maintain (maintain --detach): the background agent process that runs it (owner, cli:<host>:<pid>), and
-- when it ends, its exit code and result document, so a caller on any host (an Airflow trigger) follows it through
-- this database. Its runs are the maintenance_run rows of the same owner submitted since started_at.
CREATE TABLE maintain_session (
    id          VARCHAR(200) PRIMARY KEY,
    owner       VARCHAR(300) NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at    TIMESTAMP WITH TIME ZONE,
    exit_code   INTEGER,
    log_path    VARCHAR(4096),
    -- set by 'session ID --cancel' on any host; the session's process checks it every few seconds and stops
    cancel_requested_at TIMESTAMP WITH TIME ZONE,
    document    VARCHAR
);
