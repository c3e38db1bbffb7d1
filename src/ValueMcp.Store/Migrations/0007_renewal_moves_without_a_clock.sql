-- Migration 0005's trigger read the wall clock (date('now')) and a fixed 90 days to decide whether an account's
-- renewal_date moving on was a renewal. A rule must not read a clock: the import now states its day and the window
-- (the policy's renewal_decision_window_days) in import_context, a one-row table it fills inside its own transaction
-- and empties before it commits; the trigger reads them from there and does nothing when no import is running.
CREATE TABLE import_context (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    day                  TEXT NOT NULL,
    renewal_window_days  INTEGER NOT NULL CHECK (renewal_window_days >= 0)
);

DROP TRIGGER renewal_date_moves_on;

-- The CRM's renewal_date moving on is history, not an edit: when an import moves an account's renewal_date later while
-- the old date is at most the window away from the import's day (or passed), and no renewal of the old date is
-- recorded, the old renewal is recorded as renewed on the import's day, with the new date as the next renewal. A
-- later date that is further away is taken as a correction of the date, not a renewal.
CREATE TRIGGER renewal_date_moves_on AFTER UPDATE OF renewal_date ON accounts
WHEN new.renewal_date > old.renewal_date
 AND old.renewal_date <= (SELECT date(day, '+' || renewal_window_days || ' days') FROM import_context WHERE id = 1)
 AND NOT EXISTS (SELECT 1 FROM renewals WHERE account_id = old.id AND renewal_date = old.renewal_date)
BEGIN
    INSERT INTO renewals (account_id, renewal_date, outcome, renewed_arr_cents, next_renewal_date, reason, decided_at, note)
    VALUES (old.id, old.renewal_date, 'renewed', NULL, new.renewal_date, '', (SELECT day FROM import_context WHERE id = 1),
            'recorded when renewal_date moved on from ' || old.renewal_date || ' to ' || new.renewal_date);
END;
