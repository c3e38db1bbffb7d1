-- A person may override an account's renewal probability (field 'probability', a number from 0 to 1 kept as text like
-- every override value). SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows and ids.
CREATE TABLE overrides_new (
    id          INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    field       TEXT NOT NULL CHECK (field IN ('band', 'readiness', 'risk', 'probability')),
    value       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT
);
INSERT INTO overrides_new (id, account_id, field, value, reason, author, created_at, expires_at)
    SELECT id, account_id, field, value, reason, author, created_at, expires_at FROM overrides;
DROP TABLE overrides;
ALTER TABLE overrides_new RENAME TO overrides;
CREATE INDEX overrides_by_account ON overrides (account_id, created_at);
