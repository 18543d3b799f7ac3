-- The evidence vault's journal head (issue 18): the sequence number and hash of its last
-- entry, written in the same transaction that acknowledges each evidence addition, so a
-- journal cut short, emptied, deleted or rolled back no longer verifies.
CREATE TABLE vault_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL CHECK (seq >= 1),
    hash TEXT    NOT NULL CHECK (length(hash) = 64)
) STRICT;
