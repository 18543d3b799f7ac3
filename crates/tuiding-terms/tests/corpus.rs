//! The reader on agreements written for these tests (tests/corpus/): targeted checks of
//! what each must find and must not find, every drafted policy parsing as a policy, and
//! snapshots of the whole reading so any change in output is a reviewed diff.

use serde_json::{Value, json};
use tuiding_core::policy::Policy;
use tuiding_terms::{Reading, read_bytes};

fn read(name: &str) -> Reading {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    read_bytes(&std::fs::read(path).unwrap()).unwrap()
}

fn values(r: &Reading, field: &str) -> Vec<Value> {
    r.fields[field].iter().map(|f| f.value.clone()).collect()
}

fn status(r: &Reading, requirement: &str) -> &'static str {
    r.disclosures
        .iter()
        .find(|d| d.requirement == requirement)
        .unwrap()
        .status
}

fn flags(r: &Reading) -> Vec<&'static str> {
    r.flags.iter().map(|f| f.flag).collect()
}

#[test]
fn a_compliant_monthly_agreement() {
    let r = read("good-monthly.txt");
    assert_eq!(values(&r, "renewal_cycle"), [json!("month")]);
    assert_eq!(
        values(&r, "renewal_price"),
        [json!({"amount": "25.00", "currency": "CNY", "per": "month"})]
    );
    assert_eq!(
        values(&r, "first_period_price"),
        [json!({"amount": "6.00", "currency": "CNY", "per": "month"})]
    );
    assert_eq!(
        values(&r, "charge_timing"),
        [json!({"hours_before_end": 24})]
    );
    assert_eq!(values(&r, "renewal_reminder"), [json!({"days_before": 5})]);
    let channels: Vec<Value> = values(&r, "cancel_methods")
        .iter()
        .map(|v| v["channel"].clone())
        .collect();
    assert_eq!(
        channels,
        [
            json!("in_app"),
            json!("wechat_pay"),
            json!("alipay"),
            json!("app_store")
        ]
    );
    assert_eq!(
        r.fields["cancel_methods"][1].value["path"],
        "我→服务→钱包→支付设置→自动续费→星河视频→关闭服务"
    );
    assert_eq!(values(&r, "cancel_cutoff_hours"), [json!(24)]);
    assert_eq!(values(&r, "refund_method"), [json!("pro_rata_days")]);
    assert_eq!(values(&r, "refund_working_days"), [json!([3, 7])]);
    assert!(values(&r, "handling_fee").is_empty());
    assert_eq!(r.fields["price_change"][0].value["may_leave"], true);
    for requirement in tuiding_terms::REQUIREMENTS.iter().map(|(k, ..)| *k) {
        assert_eq!(status(&r, requirement), "met", "{requirement}");
    }
    assert!(r.flags.is_empty(), "{:?}", flags(&r));
    assert_eq!(r.language, "zh-Hans");
}

#[test]
fn an_agreement_with_every_bad_practice() {
    let r = read("bad-terms.txt");
    assert_eq!(
        values(&r, "renewal_reminder"),
        [Value::Null],
        "a reminder with no day count"
    );
    assert_eq!(status(&r, "reminder_5_days_before_renewal"), "insufficient");
    assert_eq!(values(&r, "refund_method"), [json!("none")]);
    assert_eq!(values(&r, "handling_fee"), [json!({"percent": "10"})]);
    assert_eq!(status(&r, "no_cancellation_fee"), "insufficient");
    assert_eq!(status(&r, "cancellation_method_stated"), "insufficient");
    assert_eq!(status(&r, "renewal_price_stated"), "missing");
    let mut got = flags(&r);
    got.sort_unstable();
    assert_eq!(
        got,
        [
            "blanket_no_refund",
            "charges_retried_after_expiry",
            "final_interpretation_right",
            "irrevocable_authorisation",
            "unilateral_change"
        ]
    );
}

#[test]
fn an_annual_card_shop_membership() {
    let r = read("annual-kameng.txt");
    assert_eq!(values(&r, "renewal_cycle"), [json!("year")]);
    assert_eq!(values(&r, "refund_method"), [json!("consumed_days_fee")]);
    assert_eq!(values(&r, "discount_ratio"), [json!("0.8")]);
    assert_eq!(values(&r, "cooling_off_days"), [json!(7)]);
    assert_eq!(values(&r, "refund_working_days"), [json!([1, 15])]);
    assert_eq!(
        values(&r, "cancel_methods"),
        [json!({"channel": "carrier", "path": "短信 TD 至 10086"})]
    );
    assert_eq!(status(&r, "reminder_5_days_before_renewal"), "missing");
}

