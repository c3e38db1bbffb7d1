-- The store streams plain fact rows, one table at a time, ordered by account (the rules that turn them into scores are
-- in the scoring library). Each stream reads one covering index from start to end, in account order: no sort, no
-- lookup into the table. Descriptive text (notes, metric and unit names) is not in these indexes: it is read for one
-- account at a time.
DROP INDEX IF EXISTS signals_by_date;
DROP INDEX IF EXISTS signals_by_account;
DROP INDEX IF EXISTS evidence_cover;
DROP INDEX IF EXISTS evidence_by_outcome;
DROP INDEX IF EXISTS outcomes_cover;
DROP INDEX IF EXISTS outcomes_by_account;
CREATE INDEX movements_stream ON arr_movements (account_id, effective_date, id, kind, amount_cents, lane);
CREATE INDEX outcomes_stream ON outcomes (account_id, promised_at, id, title, baseline, target, direction, due_date);
CREATE INDEX evidence_stream ON evidence (outcome_id, captured_at, source, observed_value, achieved);
CREATE INDEX signals_stream ON signals (account_id, observed_at, id, category, polarity, kind);
CREATE INDEX milestones_stream ON milestones (account_id, reached_at, kind);

-- The data version: one number that every write and every import raises in its own transaction, and the accounts
-- each version touched (account_id NULL: any account, as after an import). A server that keeps scored portfolios in
-- memory compares the version to the one it scored at, and rescores only the accounts touched since. Old change rows
-- are pruned: changes_from is the first version whose changes are all still listed.
CREATE TABLE data_version (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    version       INTEGER NOT NULL,
    changes_from  INTEGER NOT NULL
);
INSERT INTO data_version (id, version, changes_from) VALUES (1, 1, 2);
CREATE TABLE account_changes (
    version     INTEGER NOT NULL,
    account_id  TEXT
);
CREATE INDEX account_changes_by_version ON account_changes (version);
ANALYZE;
