-- Cancellation cases (issue 6): state, refund, transitions and steps done.
CREATE TABLE case_file (
    account_id       bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    id               bigint NOT NULL,
    membership_id    bigint,
    membership_label text   NOT NULL,
    currency         text   NOT NULL,
    state            text   NOT NULL,
    opened_on        date   NOT NULL,
    requested_on     date,
    promised_minor   bigint CHECK (promised_minor IS NULL OR promised_minor >= 0),
    promised_by      date,
    received_minor   bigint CHECK (received_minor IS NULL OR received_minor >= 0),
    received_on      date,
    revision         bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id)
        ON DELETE SET NULL (membership_id)
);

CREATE TABLE case_transition (
    account_id bigint NOT NULL,
    case_id    bigint NOT NULL,
    seq        bigint NOT NULL,
    from_state text,
    to_state   text   NOT NULL,
    at         timestamptz NOT NULL,
    note       text,
    PRIMARY KEY (account_id, case_id, seq),
    FOREIGN KEY (account_id, case_id) REFERENCES case_file (account_id, id) ON DELETE CASCADE
);

CREATE TABLE case_step (
    account_id bigint NOT NULL,
    case_id    bigint NOT NULL,
    step_id    text   NOT NULL,
    done_at    timestamptz NOT NULL,
    note       text,
    PRIMARY KEY (account_id, case_id, step_id),
    FOREIGN KEY (account_id, case_id) REFERENCES case_file (account_id, id) ON DELETE CASCADE
);