#[test]
fn the_articles_agreement_two_readings_a_missing_ratio_and_retried_charges() {
    let r = read("kameng-two-readings.txt");
    // "198元/年" and "续费一年" state the cycle.
    assert_eq!(values(&r, "renewal_cycle"), [json!("year")]);
    assert_eq!(status(&r, "renewal_cycle_stated"), "met");
    assert_eq!(values(&r, "refund_method"), [json!("consumed_days_fee")]);
    assert_eq!(values(&r, "other_readings"), [json!("pro_rata_days")]);
    assert_eq!(values(&r, "redeemed_benefits"), [json!("deduct_value")]);
    assert!(flags(&r).contains(&"charges_retried_after_expiry"));
    assert_eq!(r.missing_numbers(), ["refund.discount_ratio"]);
    let policy = Policy::from_toml(&r.policy_toml("x.txt")).unwrap();
    assert_eq!(
        policy.refund.other_readings.unwrap().value,
        [tuiding_core::policy::RefundMethod::ProRataDays]
    );
}

#[test]
fn cycles_and_prices_in_the_common_ways_they_are_written() {
    for (text, cycle, amount) in [
        ("会员价格¥198/年，到期自动续费。", "year", "198.00"),
        ("会员价格198元/年，到期后自动续费一年。", "year", "198.00"),
        ("开通连续包月后，每月15元自动扣费。", "month", "15.00"),
        (
            "自动续费服务到期后续费一个月，续费价格25元。",
            "month",
            "25.00",
        ),
        (
            "会员到期后将自动续订一年，续费价格为258元。",
            "year",
            "258.00",
        ),
    ] {
        let r = tuiding_terms::read(text);
        assert!(
            values(&r, "renewal_cycle").contains(&json!(cycle)),
            "{text}: {:?}",
            r.fields["renewal_cycle"]
        );
        let prices = values(&r, "renewal_price");
        assert!(
            prices.iter().any(|p| p["amount"] == amount),
            "{text}: {prices:?}"
        );
    }
}

#[test]
fn charges_retried_after_expiry_are_flagged() {
    for text in [
        "若扣款失败，平台有权在到期后的一定期限内进行不时的扣款尝试。",
        "会员到期后如账户余额不足，平台将持续尝试扣款。",
        "扣款失败的，我们将再次发起扣款。",
    ] {
        let r = tuiding_terms::read(text);
        assert!(
            flags(&r).contains(&"charges_retried_after_expiry"),
            "{text}"
        );
    }
}

#[test]
fn traditional_chinese() {
    let r = read("traditional.txt");
    assert_eq!(r.language, "zh-Hant");
    assert_eq!(values(&r, "renewal_cycle"), [json!("month")]);
    assert_eq!(values(&r, "renewal_reminder"), [json!({"days_before": 5})]);
    assert_eq!(
        values(&r, "charge_timing"),
        [json!({"hours_before_end": 24})]
    );
    assert_eq!(
        r.fields["cancel_methods"][0].value["path"],
        "我的－設定－訂閱管理－取消訂閱"
    );
    let mut got = flags(&r);
    got.sort_unstable();
    assert_eq!(
        got,
        ["final_interpretation_right", "irrevocable_authorisation"]
    );
}

#[test]
fn english() {
    let r = read("english.txt");
    assert_eq!(r.language, "en");
    assert_eq!(
        values(&r, "renewal_price"),
        [json!({"amount": "9.99", "currency": "USD", "per": "month"})]
    );
    assert_eq!(values(&r, "renewal_reminder"), [json!({"days_before": 7})]);
    assert_eq!(
        values(&r, "refund_method"),
        [json!("none")],
        "a legal carve-out is not a condition"
    );
    assert_eq!(
        r.fields["cancel_methods"][0].value,
        json!({"channel": "in_app", "path": "Settings > Account > Subscriptions"})
    );
    assert_eq!(values(&r, "refund_working_days"), [json!([5, 10])]);
    assert_eq!(
        status(&r, "price_change_notice"),
        "insufficient",
        "\"without notice\" is no notice"
    );
    assert_eq!(flags(&r), ["unilateral_change"]);
}

