//! Tests of the detector, one per edge case, on transactions written here (never on the
//! evaluation exports).

use jiff::civil::{Date, date};
use tuiding_core::{Currency, Money};

use super::*;
use tuiding_core::transaction::{Direction, Source, TxStatus};

struct Bills {
    rows: Vec<Transaction>,
}

impl Bills {
    fn new() -> Bills {
        Bills { rows: Vec::new() }
    }

    fn charge(&mut self, day: Date, counterparty: &str, item: &str, fen: i64) -> &mut Bills {
        let n = self.rows.len();
        self.rows.push(Transaction {
            source: Source::Alipay,
            source_id: format!("T{n:05}").into(),
            time: day.at(3, 0, 0, 0),
            counterparty: counterparty.into(),
            description: item.into(),
            category: "日用百货".into(),
            direction: Direction::Out,
            amount: Money::from_minor(fen, Currency::CNY),
            method: "花呗".into(),
            status: TxStatus::Success,
            status_text: "交易成功".into(),
            line: n as u32 + 2,
            refund_of: None,
        });
        self
    }

    fn monthly(
        &mut self,
        first: Date,
        n: i64,
        counterparty: &str,
        item: &str,
        fen: i64,
    ) -> &mut Bills {
        for k in 0..n {
            self.charge(
                Period::month().boundary(first, k).unwrap(),
                counterparty,
                item,
                fen,
            );
        }
        self
    }

    fn streams(&self, as_of: Date) -> Vec<Stream> {
        detect_streams(&self.rows, as_of)
    }
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap()
}

#[test]
fn end_of_month_anchors_stay_at_month_end() {
    let mut b = Bills::new();
    b.monthly(
        date(2026, 1, 31),
        6,
        "QQ音乐",
        "QQ音乐豪华绿钻连续包月",
        1500,
    );
    let s = b.streams(date(2026, 7, 15));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].frequency, Frequency::Monthly);
    assert_eq!(s[0].last_date, date(2026, 6, 30));
    assert_eq!(s[0].next_date, Some(date(2026, 7, 31)));
    assert_eq!(s[0].status, StreamStatus::Active);
}

#[test]
fn a_price_rise_and_a_cheap_first_period_stay_one_stream() {
    let mut b = Bills::new();
    b.charge(date(2025, 1, 8), "Keep", "Keep会员连续包月", 990);
    b.monthly(date(2025, 2, 8), 6, "Keep", "Keep会员连续包月", 2500);
    b.monthly(date(2025, 8, 8), 6, "Keep", "Keep会员连续包月", 2800);
    let s = b.streams(date(2026, 2, 10));
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].transactions.len(), 13);
    assert_eq!(s[0].last_amount.minor_units(), 2800);
    assert_eq!(s[0].kind, Kind::Subscription);
}

#[test]
fn a_token_trial_then_yearly_charges() {
    let mut b = Bills::new();
    b.charge(date(2024, 10, 15), "芒果TV", "芒果TV会员自动续费", 1);
    b.charge(
        date(2025, 10, 15),
        "湖南快乐阳光互动娱乐传媒有限公司",
        "芒果TV会员自动续费",
        9900,
    );
    b.charge(date(2026, 10, 16), "芒果TV", "芒果TV会员自动续费", 10200);
    let s = b.streams(date(2026, 11, 15));
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(
        (s[0].frequency, s[0].transactions.len()),
        (Frequency::Yearly, 3)
    );
    assert_eq!(s[0].merchant, "芒果TV");
    assert_eq!(s[0].next_date, Some(date(2027, 10, 15)));
}

#[test]
fn an_annual_plan_seen_twice_needs_a_membership_s_wording() {
    let mut b = Bills::new();
    b.charge(
        date(2025, 2, 26),
        "上海宽娱数码科技有限公司",
        "哔哩哔哩大会员连续包年",
        14800,
    );
    b.charge(
        date(2026, 2, 26),
        "上海宽娱数码科技有限公司",
        "哔哩哔哩大会员连续包年",
        14800,
    );
    let s = b.streams(date(2026, 11, 15));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].frequency, Frequency::Yearly);
    assert_eq!(
        s[0].merchant, "哔哩哔哩",
        "the company name maps to the brand"
    );
    assert_eq!(s[0].status, StreamStatus::Active);
    // Two equal purchases a year apart, without such wording, are not a stream.
    let mut b = Bills::new();
    b.charge(date(2025, 5, 1), "某商场", "购物", 29900);
    b.charge(date(2026, 5, 1), "某商场", "购物", 29900);
    assert!(b.streams(date(2026, 11, 15)).is_empty());
}

