-- Row-level security exists on PostgreSQL only (accounts): a SQLite data dir is one
-- person's ledger. This version keeps both backends on one list of migrations.
SELECT 1;
