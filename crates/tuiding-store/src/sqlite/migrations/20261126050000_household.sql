-- Shared costs: household members, and how each membership's price is split among them.
CREATE TABLE household_member (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0)
);

CREATE TABLE membership_split (
    membership_id INTEGER NOT NULL REFERENCES membership(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    member_id     INTEGER NOT NULL REFERENCES household_member(id) ON DELETE RESTRICT,
    shares        INTEGER CHECK (shares IS NULL OR shares > 0),
    fixed_minor   INTEGER CHECK (fixed_minor IS NULL OR fixed_minor >= 0),
    CHECK ((shares IS NULL) <> (fixed_minor IS NULL)),
    PRIMARY KEY (membership_id, member_id)
);
