-- delta-agent daemon: which table+action is in flight (at most one, over all daemons sharing this database:
-- the primary key is the claim), and how to find a run's job again after a restart.
CREATE TABLE action_claim (
    table_path VARCHAR(2048) NOT NULL,
    action     VARCHAR(32)   NOT NULL,
    backend    VARCHAR(64)   NOT NULL,
    owner      VARCHAR(200)  NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    reason     VARCHAR,
    run_id     BIGINT,
    PRIMARY KEY (table_path, action)
);

-- One row per named lock; admission takes 'admission' FOR UPDATE so caps hold across daemons.
CREATE TABLE daemon_lock (
    name VARCHAR(64) PRIMARY KEY
);
INSERT INTO daemon_lock (name) VALUES ('admission');

-- The backend's handle of the job (local: its result file), recorded before the job starts.
ALTER TABLE maintenance_run ADD COLUMN job_handle VARCHAR;
-- The daemon (scheduler instance) that submitted the run; null for the CLI.
ALTER TABLE maintenance_run ADD COLUMN owner VARCHAR(200);
