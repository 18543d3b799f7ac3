-- Free trials: the day a trial converts (the first charge).
ALTER TABLE membership ADD COLUMN trial_until date
    CHECK (trial_until IS NULL OR trial_until > start_date);
