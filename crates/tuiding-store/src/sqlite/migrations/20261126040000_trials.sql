-- Free trials: the day a trial converts (the first charge), the anchor of later renewals.
ALTER TABLE membership ADD COLUMN trial_until TEXT
    CHECK (trial_until IS NULL OR (trial_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND trial_until > start_date));
