-- Reminders sent, one row per reminder and channel: a reminder is sent once per channel
-- and a channel that failed is tried again on the next run. Kept when the membership is
-- removed (a record of what was said), hence no foreign key.
CREATE TABLE reminder_sent (
    membership_id INTEGER NOT NULL,
    key_day       TEXT    NOT NULL CHECK (key_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    lead_days     INTEGER NOT NULL CHECK (lead_days >= 0),
    channel       TEXT    NOT NULL CHECK (length(channel) > 0),
    sent_at       TEXT    NOT NULL,
    PRIMARY KEY (membership_id, key_day, lead_days, channel)
);
