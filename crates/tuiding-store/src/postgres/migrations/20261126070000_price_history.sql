-- Price history: every change of a membership's price, with its day and source.
CREATE TABLE price_change (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    bigint NOT NULL,
    membership_id bigint NOT NULL,
    changed_on    date   NOT NULL,
    old_minor     bigint NOT NULL CHECK (old_minor >= 0),
    new_minor     bigint NOT NULL CHECK (new_minor >= 0),
    currency      text   NOT NULL,
    source        text   NOT NULL CHECK (source IN ('edit', 'charge', 'notice')),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id) ON DELETE CASCADE
);
CREATE INDEX price_change_by_membership ON price_change (account_id, membership_id, changed_on);
