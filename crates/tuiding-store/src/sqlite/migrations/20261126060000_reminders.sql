-- Reminder lead times per membership ("7,1": days before the last safe cancel day).
CREATE TABLE reminder_lead (
    membership_id INTEGER PRIMARY KEY REFERENCES membership(id) ON DELETE CASCADE,
    days          TEXT NOT NULL CHECK (days GLOB '[0-9]*' AND days NOT GLOB '*[^0-9,]*')
);
