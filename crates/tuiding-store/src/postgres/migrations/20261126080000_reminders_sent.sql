-- Reminders sent, one row per reminder and channel; kept when the membership is removed.
CREATE TABLE reminder_sent (
    account_id    bigint  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    membership_id bigint  NOT NULL,
    key_day       date    NOT NULL,
    lead_days     bigint  NOT NULL CHECK (lead_days >= 0),
    channel       text    NOT NULL CHECK (length(channel) > 0),
    sent_at       timestamptz NOT NULL,
    PRIMARY KEY (account_id, membership_id, key_day, lead_days, channel)
);
