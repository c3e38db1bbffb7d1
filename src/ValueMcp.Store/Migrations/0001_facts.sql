-- The facts of domain.md. Dates are ISO yyyy-MM-dd text; money is INTEGER cents (exact sums in SQL);
-- metric values and capacities are REAL. Nothing derived is stored.

CREATE TABLE accounts (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    segment              TEXT NOT NULL DEFAULT '',
    tier                 TEXT NOT NULL DEFAULT '' CHECK (tier IN ('', '1', '2', '3')),
    csm                  TEXT NOT NULL DEFAULT '',
    account_manager      TEXT NOT NULL DEFAULT '',
    contract_start       TEXT NOT NULL,
    renewal_date         TEXT NOT NULL,
    contracted_capacity  REAL,
    used_capacity        REAL,
    executive_sponsor    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE arr_movements (
    id              INTEGER PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    effective_date  TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('new', 'expansion', 'contraction', 'churn')),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents >= 0),
    lane            TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    UNIQUE (account_id, effective_date, kind, amount_cents)
);

CREATE TABLE outcomes (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    title        TEXT NOT NULL,
    metric       TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL DEFAULT '',
    baseline     REAL,
    target       REAL,
    direction    TEXT CHECK (direction IN ('increase', 'decrease')),
    promised_at  TEXT NOT NULL,
    due_date     TEXT,
    source       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outcomes_by_account ON outcomes (account_id, promised_at);

CREATE TABLE evidence (
    id              TEXT PRIMARY KEY,
    outcome_id      TEXT NOT NULL REFERENCES outcomes(id),
    captured_at     TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT '',
    observed_value  REAL,
    achieved        INTEGER CHECK (achieved IN (0, 1)),
    note            TEXT NOT NULL DEFAULT '',
    captured_by     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evidence_by_outcome ON evidence (outcome_id, captured_at);

CREATE TABLE signals (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    observed_at  TEXT NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ('usage', 'data', 'success', 'capacity', 'risk', 'timing')),
    kind         TEXT NOT NULL DEFAULT '',
    polarity     INTEGER NOT NULL CHECK (polarity IN (-1, 1)),
    note         TEXT NOT NULL DEFAULT ''
);
-- Window scans over the whole portfolio read this covering index; one account's signals read the second.
CREATE INDEX signals_by_date ON signals (observed_at, account_id, category, polarity);
CREATE INDEX signals_by_account ON signals (account_id, observed_at);

CREATE TABLE milestones (
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    kind        TEXT NOT NULL CHECK (kind IN ('kickoff', 'live', 'first_value', 'adopted', 'renewed')),
    reached_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, kind)
);

CREATE TABLE overrides (
    id          INTEGER PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    field       TEXT NOT NULL CHECK (field IN ('band', 'readiness', 'risk')),
    value       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT
);
CREATE INDEX overrides_by_account ON overrides (account_id, created_at);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    operation  TEXT NOT NULL,
    arguments  TEXT NOT NULL,
    author     TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
