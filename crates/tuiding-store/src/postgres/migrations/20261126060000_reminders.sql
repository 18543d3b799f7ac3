-- Reminder lead times per membership ("7,1": days before the last safe cancel day).
CREATE TABLE reminder_lead (
    account_id    bigint NOT NULL,
    membership_id bigint NOT NULL,
    days          text   NOT NULL CHECK (days ~ '^[0-9]+(,[0-9]+)*$'),
    PRIMARY KEY (account_id, membership_id),
    FOREIGN KEY (account_id, membership_id) REFERENCES membership (account_id, id) ON DELETE CASCADE
);
