-- JD (京东) and Meituan (美团) wallet bills (issue 14): two more sources.
ALTER TABLE bill_transaction DROP CONSTRAINT bill_transaction_source_check;
ALTER TABLE bill_transaction ADD CONSTRAINT bill_transaction_source_check
    CHECK (source IN ('alipay', 'wechat_pay', 'bank', 'jd', 'meituan'));
