//! The fields of an agreement: each rule looks at one sentence at a time (in the folded,
//! Simplified, lower-case view) and reports a value with the sentence it came from.
//!
//! Precision first: a rule fires only on wording that says the thing, in the context it
//! belongs to (a price is a renewal price only in a sentence about renewal or charging;
//! a refund ban is a blanket ban only without a condition).

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Value, json};

use crate::numbers::{NUM, parse_amount, parse_int};

/// One sentence, folded for matching.
pub struct Sentence {
    /// Offsets of the sentence in the readable text.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The folded text (Simplified, lower-case ASCII, half-width).
    pub folded: String,
}

/// A value found in one sentence, before it is tied to the input's offsets.
pub struct Hit {
    /// The field.
    pub field: &'static str,
    /// Its value.
    pub value: Value,
    /// How sure the rule is.
    pub confidence: f64,
    /// Which sentence.
    pub sentence: usize,
}

macro_rules! re {
    ($name:ident, $pattern:expr) => {
        fn $name() -> &'static Regex {
            static RE: OnceLock<Regex> = OnceLock::new();
            RE.get_or_init(|| Regex::new(&$pattern).expect("valid pattern"))
        }
    };
}

re!(
    no_renewal,
    r"(不会|不再|不|无需|没有|无|并非)自动(续费|续订|扣费|续期)|will not (auto-?)?renew|does not (auto-?)?renew|not renew automatically"
);
re!(
    heading,
    r"^(第[一二三四五六七八九十百0-9]+[条章节款部分]|[0-9]+(\.[0-9]+)*\.?|[一二三四五六七八九十]+[、.])?\s*[^。！？.!?，,；;：:]{1,14}$"
);
re!(
    legal_carve_out,
    r"(except|unless) (where|as|to the extent) (required|provided|permitted) by (applicable )?laws?|法律(法规)?(另有规定|规定)的?除外|依法(应当|须)退(款|还)的除外"
);
re!(
    without_notice,
    r"(无需|无须|不另行|不再另行|不必|without (prior )?)(通知|告知|notice|notif)"
);
re!(
    discount_ratio,
    r"(?:÷|/|除以)\s*(0\.[0-9]{1,3})|折扣比例(?:为|是)?\s*(0\.[0-9]{1,3})|([0-9])折"
);
re!(
    renewal_context,
    r"自动续费|自动续订|自动续期|续费|续订|续期|连续包|自动扣费|自动扣款|代扣|到期后自动|自动延期|订阅|auto-?renew|automatically renew|renewal|renews|recurring|subscription"
);
re!(
    cycle_week,
    r"连续包周|每周|按周|周卡|包周|每7天|每七天|weekly|every week|each week|per week"
);
re!(
    cycle_month,
    r"连续包月|每月|按月|月度|包月|每个月|月卡|每30天|每三十天|(续费|续期|续订|延长)(一|1)个月|元/月|/月|monthly|every month|each month|per month|a month"
);
re!(
    cycle_quarter,
    r"连续包季|每季|季度|按季|包季|每三个月|每3个月|(续费|续期|续订)(一|1)个?季度?|元/季|quarterly|every (three|3) months"
);
re!(
    cycle_half,
    r"半年|每六个月|每6个月|semi-?annual|every (six|6) months"
);
re!(
    cycle_year,
    r"连续包年|每年|按年|年度|包年|年卡|每十二个月|每12个月|(续费|续期|续订|延长)(一|1)年|元/年|/年|yearly|annual|every year|each year|per year|a year"
);
re!(
    price,
    r"(?:(¥|￥|rmb|cny|人民币|\$|us\$|usd)\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)|([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*(元|块|usd|cny|rmb))\s*(?:/|每|per |a |每个)?\s*(周|月|季度|季|半年|年|week|month|quarter|year)?"
);
re!(
    price_period_before,
    r"(每周|每月|每季度?|每半年|每年|首月|首周|首年|首季)[^0-9¥$]{0,6}$"
);
re!(
    first_marker,
    r"首月|首期|首年|首周|首季|首次|新用户|新客|首购|优惠价|体验价|体验期|试用|第一个月|first (month|period|year|week)|introductory|trial|promotional"
);
re!(
    later_marker,
    r"次月起|次年起|之后|此后|到期后|续费|续订|自动扣费|thereafter|after that|then|renews at|renewal price"
);
re!(
    charge_words,
    r"扣费|扣款|扣除|收取|续费|续订|划扣|charge|bill|deduct"
);
re!(
    before_end,
    &format!(
        r"(?:到期|届满|结束|期满|截止)(?:日|时|之?前|前的?)[^，。；,]{{0,6}}?({NUM})\s*(?:个)?(小时|天|日)|(?:before|prior to) the end[^.;]{{0,30}}?([0-9]+)\s*(hours?|days?)|([0-9]+)\s*(hours?|days?) (?:before|prior to) the end"
    )
);
re!(
    on_expiry_day,
    r"到期当日|到期当天|届满当日|on the (renewal|expiry|last) day"
);
re!(
    remind_words,
    r"提醒|通知|告知|短信|推送|提示|remind|notif|notice|inform|email you|alert"
);
re!(
    remind_context,
    r"续费|扣费|续订|扣款|到期|续期|renew|charge|expir"
);
re!(
    remind_days,
    &format!(
        r"(?:前|提前)\s*({NUM})\s*(?:个)?(?:日|天|工作日)|({NUM})\s*(?:个)?(?:日|天)(?:之)?前|([0-9]+)\s*days?\s*(?:before|prior|in advance|ahead)"
    )
);
re!(
    cancel_words,
    r"取消|关闭|退订|解约|解除|停止自动续费|终止|cancel|turn off|switch off|unsubscribe|stop (the )?(auto|renew)"
);
re!(
    path_re,
    r"[\p{Han}a-z0-9]+(?: [a-z0-9]+)*(?:\s*(?:→|->|>|》|-|—|/)\s*[\p{Han}a-z0-9]+(?: [a-z0-9]+)*){2,}"
);
re!(
    sms_path,
    r#"(?:发送|编辑|回复)(?:短信)?\s*["“「']?([a-z0-9]+)["”」']?\s*(?:至|到|给)\s*([0-9]{4,6})"#
);
re!(
    path_lead,
    r"^(?:打开|点击|进入|前往|登录|在|于|通过|依次|您可|可|请)+"
);
re!(
    cutoff,
    &format!(
        r"(?:至少|最晚|最迟)?提前\s*({NUM})\s*(?:个)?(小时|天|日)|at least\s*([0-9]+)\s*(hours?|days?)|([0-9]+)\s*(hours?|days?) before"
    )
);
re!(refund_words, r"退款|退还|退费|返还|退回|refund");
re!(
    no_refund,
    r"不予退还|不予退款|无法退款|不支持退款|概不退|不退款|不退还|不可退|恕不退|不予退|不能退款|不做退款|不作退款|non-?refundable|not refundable|no refunds?|will not (be )?refund"
);
re!(
    condition,
    r"已使用|已消费|已兑换|已领取|已享受|已观看|使用过|除[^。；]{0,30}(外|以外)|除非|以下|下列|情形|情况下|但是?|except|unless|if (you have )?(used|redeemed)|once used"
);
re!(
    blanket_phrase,
    r"(任何|一切|所有)(情况|情形|理由|原因|条件)下?|无论[^。；，,]{0,20}|in any (case|circumstances?)|under any circumstances?"
);
re!(
    once_activated,
    r"一经|开通后|激活后|once (purchased|activated)"
);
re!(
    cooling_off,
    &format!(
        r"({NUM})\s*(?:个)?(?:日|天)内[^。；]{{0,30}}(?:无理由|全额|全部)?(?:退款|退还|退订)|within\s*([0-9]+)\s*days[^.;]{{0,40}}(full )?refund"
    )
);
re!(
    pro_rata_days,
    r"(按|根据|以)[^。；]{0,6}(剩余|未使用|未消耗|未享受)[^。；]{0,4}(天数|日数)|unused days|remaining days|pro[- ]rat"
);
re!(
    pro_rata_months,
    r"(按|根据|以)[^。；]{0,6}(剩余|未使用|未消耗)[^。；]{0,4}(月份|月数|整月)|unused (whole )?months|remaining months"
);
re!(
    used_months_list,
    r"已(使用|享受|消费)[^。；]{0,6}(月份|月数|个月)[^。；]{0,16}(原价|月费|单月|单月价格|连续包月价格)|used months[^.;]{0,30}(list|full|monthly) price"
);
re!(
    consumed_days_fee,
    r"已(使用|享受|消费)[^。；]{0,6}(天数|日数)[^。；]{0,24}(扣除|收取|扣)[^。；]{0,10}(费用|服务费|会员费)|(折扣|折算)比例"
);
re!(
    full_refund,
    r"全额退款|全额退还|全部退还|full refund|refund in full"
);
re!(
    redeemed_deducted,
    r"已(兑换|使用|领取|消费)的?[^。；，,]{0,12}(商品|权益|券|礼品|次数|部分)[^。；]{0,8}(不予退|不退|不予退款|不予退还|不作退款|扣除|折算|抵扣)|(扣除|扣减)[^。；]{0,8}已(兑换|使用|领取)[^。；]{0,8}(价值|金额|费用)|redeemed[^.;]{0,30}(deducted|not refundable|non-?refundable)"
);
re!(
    redeemed_voids,
    r"(如|若|一旦|凡)[^。；]{0,4}(已)?(使用|兑换|领取)(过|了)?(任何|任一|任意)?[^。；]{0,10}(均|则|即|将)?(不予|不|不能|不可)退|once (any|a) (benefit|coupon)[^.;]{0,20}(used|redeemed)[^.;]{0,20}no refund"
);
re!(
    unused_voided,
    r"(未使用|未兑换|未领取|剩余|尚未使用)的?[^。；]{0,10}(券|权益|次数|额度|兑换券|优惠券)[^。；]{0,12}(作废|失效|清零|不予保留|自动取消|一并取消)|unused[^.;]{0,20}(coupons?|vouchers?|benefits?)[^.;]{0,20}(void|expire|forfeit)"
);
re!(
    working_days,
    &format!(
        r"({NUM})\s*(?:[-~～至到]\s*({NUM}))?\s*个?\s*(?:工作日|个工作日|business days?|working days?)"
    )
);
re!(within, r"内|以内|within|up to");
re!(
    fee_words,
    r"手续费|服务费|违约金|handling fee|cancellation fee|service fee|processing fee|administrative fee"
);
re!(fee_percent, r"([0-9]+(?:\.[0-9]+)?)\s*(%|％|percent)");
re!(
    fee_amount,
    r"([0-9]+(?:\.[0-9]{1,2})?)\s*(元|块)|(¥|\$)\s*([0-9]+(?:\.[0-9]{1,2})?)"
);
re!(
    no_fee,
    r"不(另行|额外)?收取(任何)?(费用|手续费|违约金)|免费取消|取消[^。；]{0,10}免费|无需支付(任何)?(费用|违约金)|free of charge|without (any )?(charge|fee)|no (cancellation )?fee"
);
re!(
    price_change_words,
    r"(价格|资费|费用|收费标准|会员价|续费价格|定价)[^。；]{0,8}(调整|变更|变动|上涨|上调|修改)|调价|涨价|price (change|increase|adjust)|change (the|our) price|prices? may change"
);
re!(
    notice_by,
    r"公告|通知|短信|站内信|邮件|弹窗|推送|notice|notify|email|announce"
);
re!(
    notice_days,
    &format!(
        r"(?:提前)\s*({NUM})\s*(?:个)?(?:日|天)|({NUM})\s*(?:个)?(?:日|天)前|([0-9]+)\s*days?\s*(?:before|prior|in advance|notice)"
    )
);
re!(
    may_leave,
    r"(有权|可以|可|能够|may|can)[^。；]{0,8}(取消|终止|停止|退订|关闭|cancel|terminate|stop)|不(同意|接受)[^。；]{0,12}(取消|终止|停止|退订)|do not agree[^.;]{0,30}(cancel|terminate|stop)"
);

