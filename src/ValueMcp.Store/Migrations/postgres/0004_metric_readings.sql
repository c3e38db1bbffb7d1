-- Metric readings (the SQLite store's migration 0006; see Migrations/0006_metric_readings.sql): product usage measured
-- by a system, one reading per account, metric and day. Nothing derived from them is stored. The primary key is the
-- portfolio's read order: one account's series, and its metrics' trend windows, are each one range of it.
CREATE TABLE metric_readings (
    account_id   text COLLATE "C" NOT NULL REFERENCES accounts(id),
    metric       text COLLATE "C" NOT NULL CHECK (metric <> ''),
    observed_at  text COLLATE "C" NOT NULL,
    value        double precision NOT NULL,
    source       text COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, metric, observed_at)
);

-- An outcome's metric is now read by a rule (its readings are evidence of it): the outcomes' stream index covers it.
DROP INDEX IF EXISTS outcomes_stream;
CREATE INDEX outcomes_stream ON outcomes (account_id, promised_at, id) INCLUDE (title, metric, baseline, target, direction, due_date);
