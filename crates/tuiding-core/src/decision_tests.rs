//! The decision on the article's own case, the judgement errors it exposed, and
//! properties over random plans: the advised net is never below another option's, the
//! refund curve never rises, and every option's figures add up.

use jiff::civil::{Date, date};
use proptest::prelude::*;

use crate::calendar::WorkCalendar;
use crate::checkup::{Checkup, Situation, check_with};
use crate::decision::{AdviceAction, Intent};
use crate::membership::{AutoRenewContract, Benefit, Billing, Channel, ContractStatus, Membership};
use crate::money::{Currency, Money};
use crate::period::Period;
use crate::policy::Policy;
use crate::price::{PriceChange, PriceSource};

fn cny(minor: i64) -> Money {
    Money::from_minor(minor, Currency::CNY)
}

/// 卡盟年费会员 ¥198/年 from 2026-05-10, Alipay still active, closed in the app, 5 of 12
/// ¥10 vouchers used.
fn kameng() -> Membership {
    Membership {
        platform: "星辰卡盟".into(),
        plan: "年费会员".into(),
        billing: Billing::Periodic(Period::year()),
        price: cny(19_800),
        start: date(2026, 5, 10),
        paid_through: None,
        trial_until: None,
        auto_renew: vec![
            AutoRenewContract {
                channel: Channel::Alipay,
                status: ContractStatus::Active,
            },
            AutoRenewContract {
                channel: Channel::InApp,
                status: ContractStatus::Closed(date(2026, 11, 20)),
            },
        ],
        benefits: vec![Benefit {
            name: "兑换券".into(),
            unit_value: Some(cny(1000)),
            quantity: 12,
            redeemed: 5,
        }],
        category: None,
        notes: None,
    }
}

const ONE_READING: &str = "[refund]\nmethod = \"consumed_days_fee\"\ndiscount_ratio = 0.9\nredeemed_benefits = \"deduct_value\"\nvoids_unredeemed_benefits = true\n[timing]\nrefund_working_days = [3, 7]\n";
const TWO_READINGS: &str = "[refund]\nmethod = \"consumed_days_fee\"\nother_readings = { value = [\"pro_rata_days\"], source = \"按剩余天数比例退款，扣除已消费天数×折扣比例的手续费。\" }\ndiscount_ratio = 0.9\nredeemed_benefits = \"deduct_value\"\nvoids_unredeemed_benefits = true\n";

fn run(m: &Membership, policy: Option<&str>, on: Date, intent: Intent) -> Checkup {
    let policy = policy.map(|p| Policy::from_toml(p).unwrap());
    let situation = Situation {
        intent,
        price_changes: &[],
        with_curve: true,
    };
    check_with(
        m,
        policy.as_ref(),
        on,
        &WorkCalendar::embedded(),
        &situation,
    )
    .unwrap()
}

fn curve_at(c: &Checkup, day: Date) -> Option<String> {
    c.refund_curve
        .iter()
        .find(|p| p.date == day)
        .map(|p| p.amount.amount_string())
}

#[test]
fn the_refund_falls_every_day_and_says_when_it_reaches_zero() {
    let c = run(
        &kameng(),
        Some(ONE_READING),
        date(2026, 11, 30),
        Intent::Leaving,
    );
    assert_eq!(c.refund.as_ref().unwrap().amount.amount_string(), "24.43");
    assert_eq!(c.refund_zero_on, Some(date(2027, 1, 10)));
    assert_eq!(curve_at(&c, date(2026, 11, 30)).as_deref(), Some("24.43"));
    assert_eq!(curve_at(&c, date(2027, 1, 10)).as_deref(), Some("0.00"));
    assert_eq!(curve_at(&c, date(2027, 5, 9)).as_deref(), Some("0.00"));
    let dec15 = run(
        &kameng(),
        Some(ONE_READING),
        date(2026, 12, 15),
        Intent::Leaving,
    );
    assert_eq!(dec15.refund.unwrap().amount.amount_string(), "15.39");
    let jan9 = run(
        &kameng(),
        Some(ONE_READING),
        date(2027, 1, 9),
        Intent::Leaving,
    );
    assert_eq!(jan9.refund.unwrap().amount.amount_string(), "0.32");
}

