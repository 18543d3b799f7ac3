-- The ledger's data version (issue 16): one number that every committed change to any
-- table moves on, whichever process made it (the CLI beside a running server). Readers
-- key what they compute from the ledger (the overview, the calendar feed and its ETag) by
-- it, so a cached answer is reused exactly as long as nothing it was computed from changed.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO data_version (id, n) VALUES (1, 0);

CREATE TRIGGER membership_insert_version AFTER INSERT ON membership BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_update_version AFTER UPDATE ON membership BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_delete_version AFTER DELETE ON membership BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER auto_renew_contract_insert_version AFTER INSERT ON auto_renew_contract BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER auto_renew_contract_update_version AFTER UPDATE ON auto_renew_contract BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER auto_renew_contract_delete_version AFTER DELETE ON auto_renew_contract BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER benefit_insert_version AFTER INSERT ON benefit BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER benefit_update_version AFTER UPDATE ON benefit BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER benefit_delete_version AFTER DELETE ON benefit BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER reminder_lead_insert_version AFTER INSERT ON reminder_lead BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER reminder_lead_update_version AFTER UPDATE ON reminder_lead BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER reminder_lead_delete_version AFTER DELETE ON reminder_lead BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_file_insert_version AFTER INSERT ON case_file BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_file_update_version AFTER UPDATE ON case_file BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_file_delete_version AFTER DELETE ON case_file BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_transition_insert_version AFTER INSERT ON case_transition BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_transition_update_version AFTER UPDATE ON case_transition BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_transition_delete_version AFTER DELETE ON case_transition BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_step_insert_version AFTER INSERT ON case_step BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_step_update_version AFTER UPDATE ON case_step BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER case_step_delete_version AFTER DELETE ON case_step BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER vault_head_insert_version AFTER INSERT ON vault_head BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER vault_head_update_version AFTER UPDATE ON vault_head BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER vault_head_delete_version AFTER DELETE ON vault_head BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER reminder_sent_insert_version AFTER INSERT ON reminder_sent BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER reminder_sent_update_version AFTER UPDATE ON reminder_sent BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER reminder_sent_delete_version AFTER DELETE ON reminder_sent BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER household_member_insert_version AFTER INSERT ON household_member BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER household_member_update_version AFTER UPDATE ON household_member BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER household_member_delete_version AFTER DELETE ON household_member BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_split_insert_version AFTER INSERT ON membership_split BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_split_update_version AFTER UPDATE ON membership_split BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_split_delete_version AFTER DELETE ON membership_split BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER price_change_insert_version AFTER INSERT ON price_change BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER price_change_update_version AFTER UPDATE ON price_change BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER price_change_delete_version AFTER DELETE ON price_change BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_policy_insert_version AFTER INSERT ON membership_policy BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_policy_update_version AFTER UPDATE ON membership_policy BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER membership_policy_delete_version AFTER DELETE ON membership_policy BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER bill_import_insert_version AFTER INSERT ON bill_import BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER bill_import_update_version AFTER UPDATE ON bill_import BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER bill_import_delete_version AFTER DELETE ON bill_import BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER bill_transaction_insert_version AFTER INSERT ON bill_transaction BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER bill_transaction_update_version AFTER UPDATE ON bill_transaction BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER bill_transaction_delete_version AFTER DELETE ON bill_transaction BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER stream_decision_insert_version AFTER INSERT ON stream_decision BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER stream_decision_update_version AFTER UPDATE ON stream_decision BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER stream_decision_delete_version AFTER DELETE ON stream_decision BEGIN UPDATE data_version SET n = n + 1; END;
