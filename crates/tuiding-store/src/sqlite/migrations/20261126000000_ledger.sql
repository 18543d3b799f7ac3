-- The membership ledger (issue 2). Append-only: never edit a migration that has shipped;
-- add a new file with a later timestamp instead.

CREATE TABLE membership (
    id           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused after rm
    platform     TEXT    NOT NULL CHECK (length(trim(platform)) > 0),
    plan         TEXT    NOT NULL,
    billing      TEXT    NOT NULL CHECK (billing IN ('periodic', 'one_time', 'gifted')),
    period       TEXT    CHECK ((billing = 'periodic') = (period IS NOT NULL)),
    price_minor  INTEGER NOT NULL CHECK (price_minor >= 0),
    currency     TEXT    NOT NULL CHECK (length(currency) = 3),
    start_date   TEXT    NOT NULL,
    paid_through TEXT    CHECK (paid_through IS NULL OR paid_through >= start_date),
    category     TEXT,
    notes        TEXT,
    revision     INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE auto_renew_contract (
    membership_id INTEGER NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('active', 'closed', 'unknown')),
    closed_on     TEXT    CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
    PRIMARY KEY (membership_id, channel)
) STRICT;

CREATE TABLE benefit (
    membership_id       INTEGER NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    name                TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    unit_value_minor    INTEGER CHECK (unit_value_minor IS NULL OR unit_value_minor >= 0),
    unit_value_currency TEXT    CHECK ((unit_value_minor IS NULL) = (unit_value_currency IS NULL)),
    quantity            INTEGER NOT NULL CHECK (quantity >= 0),
    redeemed            INTEGER NOT NULL CHECK (redeemed >= 0 AND redeemed <= quantity),
    PRIMARY KEY (membership_id, name)
) STRICT;