#[test]
fn a_leaver_uses_the_vouchers_first_and_is_never_told_to_keep() {
    let c = run(
        &kameng(),
        Some(ONE_READING),
        date(2026, 11, 30),
        Intent::Leaving,
    );
    assert_eq!(c.benefits.unused_value, Some(cny(7000)));
    assert_eq!(c.benefits.voided_on_cancel, Some(cny(7000)));
    assert_eq!(c.benefits.refund_after_redeeming, Some(cny(0)));
    let actions: Vec<_> = c.options.iter().map(|o| (o.action, o.net)).collect();
    assert_eq!(
        actions,
        vec![
            (AdviceAction::UseBenefitsThenCancel, cny(7000)),
            (AdviceAction::KeepUntilPeriodEnd, cny(7000)),
            (AdviceAction::CancelNow, cny(2443)),
        ]
    );
    assert_eq!(c.advice.action, AdviceAction::UseBenefitsThenCancel);
    assert_eq!(c.advice.by, Some(date(2027, 5, 9)));
    let why: Vec<&str> = c.advice.reasons.iter().map(|l| l.zh.as_str()).collect();
    assert!(why.iter().any(|r| r.contains("¥45.57")), "{why:#?}");
    // Without vouchers, a leaver takes the cash, told what each day of waiting costs.
    let mut m = kameng();
    m.benefits.clear();
    let c = run(&m, Some(ONE_READING), date(2026, 11, 30), Intent::Leaving);
    assert_eq!(c.advice.action, AdviceAction::CancelNow);
    assert_eq!(c.options[0].cash.amount_string(), "74.43");
    let why = &c.advice.reasons[0].zh;
    assert!(
        why.contains("每晚一天少") && why.contains("起为 0"),
        "{why}"
    );
}

#[test]
fn someone_still_using_it_keeps_it() {
    let c = run(
        &kameng(),
        Some(ONE_READING),
        date(2026, 11, 30),
        Intent::Staying,
    );
    assert_eq!(c.advice.action, AdviceAction::KeepUntilPeriodEnd);
    let keep = &c.options[0];
    // 160 days left of ¥198 (¥86.79) plus ¥70 of vouchers.
    assert_eq!(keep.usable_value, cny(8679 + 7000));
    // Undecided values it the same way, and says what leaving would change.
    let c = run(
        &kameng(),
        Some(ONE_READING),
        date(2026, 11, 30),
        Intent::Undecided,
    );
    assert_eq!(c.advice.action, AdviceAction::KeepUntilPeriodEnd);
    assert!(c.advice.reasons.iter().any(|r| r.zh.contains("--leaving")));
}

#[test]
fn both_readings_are_shown_and_the_favourable_one_is_claimed() {
    let c = run(
        &kameng(),
        Some(TWO_READINGS),
        date(2026, 11, 30),
        Intent::Leaving,
    );
    let readings: Vec<(String, bool)> = c
        .readings
        .iter()
        .map(|r| (r.amount.amount_string(), r.claimed))
        .collect();
    // consumed-days fee: 24.43; pro rata: 198 × 160 / 365 = 86.79 − 50.00 = 36.79.
    assert_eq!(
        readings,
        vec![("24.43".into(), false), ("36.79".into(), true)]
    );
    assert_eq!(c.refund.as_ref().unwrap().amount.amount_string(), "36.79");
    let risk = c
        .risks
        .iter()
        .find(|r| r.code == "ambiguous_refund_clause")
        .unwrap();
    assert!(risk.line.zh.contains("第四百九十八条"), "{}", risk.line.zh);
}

#[test]
fn a_missing_ratio_is_named_with_what_each_value_would_give() {
    let text = "[refund]\nmethod = \"consumed_days_fee\"\nredeemed_benefits = \"deduct_value\"\n";
    let c = run(&kameng(), Some(text), date(2026, 11, 30), Intent::Leaving);
    let missing = c
        .missing_facts
        .iter()
        .find(|n| n.code == "refund.discount_ratio")
        .expect("the missing ratio is named");
    assert!(
        missing.line.zh.contains("折扣比例未写明"),
        "{}",
        missing.line.zh
    );
    let why: Vec<&str> = c.advice.reasons.iter().map(|l| l.zh.as_str()).collect();
    assert!(
        why.iter()
            .any(|r| r.contains("折扣比例为 0.9") && r.contains("¥24.43")),
        "{why:#?}"
    );
    assert!(why.iter().any(|r| r.contains("最后安全退订日")), "{why:#?}");
}