#[test]
fn a_missed_month_and_a_duplicate_charge_are_tolerated() {
    let mut b = Bills::new();
    for k in [0, 1, 2, 4, 5, 6, 7, 8] {
        b.charge(
            Period::month().boundary(date(2026, 1, 20), k).unwrap(),
            "中国移动",
            "话费自动充值",
            1500,
        );
    }
    b.charge(date(2026, 6, 20), "中国移动", "话费自动充值", 1500); // charged twice that day
    let s = b.streams(date(2026, 9, 25));
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(
        (s[0].frequency, s[0].kind),
        (Frequency::Monthly, Kind::Bill)
    );
    assert_eq!(s[0].transactions.len(), 9);
    assert_eq!(s[0].next_date, Some(date(2026, 10, 20)));
}

#[test]
fn refund_rows_and_closed_orders_are_not_charges_but_refunded_charges_stay() {
    let mut b = Bills::new();
    b.monthly(date(2026, 1, 5), 6, "迅雷", "迅雷白金会员自动续费", 1490);
    let refunded = b.rows[2].source_id.clone();
    b.charge(date(2026, 3, 6), "迅雷", "退款-迅雷白金会员自动续费", 1490);
    let last = b.rows.len() - 1;
    b.rows[last].direction = Direction::Neutral;
    b.rows[last].status = TxStatus::Refund;
    b.charge(date(2026, 4, 20), "迅雷", "迅雷白金会员自动续费", 1490);
    let last = b.rows.len() - 1;
    b.rows[last].status = TxStatus::Closed;
    let s = b.streams(date(2026, 6, 10));
    assert_eq!(s.len(), 1);
    let ids: Vec<&str> = s[0]
        .transactions
        .iter()
        .map(|&i| &*b.rows[i].source_id)
        .collect();
    assert_eq!(ids.len(), 6);
    assert!(ids.contains(&&*refunded));
}

#[test]
fn two_price_tiers_at_one_merchant_stay_separate() {
    let mut b = Bills::new();
    b.monthly(
        date(2026, 1, 1),
        8,
        "App Store & Apple Music",
        "App Store",
        1800,
    );
    b.monthly(
        date(2026, 1, 16),
        8,
        "App Store & Apple Music",
        "App Store",
        6800,
    );
    let s = b.streams(date(2026, 8, 20));
    assert_eq!(s.len(), 2, "{s:#?}");
    assert!(
        s.iter()
            .all(|x| x.frequency == Frequency::Monthly && x.transactions.len() == 8)
    );
}

#[test]
fn one_platform_with_several_subscriptions_splits_by_item() {
    let mut b = Bills::new();
    b.monthly(
        date(2026, 1, 3),
        8,
        "App Store & Apple Music",
        "iCloud+ 50GB",
        600,
    );
    b.monthly(
        date(2026, 1, 21),
        8,
        "App Store & Apple Music",
        "Apple Music 个人订阅",
        1100,
    );
    let s = b.streams(date(2026, 9, 1));
    assert_eq!(s.len(), 2);
}

/// A tiny deterministic generator, so the habit tests are reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn fixed_price_habits_are_not_streams() {
    let mut b = Bills::new();
    let mut rng = Lcg(7);
    let mut day = date(2025, 6, 2);
    while day < date(2026, 6, 1) {
        // Lunch at a fixed price on most weekdays, coffee at varying prices, metro daily.
        if rng.next(10) < 6 {
            b.charge(day, "美团", "美团团购午餐", 2500);
        }
        if rng.next(10) < 4 {
            b.charge(day, "瑞幸咖啡", "瑞幸咖啡订单", 900 + rng.next(900) as i64);
        }
        b.charge(day, "上海地铁", "地铁乘车", 300 + rng.next(300) as i64);
        day = add_days(day, 1 + rng.next(2) as i64);
    }
    let s = b.streams(date(2026, 6, 1));
    assert!(
        s.is_empty(),
        "{:?}",
        s.iter()
            .map(|x| (&x.merchant, x.frequency))
            .collect::<Vec<_>>()
    );
}

