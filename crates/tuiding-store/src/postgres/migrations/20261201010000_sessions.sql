-- Web sessions of accounts (issue 17): kept server-side so they survive a restart and are
-- shared by every process, and revocable (removed with the account, or when its password
-- changes). Only the token's SHA-256 is stored: a copy of the database signs nobody in.
CREATE TABLE session (
    token_sha256 text   PRIMARY KEY CHECK (length(token_sha256) = 64),
    account_id   bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX session_by_account ON session (account_id);
