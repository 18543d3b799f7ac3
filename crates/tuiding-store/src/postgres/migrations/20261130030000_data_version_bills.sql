-- Bill imports move the data version once (issue 16): as every write, on PostgreSQL.
SELECT 1;