#[test]
fn rent_transfers_and_variable_utility_bills() {
    let mut b = Bills::new();
    b.monthly(date(2025, 12, 20), 10, "张**", "转账-房租", 420_000);
    let mut rng = Lcg(3);
    for k in 0..10 {
        let day = Period::month().boundary(date(2025, 12, 21), k).unwrap();
        b.charge(
            add_days(day, rng.next(3) as i64 - 1),
            "国网上海市电力公司",
            "电费代扣",
            6000 + rng.next(20000) as i64,
        );
    }
    let s = b.streams(date(2026, 10, 1));
    assert_eq!(s.len(), 2, "{s:#?}");
    let kinds: Vec<Kind> = s.iter().map(|x| x.kind).collect();
    assert!(kinds.contains(&Kind::Transfer) && kinds.contains(&Kind::Bill));
}

#[test]
fn weekly_streams_and_status_at_the_export_end() {
    let mut b = Bills::new();
    for k in 0..20 {
        b.charge(
            add_days(date(2026, 1, 6), 7 * k),
            "星辰卡盟",
            "卡盟钻石会员自动续费",
            990,
        );
    }
    let last = add_days(date(2026, 1, 6), 7 * 19);
    let s = b.streams(add_days(last, 10));
    assert_eq!(
        (s[0].frequency, s[0].status),
        (Frequency::Weekly, StreamStatus::Active)
    );
    assert_eq!(s[0].next_date, Some(add_days(last, 7)));
    let s = b.streams(add_days(last, 11));
    assert_eq!(s[0].status, StreamStatus::Ended);
    assert_eq!(s[0].next_date, None);
}

#[test]
fn quarterly_and_semiannual_cadences() {
    let mut b = Bills::new();
    for k in 0..5 {
        b.charge(
            Period::quarter().boundary(date(2025, 3, 21), k).unwrap(),
            "App Store & Apple Music",
            "Apple Music 个人订阅",
            4500,
        );
    }
    for k in 0..4 {
        b.charge(
            Period::half_year().boundary(date(2024, 9, 1), k).unwrap(),
            "百度网盘",
            "百度网盘超级会员",
            12800,
        );
    }
    let s = b.streams(date(2026, 4, 1));
    let freqs: Vec<Frequency> = s.iter().map(|x| x.frequency).collect();
    assert!(
        freqs.contains(&Frequency::Quarterly) && freqs.contains(&Frequency::Semiannual),
        "{freqs:?}"
    );
}

#[test]
fn items_ignore_order_numbers() {
    assert_eq!(normalize_item(" 美团订单-1234567890 "), "美团订单-#");
    assert_eq!(normalize_item("iCloud+ 50GB"), "iCloud+50GB");
    assert_eq!(normalize_item("/"), "");
}

#[test]
fn biweekly_cadence() {
    let mut b = Bills::new();
    for k in 0..12 {
        b.charge(
            add_days(date(2026, 1, 2), 14 * k),
            "某健身房",
            "私教课包会员",
            19_900,
        );
    }
    let s = b.streams(date(2026, 6, 20));
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].frequency, Frequency::Biweekly);
}

#[test]
fn one_membership_under_two_merchant_names_is_one_stream() {
    let mut b = Bills::new();
    b.monthly(
        date(2025, 6, 3),
        6,
        "网易云音乐",
        "网易云音乐黑胶VIP自动续费",
        1500,
    );
    b.monthly(
        date(2025, 12, 3),
        6,
        "网易云音乐(杭州)",
        "网易云音乐黑胶VIP自动续费",
        1500,
    );
    let s = b.streams(date(2026, 6, 10));
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].transactions.len(), 12);
}

