-- The SQLite store's migration 0007: the trigger of migration 0003 read the wall clock (now()) and a fixed 90 days. The
-- import now states its day and window (the policy's renewal_decision_window_days) in import_context, a one-row table
-- it fills inside its own transaction and empties before it commits; the trigger does nothing when no import is running.
CREATE TABLE import_context (
    id                   integer PRIMARY KEY CHECK (id = 1),
    day                  text COLLATE "C" NOT NULL,
    renewal_window_days  integer NOT NULL CHECK (renewal_window_days >= 0)
);

CREATE OR REPLACE FUNCTION renewal_date_moves_on() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ctx import_context%ROWTYPE;
BEGIN
    SELECT * INTO ctx FROM import_context WHERE id = 1;
    IF FOUND
       AND NEW.renewal_date > OLD.renewal_date
       AND OLD.renewal_date <= to_char(ctx.day::date + ctx.renewal_window_days, 'YYYY-MM-DD')
       AND NOT EXISTS (SELECT 1 FROM renewals WHERE account_id = OLD.id AND renewal_date = OLD.renewal_date) THEN
        INSERT INTO renewals (account_id, renewal_date, outcome, renewed_arr_cents, next_renewal_date, reason, decided_at, note)
        VALUES (OLD.id, OLD.renewal_date, 'renewed', NULL, NEW.renewal_date, '', ctx.day,
                'recorded when renewal_date moved on from ' || OLD.renewal_date || ' to ' || NEW.renewal_date);
    END IF;
    RETURN NEW;
END;
$$;
