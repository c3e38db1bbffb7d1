-- Renewal outcomes are facts (definitions, "Renewals"): one row per account and renewal date, with its outcome, the ARR
-- of the renewed contract (cents; NULL: the ARR due, in full), the renewal it opens, the cause and when it was decided.
CREATE TABLE renewals (
    account_id         TEXT NOT NULL REFERENCES accounts(id),
    renewal_date       TEXT NOT NULL,
    outcome            TEXT NOT NULL CHECK (outcome IN ('renewed', 'churned', 'contracted')),
    renewed_arr_cents  INTEGER CHECK (renewed_arr_cents >= 0),
    next_renewal_date  TEXT,
    reason             TEXT NOT NULL DEFAULT '' CHECK (reason IN ('', 'sponsor_change', 'budget', 'competitor', 'value_not_realised',
                                                                   'product_gap', 'price', 'other')),
    decided_at         TEXT NOT NULL,
    note               TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, renewal_date)
) WITHOUT ROWID;

-- The CRM's renewal_date moving on is history, not an edit: when an update moves an account's renewal_date later while
-- the old date is at most 90 days away (or passed), and no renewal of the old date is recorded, the old renewal is
-- recorded as renewed on the day of the update, with the new date as the next renewal. A later date that is further
-- away is taken as a correction of the date, not a renewal.
CREATE TRIGGER renewal_date_moves_on AFTER UPDATE OF renewal_date ON accounts
WHEN new.renewal_date > old.renewal_date
 AND old.renewal_date <= date('now', '+90 days')
 AND NOT EXISTS (SELECT 1 FROM renewals WHERE account_id = old.id AND renewal_date = old.renewal_date)
BEGIN
    INSERT INTO renewals (account_id, renewal_date, outcome, renewed_arr_cents, next_renewal_date, reason, decided_at, note)
    VALUES (old.id, old.renewal_date, 'renewed', NULL, new.renewal_date, '', date('now'),
            'recorded when renewal_date moved on from ' || old.renewal_date || ' to ' || new.renewal_date);
END;
