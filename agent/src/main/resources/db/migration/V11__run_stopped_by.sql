-- What asked the agent to stop while a run's job was in flight (SIGTERM, SIGINT, a session cancel), null when nothing
-- did: a run whose job finished and committed stays SUCCEEDED, and this says the agent was stopped around it.
ALTER TABLE maintenance_run ADD COLUMN stopped_by VARCHAR(100);
