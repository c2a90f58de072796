-- The commitInfo of the Delta commit a run produced, read back from the table's log after the job
-- (operation, operationMetrics, engineInfo): the proof of what the run did, beside the job's own report.
ALTER TABLE maintenance_run ADD COLUMN commit_info VARCHAR;
