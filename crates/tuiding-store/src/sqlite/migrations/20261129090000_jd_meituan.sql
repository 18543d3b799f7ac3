-- JD (京东) and Meituan (美团) wallet bills (issue 14): two more sources. SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt with its rows, ids and index.

CREATE TABLE bill_transaction_new (
    id           INTEGER PRIMARY KEY,
    import_id    INTEGER NOT NULL REFERENCES bill_import (id),
    source       TEXT    NOT NULL CHECK (source IN ('alipay', 'wechat_pay', 'bank', 'jd', 'meituan')),
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
    UNIQUE (source, source_id, time, amount_minor, direction, description)
) STRICT;

INSERT INTO bill_transaction_new
    SELECT id, import_id, source, source_id, time, counterparty, description, category,
           direction, amount_minor, currency, method, status, status_text, refund_of, line
    FROM bill_transaction;
DROP TABLE bill_transaction;
ALTER TABLE bill_transaction_new RENAME TO bill_transaction;
CREATE INDEX bill_transaction_time ON bill_transaction (time);
