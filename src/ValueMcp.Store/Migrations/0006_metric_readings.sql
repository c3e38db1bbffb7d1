-- Metric readings: product usage measured by a system, one reading per account, metric and day. The rules that turn
-- them into evidence and trend signals are in the scoring library; nothing derived from them is stored. The key is
-- the table's order (WITHOUT ROWID: no second copy of the key): one account's series, and one metric's readings in a
-- date range, are each one range of it; the portfolio's trend windows are read in key order, grouped without a sort.
CREATE TABLE metric_readings (
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    metric       TEXT NOT NULL CHECK (metric <> ''),
    observed_at  TEXT NOT NULL,
    value        REAL NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, metric, observed_at)
) WITHOUT ROWID;

-- An outcome's metric is now read by a rule (its readings are evidence of it): the outcomes' stream index covers it.
DROP INDEX IF EXISTS outcomes_stream;
CREATE INDEX outcomes_stream ON outcomes (account_id, promised_at, id, title, metric, baseline, target, direction, due_date);