/// Every field reported, in output order.
pub const FIELDS: &[&str] = &[
    "renewal_cycle",
    "renewal_price",
    "first_period_price",
    "charge_timing",
    "renewal_reminder",
    "cancel_methods",
    "cancel_cutoff_hours",
    "refund_method",
    "discount_ratio",
    "cooling_off_days",
    "refund_working_days",
    "handling_fee",
    "non_refundable_cases",
    "other_readings",
    "redeemed_benefits",
    "voids_unredeemed_benefits",
    "price_change",
];

/// Runs every rule over every sentence.
pub fn extract(sentences: &[Sentence], original: &[String]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        let t = s.folded.as_str();
        let mut hit = |field: &'static str, value: Value, confidence: f64| {
            hits.push(Hit {
                field,
                value,
                confidence,
                sentence: i,
            })
        };
        // Headings ("第二条 续费提醒") name a topic; they state nothing.
        if heading().is_match(t.trim()) {
            continue;
        }
        let renewal = renewal_context().is_match(t) && !no_renewal().is_match(t);
        if renewal {
            for (re, cycle) in [
                (cycle_week(), "week"),
                (cycle_month(), "month"),
                (cycle_quarter(), "quarter"),
                (cycle_half(), "half_year"),
                (cycle_year(), "year"),
            ] {
                if re.is_match(t) {
                    let strong = t.contains("连续包") || t.contains("每");
                    hit(
                        "renewal_cycle",
                        json!(cycle),
                        if strong { 0.9 } else { 0.75 },
                    );
                }
            }
        }
        prices(t, renewal, &mut hit);
        charge_timing(t, renewal, &mut hit);
        // A price-change notice ("提前15日通知") is neither a renewal reminder nor a cut-off.
        let about_price_change = price_change_words().is_match(t);
        if !about_price_change {
            reminder(t, &mut hit);
        }
        if cancel_words().is_match(t) {
            cancel_methods(t, &original[i], &mut hit);
            if !about_price_change {
                cutoff_hours(t, &mut hit);
            }
        }
        if refund_words().is_match(t) || no_refund().is_match(t) {
            refund(t, &mut hit);
        }
        fees(t, &mut hit);
        price_change(t, &mut hit);
        if unused_voided().is_match(t) {
            hit("voids_unredeemed_benefits", json!(true), 0.75);
        }
        if redeemed_voids().is_match(t) {
            hit("redeemed_benefits", json!("void_refund"), 0.7);
        } else if redeemed_deducted().is_match(t) {
            hit("redeemed_benefits", json!("deduct_value"), 0.75);
        }
    }
    hits
}

