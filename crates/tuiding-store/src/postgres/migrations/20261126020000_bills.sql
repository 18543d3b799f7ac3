-- Imported bill transactions and decisions about detected streams (issue 4). Import and
-- transaction ids are internal (never shown), hence one sequence for all accounts.
CREATE TABLE bill_import (
    id           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    file         text    NOT NULL,
    format       text    NOT NULL,
    rows_read    bigint  NOT NULL,
    rows_added   bigint  NOT NULL,
    period_start date,
    period_end   date,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id)
);

CREATE TABLE bill_transaction (
    id           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint  NOT NULL,
    import_id    bigint  NOT NULL,
    source       text    NOT NULL CHECK (source IN ('alipay', 'wechat_pay', 'bank')),
    source_id    text    NOT NULL,
    time         timestamp NOT NULL,
    counterparty text    NOT NULL,
    description  text    NOT NULL,
    category     text    NOT NULL,
    direction    text    NOT NULL CHECK (direction IN ('out', 'in', 'neutral')),
    amount_minor bigint  NOT NULL CHECK (amount_minor >= 0),
    currency     text    NOT NULL,
    method       text    NOT NULL,
    status       text    NOT NULL,
    status_text  text    NOT NULL,
    refund_of    text,
    line         bigint  NOT NULL,
    FOREIGN KEY (account_id, import_id) REFERENCES bill_import (account_id, id) ON DELETE CASCADE,
    -- The same row from the same or an overlapping export is stored once.
    UNIQUE (account_id, source, source_id, time, amount_minor, direction, description)
);

CREATE INDEX bill_transaction_time ON bill_transaction (account_id, time);

CREATE TABLE stream_decision (
    account_id    bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    stream_key    text   NOT NULL,
    decision      text   NOT NULL CHECK (decision IN ('dismissed', 'adopted')),
    membership_id bigint,
    decided_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, stream_key),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id)
        ON DELETE SET NULL (membership_id)
);