#[test]
fn a_double_charge_and_a_discounted_first_month_keep_the_stream_and_are_reported() {
    // Issue 14: ¥6.00 the first month, then ¥25.00; in month 3 the same item is charged
    // twice within a minute on two payment methods.
    for months in [3, 4, 6, 12] {
        let mut b = Bills::new();
        b.charge(
            date(2026, 1, 5),
            "百度网盘",
            "百度网盘超级会员连续包月",
            600,
        );
        b.monthly(
            date(2026, 2, 5),
            months,
            "百度网盘",
            "百度网盘超级会员连续包月",
            2500,
        );
        let third = date(2026, 4, 5);
        let extra = b.rows.len();
        b.charge(third, "百度网盘", "百度网盘超级会员连续包月", 2500);
        b.rows[extra].time = third.at(3, 0, 40, 0);
        b.rows[extra].method = "余额宝".into();
        let s = b.streams(date(2026, 2, 5).checked_add((months * 31).days()).unwrap());
        assert_eq!(s.len(), 1, "{months} months: {s:#?}");
        assert_eq!(s[0].frequency, Frequency::Monthly);
        assert_eq!(
            s[0].first_date,
            date(2026, 1, 5),
            "the discounted month belongs to it"
        );
        assert_eq!(s[0].duplicates, vec![extra], "{months} months");
        assert!(!s[0].id.is_empty());
    }
}

#[test]
fn stream_ids_are_stable_and_distinct() {
    let mut b = Bills::new();
    b.monthly(date(2026, 1, 5), 6, "爱奇艺", "爱奇艺VIP会员连续包月", 2500);
    b.monthly(
        date(2026, 1, 9),
        6,
        "QQ音乐",
        "QQ音乐豪华绿钻连续包月",
        1500,
    );
    let first = b.streams(date(2026, 7, 1));
    // More history, another order: the same ids.
    b.rows.reverse();
    b.monthly(date(2026, 7, 5), 1, "爱奇艺", "爱奇艺VIP会员连续包月", 2500);
    let second = b.streams(date(2026, 7, 10));
    let ids = |s: &[Stream]| {
        let mut v: Vec<(String, String)> = s
            .iter()
            .map(|s| (s.merchant.clone(), s.id.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&first), ids(&second));
    assert_ne!(first[0].id, first[1].id);
}

#[test]
fn a_late_payment_is_not_a_double_charge_and_a_refunded_pair_is_settled() {
    // February's charge retried on March 2, then March's on the 15th: no extra money taken.
    let mut b = Bills::new();
    b.monthly(
        date(2025, 1, 15),
        13,
        "QQ音乐",
        "QQ音乐豪华绿钻连续包月",
        1500,
    );
    b.charge(date(2026, 3, 2), "QQ音乐", "QQ音乐豪华绿钻连续包月", 1500);
    b.monthly(
        date(2026, 3, 15),
        9,
        "QQ音乐",
        "QQ音乐豪华绿钻连续包月",
        1500,
    );
    let s = b.streams(date(2026, 12, 1));
    assert_eq!(s.len(), 1);
    assert!(s[0].duplicates.is_empty(), "{:#?}", s[0]);
    // A double charge whose first half was refunded (linked by order number): settled.
    let mut b = Bills::new();
    b.monthly(
        date(2026, 1, 8),
        6,
        "百度网盘",
        "百度网盘超级会员连续包月",
        2500,
    );
    b.charge(
        date(2026, 3, 8),
        "百度网盘",
        "百度网盘超级会员连续包月",
        2500,
    );
    let first_of_march = b
        .rows
        .iter()
        .position(|t| t.time.date() == date(2026, 3, 8))
        .unwrap();
    assert_eq!(b.streams(date(2026, 7, 1))[0].duplicates.len(), 1);
    b.charge(
        date(2026, 3, 10),
        "百度网盘",
        "退款-百度网盘超级会员连续包月",
        2500,
    );
    let refund = b.rows.len() - 1;
    b.rows[refund].status = TxStatus::Refund;
    b.rows[refund].direction = Direction::Neutral;
    b.rows[refund].refund_of = Some(b.rows[first_of_march].source_id.clone());
    assert!(b.streams(date(2026, 7, 1))[0].duplicates.is_empty());
}
