-- A person may override an account's renewal probability (field 'probability', a number from 0 to 1 kept as text like
-- every override value): the SQLite migration 0004's change, as PostgreSQL changes a CHECK constraint in place.
ALTER TABLE overrides DROP CONSTRAINT overrides_field_check;
ALTER TABLE overrides ADD CONSTRAINT overrides_field_check CHECK (field IN ('band', 'readiness', 'risk', 'probability'));
