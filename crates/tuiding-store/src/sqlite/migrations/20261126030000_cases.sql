-- Cancellation cases (issue 6): the state, the refund as promised and received, every
-- transition with its time, and which steps are done. Steps themselves come from the
-- playbooks; evidence lives in the vault's journal.

CREATE TABLE case_file (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    membership_id    INTEGER REFERENCES membership (id) ON DELETE SET NULL,
    membership_label TEXT    NOT NULL, -- platform and plan when opened (kept if the membership is removed)
    currency         TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    opened_on        TEXT    NOT NULL,
    requested_on     TEXT,
    promised_minor   INTEGER CHECK (promised_minor IS NULL OR promised_minor >= 0),
    promised_by      TEXT,
    received_minor   INTEGER CHECK (received_minor IS NULL OR received_minor >= 0),
    received_on      TEXT,
    revision         INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE case_transition (
    case_id    INTEGER NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    note       TEXT,
    PRIMARY KEY (case_id, seq)
) STRICT;

CREATE TABLE case_step (
    case_id INTEGER NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    step_id TEXT    NOT NULL,
    done_at TEXT    NOT NULL,
    note    TEXT,
    PRIMARY KEY (case_id, step_id)
) STRICT;
