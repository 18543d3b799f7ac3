-- Sessions of accounts exist on PostgreSQL only; the single-user web app keeps its one
-- login's sessions in memory. This version keeps both backends on one list.
SELECT 1;