#[test]
fn html_in_gbk_with_offsets_into_the_input() {
    let bytes = std::fs::read(format!(
        "{}/tests/corpus/douyin.html",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let r = read_bytes(&bytes).unwrap();
    assert_eq!(
        values(&r, "renewal_reminder"),
        [json!({"days_before": 5})],
        "&nbsp; decoded"
    );
    assert_eq!(r.fields["cancel_methods"][0].value["channel"], "douyin_pay");
    assert!(r.flags.is_empty(), "script text is not agreement text");
    // start/end point at the sentence in the original (tagged) input.
    let input: Vec<char> = encoding_rs::GB18030.decode(&bytes).0.chars().collect();
    let f = &r.fields["renewal_price"][0];
    let span: String = input[f.start..f.end].iter().collect();
    assert!(
        span.starts_with("本会员为连续包月服务") && span.ends_with("自动扣费。"),
        "{span}"
    );
    assert_eq!(
        values(&r, "refund_method"),
        Vec::<Value>::new(),
        "a conditional ban is a case, not the method"
    );
    assert_eq!(r.fields["non_refundable_cases"].len(), 1);
}

#[test]
fn a_one_time_purchase_states_no_renewal() {
    let r = read("one-time.txt");
    assert!(
        values(&r, "renewal_cycle").is_empty(),
        "\"不会自动续费\" is not a renewal cycle"
    );
    assert_eq!(values(&r, "refund_method"), [json!("none")]);
}

#[test]
fn offsets_are_character_offsets_of_the_quote() {
    let text = "前言。本服务为连续包月，每月25元。";
    let r = tuiding_terms::read(text);
    let f = &r.fields["renewal_cycle"][0];
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.quote);
    assert_eq!((f.start, f.end), (3, 18));
}

#[test]
fn every_drafted_policy_is_a_valid_policy() {
    for name in [
        "good-monthly.txt",
        "bad-terms.txt",
        "annual-kameng.txt",
        "traditional.txt",
        "english.txt",
        "douyin.html",
        "one-time.txt",
    ] {
        let toml = read(name).policy_toml(name);
        let policy = Policy::from_toml(&toml).unwrap_or_else(|e| panic!("{name}: {e}\n{toml}"));
        if name == "annual-kameng.txt" {
            assert_eq!(
                policy
                    .refund
                    .discount_ratio
                    .as_ref()
                    .unwrap()
                    .value
                    .to_string(),
                "0.8"
            );
            assert!(
                policy
                    .refund
                    .method
                    .as_ref()
                    .unwrap()
                    .source
                    .as_deref()
                    .unwrap()
                    .contains("已使用天数")
            );
        }
    }
    let toml = read("good-monthly.txt").policy_toml("good-monthly.txt");
    assert!(
        toml.contains("renewal_reminder_days = { value = 5"),
        "{toml}"
    );
    assert!(toml.contains("# refund_max_days: not stated"), "{toml}");
}

#[test]
fn garbage_in_is_a_clear_message_or_nothing() {
    assert!(read_bytes(&[0, 159, 146, 150, 0, 1, 2, 3, 255, 254, 0, 0]).is_err());
    let empty = tuiding_terms::read("");
    assert!(empty.fields.values().all(Vec::is_empty));
    assert_eq!(empty.disclosures.len(), 6);
    let long = "续".repeat(10 * 1024 * 1024 / 3);
    let started = std::time::Instant::now();
    let r = tuiding_terms::read(&long);
    assert!(r.fields.values().all(Vec::is_empty));
    assert!(started.elapsed().as_secs() < 20, "no quadratic blow-up");
    let r = tuiding_terms::read("<<<>>>&&&;;;。。。\n\n\u{0}");
    assert!(r.fields.values().all(Vec::is_empty));
}

#[test]
fn snapshots() {
    for name in [
        "good-monthly.txt",
        "bad-terms.txt",
        "annual-kameng.txt",
        "traditional.txt",
        "english.txt",
        "douyin.html",
        "one-time.txt",
        "kameng-two-readings.txt",
    ] {
        insta::assert_json_snapshot!(name.replace('.', "_"), read(name));
    }
}
