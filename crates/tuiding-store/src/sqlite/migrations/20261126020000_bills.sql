-- Imported bill transactions and decisions about detected streams (issue 4).

CREATE TABLE bill_import (
    id           INTEGER PRIMARY KEY,
    file         TEXT    NOT NULL,
    format       TEXT    NOT NULL,
    rows_read    INTEGER NOT NULL,
    rows_added   INTEGER NOT NULL,
    period_start TEXT,
    period_end   TEXT,
    imported_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE bill_transaction (
    id           INTEGER PRIMARY KEY,
    import_id    INTEGER NOT NULL REFERENCES bill_import (id),
    source       TEXT    NOT NULL CHECK (source IN ('alipay', 'wechat_pay', 'bank')),
    source_id    TEXT    NOT NULL,
    time         TEXT    NOT NULL,
    counterparty TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    direction    TEXT    NOT NULL CHECK (direction IN ('out', 'in', 'neutral')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT    NOT NULL,
    method       TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    status_text  TEXT    NOT NULL,
    refund_of    TEXT,
    line         INTEGER NOT NULL,
    -- The same row from the same or an overlapping export is stored once.
    UNIQUE (source, source_id, time, amount_minor, direction, description)
) STRICT;

CREATE INDEX bill_transaction_time ON bill_transaction (time);

CREATE TABLE stream_decision (
    stream_key    TEXT PRIMARY KEY,
    decision      TEXT NOT NULL CHECK (decision IN ('dismissed', 'adopted')),
    membership_id INTEGER REFERENCES membership (id) ON DELETE SET NULL,
    decided_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
