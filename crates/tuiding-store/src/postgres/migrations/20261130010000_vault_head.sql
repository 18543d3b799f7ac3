-- The evidence vault's journal head (issue 18), one per account.
CREATE TABLE vault_head (
    account_id bigint PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    seq        bigint NOT NULL CHECK (seq >= 1),
    hash       text   NOT NULL CHECK (length(hash) = 64)
);
