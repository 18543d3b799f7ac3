-- The membership ledger (issue 2), on PostgreSQL: every row belongs to an account, and
-- every key and reference includes it, so no row can point into another account.
-- Append-only: never edit a migration that has shipped; add a later one instead.

CREATE TABLE account (
    id           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    password     text,   -- argon2id PHC string; NULL: cannot sign in
    lang         text    NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
    time_zone    text    NOT NULL DEFAULT 'Asia/Shanghai',
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Moved on by every committed change to the account's rows (MembershipStore::data_version).
    data_version bigint  NOT NULL DEFAULT 0,
    -- Ids shown to the user are the account's own (1, 2, 3 …), never reused.
    last_membership_id bigint NOT NULL DEFAULT 0,
    last_case_id       bigint NOT NULL DEFAULT 0
);

CREATE TABLE membership (
    account_id   bigint  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    id           bigint  NOT NULL,
    platform     text    NOT NULL CHECK (length(trim(platform)) > 0),
    plan         text    NOT NULL,
    billing      text    NOT NULL CHECK (billing IN ('periodic', 'one_time', 'gifted')),
    period       text    CHECK ((billing = 'periodic') = (period IS NOT NULL)),
    price_minor  bigint  NOT NULL CHECK (price_minor >= 0),
    currency     text    NOT NULL CHECK (length(currency) = 3),
    start_date   date    NOT NULL,
    paid_through date    CHECK (paid_through IS NULL OR paid_through >= start_date),
    category     text,
    notes        text,
    revision     bigint  NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, id)
);

CREATE TABLE auto_renew_contract (
    account_id    bigint  NOT NULL,
    membership_id bigint  NOT NULL,
    position      integer NOT NULL,
    channel       text    NOT NULL,
    status        text    NOT NULL CHECK (status IN ('active', 'closed', 'unknown')),
    closed_on     date    CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
    PRIMARY KEY (account_id, membership_id, channel),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id) ON DELETE CASCADE
);

CREATE TABLE benefit (
    account_id          bigint  NOT NULL,
    membership_id       bigint  NOT NULL,
    position            integer NOT NULL,
    name                text    NOT NULL CHECK (length(trim(name)) > 0),
    unit_value_minor    bigint  CHECK (unit_value_minor IS NULL OR unit_value_minor >= 0),
    unit_value_currency text    CHECK ((unit_value_minor IS NULL) = (unit_value_currency IS NULL)),
    quantity            bigint  NOT NULL CHECK (quantity >= 0),
    redeemed            bigint  NOT NULL CHECK (redeemed >= 0 AND redeemed <= quantity),
    PRIMARY KEY (account_id, membership_id, name),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id) ON DELETE CASCADE
);
