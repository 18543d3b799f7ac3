-- Refund policies (issue 3): the TOML text of each membership's terms, verbatim.
CREATE TABLE membership_policy (
    account_id    bigint NOT NULL,
    membership_id bigint NOT NULL,
    policy_toml   text   NOT NULL,
    origin        text   NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, membership_id),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id) ON DELETE CASCADE
);