#[test]
fn a_missing_ratio_in_one_reading_still_gives_the_claim_of_the_other() {
    // The agreement as read: consumed-days fee without its ratio, or pro rata.
    let text = "[refund]\nmethod = \"consumed_days_fee\"\nother_readings = [\"pro_rata_days\"]\nredeemed_benefits = \"deduct_value\"\n";
    let c = run(&kameng(), Some(text), date(2026, 11, 30), Intent::Leaving);
    assert_eq!(c.refund.as_ref().unwrap().amount.amount_string(), "36.79");
    assert!(
        c.missing_facts
            .iter()
            .any(|n| n.code == "refund.discount_ratio")
    );
    let cancel = c
        .options
        .iter()
        .find(|o| o.action == AdviceAction::CancelNow)
        .unwrap();
    assert!(cancel.cash_known);
}

#[test]
fn past_the_last_safe_day_the_advice_says_now() {
    let mut m = kameng();
    m.billing = Billing::Periodic(Period::month());
    m.price = cny(3000);
    m.start = date(2026, 1, 10);
    m.benefits.clear();
    // Renews 2026-12-10; with a 24 h cut-off the last safe day was 12-08.
    let text = "[refund]\nmethod = \"none\"\n[timing]\ncancel_cutoff_hours = 24\n";
    for intent in [Intent::Staying, Intent::Leaving] {
        let c = run(&m, Some(text), date(2026, 12, 9), intent);
        assert!(
            c.options
                .iter()
                .all(|o| o.by.is_none_or(|d| d <= date(2026, 12, 9))),
            "{intent:?}"
        );
        let why: Vec<&str> = c.advice.reasons.iter().map(|l| l.zh.as_str()).collect();
        assert!(
            why.iter().any(|r| r.contains("已过最后安全退订日")),
            "{why:#?}"
        );
        assert!(
            !why.iter().any(|r| r.contains("一分钱都不用花")),
            "{why:#?}"
        );
    }
}

#[test]
fn unknown_terms_never_silently_mean_keep() {
    let mut m = kameng();
    m.benefits.clear();
    let c = run(&m, None, date(2026, 11, 30), Intent::Leaving);
    assert_eq!(c.advice.action, AdviceAction::CancelNow);
    let cancel = c
        .options
        .iter()
        .find(|o| o.action == AdviceAction::CancelNow)
        .unwrap();
    assert!(!cancel.cash_known);
    assert!(cancel.cash_estimate.is_some());
    let c = run(&m, None, date(2026, 11, 30), Intent::Staying);
    assert_eq!(c.advice.action, AdviceAction::KeepUntilPeriodEnd);
    let why: Vec<&str> = c.advice.reasons.iter().map(|l| l.zh.as_str()).collect();
    assert!(
        why.iter().any(|r| r.contains("没有这项会员的退款规则")),
        "{why:#?}"
    );
    assert!(
        why.iter().any(|r| r.contains("若协议写明按剩余天数退款")),
        "{why:#?}"
    );
    assert!(
        why.iter().any(|r| r.contains("关闭所有自动续费渠道")),
        "{why:#?}"
    );
}

#[test]
fn a_buyout_that_refunds_nothing_is_zero_not_ended() {
    let m = Membership {
        platform: "某平台".into(),
        plan: "终身会员".into(),
        billing: Billing::OneTime,
        price: cny(9900),
        start: date(2026, 6, 1),
        paid_through: None,
        trial_until: None,
        auto_renew: vec![],
        benefits: vec![],
        category: None,
        notes: None,
    };
    let c = run(
        &m,
        Some("[refund]\nmethod = \"none\"\n"),
        date(2026, 11, 30),
        Intent::Leaving,
    );
    assert_eq!(c.refund.as_ref().unwrap().amount.amount_string(), "0.00");
    assert_eq!(c.status.as_str(), "active");
    assert_ne!(c.advice.action, AdviceAction::CancelNow);
    assert!(!c.advice.reasons.iter().any(|r| r.zh.contains("服务已结束")));
}

#[test]
fn a_price_notice_never_changes_what_was_paid_for_the_period() {
    let mut m = kameng();
    m.benefits.clear();
    m.billing = Billing::Periodic(Period::month());
    m.start = date(2026, 1, 31);
    m.price = cny(3000);
    let notice = [PriceChange {
        on: date(2026, 12, 15),
        old: cny(2500),
        new: cny(3000),
        source: PriceSource::Notice,
    }];
    let policy = Policy::from_toml("[refund]\nmethod = \"pro_rata_days\"\n").unwrap();
    let situation = Situation {
        intent: Intent::Leaving,
        price_changes: &notice,
        with_curve: true,
    };
    let c = check_with(
        &m,
        Some(&policy),
        date(2026, 11, 15),
        &WorkCalendar::embedded(),
        &situation,
    )
    .unwrap();
    let refund = c.refund.unwrap();
    assert_eq!(refund.paid, cny(2500));
    // 2026-10-31 … 2026-11-29: 30 days, 16 used, 14 left of ¥25.00.
    assert_eq!(refund.amount.amount_string(), "11.66");
}

