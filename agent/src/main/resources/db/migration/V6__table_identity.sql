-- A table's Delta table id (metaData.id) beside its canonical path (a cross-check: copies of a table's files share it,
-- so it identifies nothing alone), and whether a run was forced past the guards (maintain --force).
-- V7 (a Java migration) rewrites the paths of older rows to their canonical form and fills table_id from health_before.
ALTER TABLE maintenance_run ADD COLUMN table_id VARCHAR(64);
ALTER TABLE maintenance_run ADD COLUMN forced BOOLEAN DEFAULT FALSE NOT NULL;
-- The commitInfo.userMetadata the run's job writes into its commits (spark-jobs --run-tag): how a run the agent lost
-- track of (killed, crashed) is settled from the table's log alone.
ALTER TABLE maintenance_run ADD COLUMN commit_tag VARCHAR(160);