fn per_of(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "周" | "week" => "week",
        "月" | "month" => "month",
        "季" | "季度" | "quarter" => "quarter",
        "半年" => "half_year",
        "年" | "year" => "year",
        _ => return None,
    })
}

fn currency_of(marker: &str) -> &'static str {
    match marker {
        "$" | "us$" | "usd" => "USD",
        _ => "CNY",
    }
}

fn prices(t: &str, renewal: bool, hit: &mut impl FnMut(&'static str, Value, f64)) {
    let charging = renewal || charge_words().is_match(t);
    if !charging && !first_marker().is_match(t) {
        return;
    }
    for caps in price().captures_iter(t) {
        let whole = caps.get(0).expect("match");
        let (marker, number) = match (caps.get(1), caps.get(2), caps.get(3), caps.get(4)) {
            (Some(m), Some(n), _, _) => (m.as_str(), n.as_str()),
            (_, _, Some(n), Some(m)) => (m.as_str(), n.as_str()),
            _ => continue,
        };
        let Some(amount) = parse_amount(number) else {
            continue;
        };
        let before = &t[..whole.start()];
        let window: String = before
            .chars()
            .rev()
            .take(14)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let per = caps.get(5).and_then(|u| per_of(u.as_str())).or_else(|| {
            price_period_before()
                .captures(&window)
                .and_then(|c| match c.get(1)?.as_str() {
                    "每周" | "首周" => Some("week"),
                    "每月" | "首月" => Some("month"),
                    "每季" | "每季度" | "首季" => Some("quarter"),
                    "每半年" => Some("half_year"),
                    "每年" | "首年" => Some("year"),
                    _ => None,
                })
        });
        let value = json!({"amount": amount, "currency": currency_of(marker), "per": per});
        let first = first_marker().find(&window).is_some()
            && later_marker().find_iter(&window).last().map(|l| l.start())
                < first_marker().find_iter(&window).last().map(|f| f.start());
        if first {
            hit("first_period_price", value, 0.8);
        } else if charging && (renewal || per.is_some()) {
            // "198元/年" in a sentence about renewal states the cycle too.
            if renewal && let Some(per) = per {
                hit("renewal_cycle", json!(per), 0.8);
            }
            hit(
                "renewal_price",
                value,
                if renewal && per.is_some() { 0.85 } else { 0.7 },
            );
        }
    }
}

fn charge_timing(t: &str, renewal: bool, hit: &mut impl FnMut(&'static str, Value, f64)) {
    if !(renewal || charge_words().is_match(t))
        || !charge_words().is_match(t)
        || remind_words().is_match(t)
    {
        return;
    }
    if let Some(c) = before_end().captures(t) {
        let Some((number, unit)) = [(1, 2), (3, 4), (5, 6)]
            .into_iter()
            .find_map(|(n, u)| Some((c.get(n)?.as_str(), c.get(u)?.as_str())))
        else {
            return;
        };
        if let Some(n) = parse_int(number) {
            let hours = if unit.starts_with('小') || unit.starts_with("hour") {
                n
            } else {
                n * 24
            };
            hit("charge_timing", json!({"hours_before_end": hours}), 0.85);
        }
    } else if on_expiry_day().is_match(t) {
        hit("charge_timing", json!({"hours_before_end": 0}), 0.7);
    }
}

fn reminder(t: &str, hit: &mut impl FnMut(&'static str, Value, f64)) {
    if !remind_words().is_match(t) || !remind_context().is_match(t) {
        return;
    }
    // A reminder promise, not merely "we notify you of the charge".
    if !(t.contains("提醒")
        || t.contains("前")
        || t.contains("remind")
        || t.contains("before")
        || t.contains("in advance")
        || t.contains("prior"))
    {
        return;
    }
    match remind_days().captures(t) {
        Some(c) => {
            let n = [c.get(1), c.get(2), c.get(3)]
                .into_iter()
                .flatten()
                .find_map(|m| parse_int(m.as_str()));
            if let Some(days) = n {
                hit("renewal_reminder", json!({"days_before": days}), 0.85);
            }
        }
        None => hit("renewal_reminder", Value::Null, 0.6),
    }
}

/// Channels, with the words that name them.
const CHANNELS: &[(&str, &[&str])] = &[
    ("wechat_pay", &["微信", "wechat"]),
    ("alipay", &["支付宝", "alipay"]),
    (
        "app_store",
        &[
            "app store",
            "appstore",
            "apple id",
            "苹果",
            "ios",
            "itunes",
            "iphone",
        ],
    ),
    ("google_play", &["google play"]),
    ("huawei", &["华为", "huawei"]),
    ("douyin_pay", &["抖音", "douyin"]),
    (
        "carrier",
        &[
            "运营商",
            "话费",
            "10086",
            "10010",
            "10000",
            "中国移动",
            "中国联通",
            "中国电信",
            "短信退订",
            "carrier",
            "mobile operator",
        ],
    ),
    (
        "customer_service",
        &[
            "客服",
            "人工服务",
            "服务热线",
            "热线",
            "customer service",
            "customer support",
            "contact us",
        ],
    ),
    (
        "in_app",
        &[
            "本应用",
            "应用内",
            "app内",
            "客户端",
            "会员中心",
            "个人中心",
            "账户设置",
            "我的",
            "in the app",
            "in-app",
            "account settings",
            "settings page",
        ],
    ),
];

fn cancel_methods(t: &str, original: &str, hit: &mut impl FnMut(&'static str, Value, f64)) {
    let path = path_re().find(t).map(|m| {
        // The path as written (original characters), from the folded match's char span,
        // without the verb that introduces it ("打开", "点击").
        let start = t[..m.start()].chars().count();
        let len = m.as_str().chars().count();
        let written: String = original.chars().skip(start).take(len).collect();
        let lead = path_lead()
            .find(m.as_str())
            .map_or(0, |l| l.as_str().chars().count());
        let written: String = written.chars().skip(lead).collect();
        english_path_start(written.trim())
    });
    let path = path.or_else(|| {
        sms_path()
            .captures(t)
            .map(|c| format!("短信 {} 至 {}", c[1].to_uppercase(), &c[2]))
    });
    let path_at = path_re()
        .find(t)
        .or_else(|| sms_path().find(t))
        .map(|m| m.start());
    let mut found: Vec<(&str, usize)> = Vec::new();
    for (channel, words) in CHANNELS {
        if let Some(at) = words.iter().filter_map(|w| t.find(w)).min() {
            // "我的" inside a wallet's path is not the app's own setting.
            if *channel == "in_app"
                && found.iter().any(|(c, _)| {
                    matches!(
                        *c,
                        "wechat_pay" | "alipay" | "app_store" | "huawei" | "douyin_pay"
                    )
                })
            {
                continue;
            }
            found.push((channel, at));
        }
    }
    if found.is_empty() {
        if path.is_some() {
            found.push(("in_app", 0));
        } else {
            return;
        }
    }
    // The path belongs to the channel named closest before it.
    let owner = path_at.and_then(|p| {
        found
            .iter()
            .filter(|(_, at)| *at <= p)
            .max_by_key(|(_, at)| *at)
            .or(found.first())
            .map(|(c, _)| *c)
    });
    for (channel, _) in &found {
        let own_path = (owner == Some(*channel)).then(|| path.clone()).flatten();
        let confidence = if own_path.is_some() { 0.85 } else { 0.7 };
        hit(
            "cancel_methods",
            json!({"channel": channel, "path": own_path}),
            confidence,
        );
    }
}

/// An English path's first step is its menu name, not the sentence before it: keep the
/// trailing capitalised words of the first step ("in the app under Settings > …" →
/// "Settings > …").
fn english_path_start(path: &str) -> String {
    let Some(cut) = path.find(['>', '→']) else {
        return path.to_string();
    };
    let first = &path[..cut];
    if !first.contains(' ') || !first.is_ascii() {
        return path.to_string();
    }
    let words: Vec<&str> = first.split_whitespace().collect();
    let keep = words
        .iter()
        .rev()
        .take_while(|w| w.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit()))
        .count()
        .max(1);
    format!("{} {}", words[words.len() - keep..].join(" "), &path[cut..])
}

fn cutoff_hours(t: &str, hit: &mut impl FnMut(&'static str, Value, f64)) {
    if let Some(c) = cutoff().captures(t)
        && cancel_near(
            t,
            c.get(0).map_or(0, |m| m.start()),
            c.get(0).map_or(0, |m| m.end()),
        )
    {
        let Some((number, unit)) = [(1, 2), (3, 4), (5, 6)]
            .into_iter()
            .find_map(|(n, u)| Some((c.get(n)?.as_str(), c.get(u)?.as_str())))
        else {
            return;
        };
        if let Some(n) = parse_int(number) {
            let hours = if unit.starts_with('小') || unit.starts_with("hour") {
                n
            } else {
                n * 24
            };
            hit("cancel_cutoff_hours", json!(hours), 0.8);
        }
    }
}

fn refund(t: &str, hit: &mut impl FnMut(&'static str, Value, f64)) {
    if let Some(c) = cooling_off().captures(t) {
        if let Some(days) = [c.get(1), c.get(2)]
            .into_iter()
            .flatten()
            .find_map(|m| parse_int(m.as_str()))
        {
            hit("cooling_off_days", json!(days), 0.8);
        }
    }
    if no_refund().is_match(t) {
        let without_boilerplate = legal_carve_out().replace_all(t, "");
        let stripped = once_activated().replace_all(&without_boilerplate, "");
        // "任何情况下均不退" is the opposite of a condition.
        let stripped = blanket_phrase().replace_all(&stripped, "");
        let conditional = condition().is_match(&stripped);
        if conditional {
            hit("non_refundable_cases", Value::Null, 0.75);
        } else {
            hit("refund_method", json!("none"), 0.9);
        }
    }
    if consumed_days_fee().is_match(t)
        && let Some(c) = discount_ratio().captures(t)
    {
        let ratio = match (c.get(1).or(c.get(2)), c.get(3)) {
            (Some(r), _) => Some(r.as_str().to_string()),
            (None, Some(tenths)) => Some(format!("0.{}", tenths.as_str())),
            _ => None,
        };
        if let Some(ratio) = ratio {
            hit("discount_ratio", json!(ratio), 0.75);
        }
    }
    // One sentence that matches two formulas ("按剩余天数比例退款，扣除已消费天数×折扣比例的
    // 手续费") reads two ways: the first is the method, the others are other readings.
    let mut readings = [
        (used_months_list(), "used_months_at_list_price", 0.8),
        (consumed_days_fee(), "consumed_days_fee", 0.75),
        (pro_rata_months(), "pro_rata_months", 0.8),
        (pro_rata_days(), "pro_rata_days", 0.8),
    ]
    .into_iter()
    .filter(|(re, _, _)| re.is_match(t) && refund_words().is_match(t));
    if let Some((_, method, confidence)) = readings.next() {
        hit("refund_method", json!(method), confidence);
        for (_, other, _) in readings {
            if !(method == "pro_rata_months" && other == "pro_rata_days") {
                hit("other_readings", json!(other), 0.7);
            }
        }
    }

    if full_refund().is_match(t) && !cooling_off().is_match(t) && !no_refund().is_match(t) {
        hit("refund_method", json!("full"), 0.7);
    }
    if refund_words().is_match(t)
        && let Some(c) = working_days().captures(t)
    {
        let a = c.get(1).and_then(|m| parse_int(m.as_str()));
        let b = c.get(2).and_then(|m| parse_int(m.as_str()));
        match (a, b) {
            (Some(a), Some(b)) if a <= b => hit("refund_working_days", json!([a, b]), 0.85),
            (Some(a), None) if within().is_match(t) => {
                hit("refund_working_days", json!([1, a]), 0.75)
            }
            (Some(a), None) => hit("refund_working_days", json!([a, a]), 0.7),
            _ => {}
        }
    }
}

fn fees(t: &str, hit: &mut impl FnMut(&'static str, Value, f64)) {
    if !fee_words().is_match(t)
        || !(refund_words().is_match(t) || cancel_words().is_match(t))
        || no_fee().is_match(t)
    {
        return;
    }
    if let Some(c) = fee_percent().captures(t) {
        hit("handling_fee", json!({"percent": c[1].to_string()}), 0.75);
    } else if let Some(c) = fee_amount().captures(t) {
        let number = c.get(1).or(c.get(4)).map_or("", |m| m.as_str());
        if let Some(amount) = parse_amount(number) {
            hit("handling_fee", json!({"amount": amount}), 0.7);
        }
    }
}

fn price_change(t: &str, hit: &mut impl FnMut(&'static str, Value, f64)) {
    if !price_change_words().is_match(t) {
        return;
    }
    let promised = without_notice().replace_all(t, "");
    let notice: Vec<&str> = notice_by()
        .find_iter(&promised)
        .map(|m| m.as_str())
        .collect();
    let days = notice_days().captures(t).and_then(|c| {
        [c.get(1), c.get(2), c.get(3)]
            .into_iter()
            .flatten()
            .find_map(|m| parse_int(m.as_str()))
    });
    let notice: Vec<String> = notice.into_iter().map(str::to_string).collect();
    hit(
        "price_change",
        json!({"notice_by": notice, "notice_days": days, "may_leave": may_leave().is_match(t)}),
        if notice.is_empty() { 0.6 } else { 0.75 },
    );
}

/// Whether a cancel word stands within a dozen characters of `start..end`.
fn cancel_near(t: &str, start: usize, end: usize) -> bool {
    let before: String = t[..start]
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = t[end..].chars().take(12).collect();
    cancel_words().is_match(&before) || cancel_words().is_match(&after)
}

/// Whether the text states that cancelling is free.
pub fn states_no_fee(t: &str) -> bool {
    no_fee().is_match(t) && (cancel_words().is_match(t) || refund_words().is_match(t))
}