#[test]
fn a_trials_advice_agrees_with_its_warning() {
    let mut m = kameng();
    m.billing = Billing::Periodic(Period::month());
    m.price = cny(3000);
    m.start = date(2026, 11, 25);
    m.trial_until = Some(date(2026, 12, 2));
    m.benefits.clear();
    m.auto_renew = vec![AutoRenewContract {
        channel: Channel::WechatPay,
        status: ContractStatus::Active,
    }];
    for intent in [Intent::Leaving, Intent::Staying, Intent::Undecided] {
        let c = run(&m, None, date(2026, 11, 28), intent);
        assert!(c.warnings.iter().any(|w| w.code == "trial_converts"));
        let text: Vec<&str> = c.advice.reasons.iter().map(|l| l.zh.as_str()).collect();
        assert!(
            text.iter().any(|r| r.contains("一分钱都不用花")),
            "{intent:?}: {text:#?}"
        );
        assert!(
            !text.iter().any(|r| r.contains("规则")),
            "{intent:?}: {text:#?}"
        );
        assert!(c.missing_facts.iter().all(|n| n.code != "policy"));
    }
    let c = run(&m, None, date(2026, 11, 28), Intent::Leaving);
    assert_eq!(c.advice.action, AdviceAction::CancelNow);
}

fn arb_policy() -> impl Strategy<Value = String> {
    (0..6usize, any::<bool>(), 0..3usize, prop::option::of(1u8..=10)).prop_map(
        |(method, voids, redeemed, ratio)| {
            let method = ["full", "pro_rata_days", "pro_rata_months", "consumed_days_fee", "none", "used_months_at_list_price"][method];
            let mut text = format!("[refund]\nmethod = \"{method}\"\nvoids_unredeemed_benefits = {voids}\nredeemed_benefits = \"{}\"\nlist_price_per_month = \"20.00\"\n", ["deduct_value", "void_refund", "ignore"][redeemed]);
            if let Some(r) = ratio {
                text.push_str(&format!("discount_ratio = \"{r}/10\"\n"));
            }
            if method != "pro_rata_days" {
                text.push_str("other_readings = [\"pro_rata_days\"]\n");
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_advice_is_the_best_net_the_curve_never_rises_and_figures_add_up(
        yearly in any::<bool>(),
        price in 100i64..100_000,
        start_offset in 0i64..400,
        on_offset in 0i64..500,
        quantity in 0u32..12,
        redeemed in 0u32..12,
        unit in 0i64..3000,
        policy in prop::option::of(arb_policy()),
        intent in 0..3usize,
    ) {
        use jiff::ToSpan;
        let mut m = kameng();
        m.billing = Billing::Periodic(if yearly { Period::year() } else { Period::month() });
        m.price = cny(price);
        m.start = date(2025, 1, 1).checked_add(start_offset.days()).unwrap();
        m.benefits[0].quantity = quantity;
        m.benefits[0].redeemed = redeemed.min(quantity);
        m.benefits[0].unit_value = Some(cny(unit));
        let on = m.start.checked_add(on_offset.days()).unwrap();
        let intent = [Intent::Leaving, Intent::Staying, Intent::Undecided][intent];
        let c = run(&m, policy.as_deref(), on, intent);
        let best = &c.options[0];
        prop_assert_eq!(c.advice.action, best.action);
        for o in &c.options {
            prop_assert!(best.net.minor_units() >= o.net.minor_units());
            let sum = o.cash.minor_units() + o.usable_value.minor_units() - o.further_charges.minor_units();
            prop_assert_eq!(o.net.minor_units(), sum);
        }
        for pair in c.refund_curve.windows(2) {
            prop_assert!(pair[0].date < pair[1].date);
            prop_assert!(pair[0].amount.minor_units() >= pair[1].amount.minor_units());
        }
        if let Some(zero) = c.refund_zero_on {
            for p in &c.refund_curve {
                prop_assert_eq!(p.date >= zero, p.amount.is_zero());
            }
        }
    }
}
