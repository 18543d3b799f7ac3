-- Price history: every change of a membership's price, with its day and source.
CREATE TABLE price_change (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    membership_id INTEGER NOT NULL REFERENCES membership(id) ON DELETE CASCADE,
    changed_on    TEXT NOT NULL CHECK (changed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    old_minor     INTEGER NOT NULL CHECK (old_minor >= 0),
    new_minor     INTEGER NOT NULL CHECK (new_minor >= 0),
    currency      TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('edit', 'charge', 'notice'))
);
CREATE INDEX price_change_by_membership ON price_change (membership_id, changed_on);
