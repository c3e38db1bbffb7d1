-- Renewal outcomes as facts, with the history kept when an account's renewal_date moves on (the SQLite store's migration
-- 0005; see Migrations/0005_renewals.sql). The probability override (SQLite 0004) is migration 0002; restated here idempotently.
ALTER TABLE overrides DROP CONSTRAINT IF EXISTS overrides_field_check;
ALTER TABLE overrides ADD CONSTRAINT overrides_field_check CHECK (field IN ('band', 'readiness', 'risk', 'probability'));

CREATE TABLE renewals (
    account_id         text COLLATE "C" NOT NULL REFERENCES accounts(id),
    renewal_date       text COLLATE "C" NOT NULL,
    outcome            text COLLATE "C" NOT NULL CHECK (outcome IN ('renewed', 'churned', 'contracted')),
    renewed_arr_cents  bigint CHECK (renewed_arr_cents >= 0),
    next_renewal_date  text COLLATE "C",
    reason             text COLLATE "C" NOT NULL DEFAULT '' CHECK (reason IN ('', 'sponsor_change', 'budget', 'competitor',
                                                                              'value_not_realised', 'product_gap', 'price', 'other')),
    decided_at         text COLLATE "C" NOT NULL,
    note               text COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, renewal_date)
);

CREATE FUNCTION renewal_date_moves_on() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    today text := to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD');
BEGIN
    IF NEW.renewal_date > OLD.renewal_date
       AND OLD.renewal_date <= to_char((now() AT TIME ZONE 'UTC')::date + 90, 'YYYY-MM-DD')
       AND NOT EXISTS (SELECT 1 FROM renewals WHERE account_id = OLD.id AND renewal_date = OLD.renewal_date) THEN
        INSERT INTO renewals (account_id, renewal_date, outcome, renewed_arr_cents, next_renewal_date, reason, decided_at, note)
        VALUES (OLD.id, OLD.renewal_date, 'renewed', NULL, NEW.renewal_date, '', today,
                'recorded when renewal_date moved on from ' || OLD.renewal_date || ' to ' || NEW.renewal_date);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER renewal_date_moves_on AFTER UPDATE OF renewal_date ON accounts
    FOR EACH ROW EXECUTE FUNCTION renewal_date_moves_on();
