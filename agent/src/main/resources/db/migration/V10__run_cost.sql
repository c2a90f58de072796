-- Each run's estimated compute cost (the backend's configured prices x its cores or nodes x its duration; never a bill),
-- with how it was computed.
ALTER TABLE maintenance_run ADD COLUMN cost_amount DECIMAL(18, 4);
ALTER TABLE maintenance_run ADD COLUMN cost_currency VARCHAR(3);
ALTER TABLE maintenance_run ADD COLUMN cost_basis VARCHAR(500);
