-- Refund policies (issue 3): the TOML text of each membership's terms, kept verbatim
-- (comments and quoted sources included) and checked by tuiding-core before it is stored.

CREATE TABLE membership_policy (
    membership_id INTEGER PRIMARY KEY REFERENCES membership (id) ON DELETE CASCADE,
    policy_toml   TEXT    NOT NULL,
    origin        TEXT    NOT NULL, -- where it came from: a file name, template:NAME, stdin
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
