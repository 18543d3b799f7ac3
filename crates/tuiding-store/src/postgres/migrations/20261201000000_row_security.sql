-- Row-level security, the second wall behind the store's own `account_id = $1` in every
-- query: a connection sees only the rows of the account it was opened for
-- (`tuiding.account`, set by the store when it takes a connection). FORCE applies the
-- policies to the tables' owner too, which is the role tuiding connects as; without the
-- setting no row is visible at all. Referential actions (cascades) are not subject to it.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['membership', 'auto_renew_contract', 'benefit', 'membership_policy',
        'bill_import', 'bill_transaction', 'stream_decision', 'case_file', 'case_transition',
        'case_step', 'household_member', 'membership_split', 'reminder_lead', 'price_change',
        'reminder_sent', 'vault_head']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_account ON %I USING '
            '(account_id = nullif(current_setting(''tuiding.account'', true), '''')::bigint)', t);
    END LOOP;
END
$$;
