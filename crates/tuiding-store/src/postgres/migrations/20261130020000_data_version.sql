-- The data version (issue 16) is account.data_version here, moved on by the store in the
-- transaction of every change (it locks the account's row, so an account's writes are
-- serial), not by triggers on every row: nothing to create.
SELECT 1;
