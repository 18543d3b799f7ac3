-- Shared costs: household members, and how each membership's price is split among them.
CREATE TABLE household_member (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name       text   NOT NULL CHECK (length(trim(name)) > 0),
    UNIQUE (account_id, name),
    UNIQUE (account_id, id)
);

CREATE TABLE membership_split (
    account_id    bigint  NOT NULL,
    membership_id bigint  NOT NULL,
    position      integer NOT NULL,
    member_id     bigint  NOT NULL,
    shares        bigint  CHECK (shares IS NULL OR shares > 0),
    fixed_minor   bigint  CHECK (fixed_minor IS NULL OR fixed_minor >= 0),
    CHECK ((shares IS NULL) <> (fixed_minor IS NULL)),
    PRIMARY KEY (account_id, membership_id, member_id),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, member_id) REFERENCES household_member (account_id, id) ON DELETE RESTRICT
);
