-- Which unit of a split action a run is (OPTIMIZE split into bounded jobs), and its prediction beside what it did:
-- planned figures when it is submitted, actual ones (from the operation metrics of its commits, read back from the
-- log) when it ends. deviation is set when the actual figures are beyond the prediction-tolerance.
ALTER TABLE maintenance_run ADD COLUMN unit_index INT;
ALTER TABLE maintenance_run ADD COLUMN unit_count INT;
ALTER TABLE maintenance_run ADD COLUMN planned_files_rewritten BIGINT;
ALTER TABLE maintenance_run ADD COLUMN planned_bytes_rewritten BIGINT;
ALTER TABLE maintenance_run ADD COLUMN planned_files_written BIGINT;
ALTER TABLE maintenance_run ADD COLUMN planned_small_file_bytes BIGINT;
ALTER TABLE maintenance_run ADD COLUMN planned_files_after BIGINT;
ALTER TABLE maintenance_run ADD COLUMN actual_files_rewritten BIGINT;
ALTER TABLE maintenance_run ADD COLUMN actual_bytes_rewritten BIGINT;
ALTER TABLE maintenance_run ADD COLUMN actual_files_written BIGINT;
ALTER TABLE maintenance_run ADD COLUMN actual_bytes_written BIGINT;
ALTER TABLE maintenance_run ADD COLUMN files_after BIGINT;
ALTER TABLE maintenance_run ADD COLUMN write_amplification DOUBLE PRECISION;
ALTER TABLE maintenance_run ADD COLUMN deviation VARCHAR;
