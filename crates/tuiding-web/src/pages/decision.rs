//! The rule check on a membership's page: the switch between "leaving" and "still using
//! it", the advice with its margin, every option with its figures, the refund by cancel
//! day, the readings of an ambiguous clause, and what is missing.

use maud::{Markup, html};
use tuiding_app::check::CheckView;

use super::Chrome;

fn money(v: &CheckView, amount: &str) -> String {
    format!("{}{amount}", v.currency_symbol())
}

/// The intent switch: links, so it works without a form or a script.
fn intent_switch(c: &Chrome, id: i64, current: &str) -> Markup {
    let choices = [
        ("leaving", c.t("我要离开，不再使用", "I am leaving")),
        ("staying", c.t("我还在用", "I still use it")),
        ("undecided", c.t("还没想好", "Not sure")),
    ];
    html! {
        nav.switch aria-label=(c.t("你的打算", "Your intent")) {
            @for (value, label) in choices {
                a href={"/memberships/" (id) "?intent=" (value) "#check"}
                  aria-current=[(value == current).then_some("true")]
                  class=[(value == current).then_some("current")] { (label) }
            }
        }
    }
}

/// The whole rule-check section.
pub fn rule_check(c: &Chrome, id: i64, v: &CheckView) -> Markup {
    html! {
        section.card #check {
            h2 { (c.t("规则体检与决策", "Rule check and decision")) }
            (intent_switch(c, id, v.intent))
            p.advice {
                strong { (c.t("建议：", "Advice: ")) (v.advice.label) }
                @if let Some(by) = v.advice.by { " " span.muted { (c.t("截止 ", "by ")) (by) } }
                @if let Some(m) = v.advice.margin.as_ref().filter(|m| m.as_str() != "0.00") { " " span.muted { (c.t("比次优多 ", "beats the next by ")) (money(v, m)) } }
            }
            // The CLI's flag becomes the switch above.
            ul #advice-reasons { @for r in &v.advice.reasons { li { (r.replace("（--leaving）", "（点上方“我要离开”）").replace(" (--leaving)", " (choose “I am leaving” above)")) } } }
            @if !v.options.is_empty() {
                h3 { (c.t("你的选择", "Your options")) }
                div.scroll tabindex="0" role="region" aria-label=(c.t("各个选项", "The options")) { table #options {
                    thead { tr {
                        th { (c.t("选择", "Option")) }
                        th.num { (c.t("现金", "Cash")) }
                        th.num { (c.t("可用价值", "Usable")) }
                        th.num { (c.t("后续扣费", "Charges")) }
                        th.num { (c.t("净得", "Net")) }
                        th { (c.t("截止", "By")) }
                    } }
                    tbody { @for (i, o) in v.options.iter().enumerate() {
                        tr class=[(i == 0).then_some("best")] data-action=(o.action) {
                            td { (o.label) }
                            td.num { @if o.cash_known { (money(v, &o.cash)) } @else { (c.t("未知", "unknown")) } }
                            td.num { (money(v, &o.usable_value)) }
                            td.num { (money(v, &o.further_charges)) }
                            td.num { strong { (money(v, &o.net)) } }
                            td.date { @if let Some(d) = o.by { (d) } @else { "—" } }
                        }
                    } }
                } }
            }
            @if let Some(r) = &v.refund {
                h3 { (c.t("今天退订可退", "Refund if you cancel today")) " " (r.display) }
                ul.small { @for l in &r.lines { li { (l) } } }
                @for cl in &r.clauses { p.quote { "「" (cl.quote) "」" } }
            }
            @if v.readings.len() > 1 {
                h3 { (c.t("条款的几种理解", "Readings of the clause")) }
                ul #readings { @for r in &v.readings {
                    li class=[r.claimed.then_some("claimed")] {
                        (r.label) "：" strong { (money(v, &r.amount)) }
                        @if r.claimed { " " span.badge { (c.t("按此主张（民法典第四百九十八条）", "claimed (Civil Code art. 498)")) } }
                    }
                } }
            }
            @if !v.refund_curve.is_empty() {
                h3 { (c.t("退款随退订日变化", "The refund by cancel day")) }
                @if let Some(z) = v.refund_zero_on { p.muted { (c.t("从这天起为 0：", "Zero from: ")) strong { (z) } } }
                div.scroll tabindex="0" role="region" aria-label=(c.t("按日退款", "Refund by day")) { table #refund-curve {
                    tbody { @for p in &v.refund_curve {
                        tr { td.date { (p.date) } td.num { (money(v, &p.amount)) } td.muted { (curve_label(c, p.label)) } }
                    } }
                } }
            }
            @if let Some(u) = &v.benefits.unused_value {
                p { (c.t("未用权益价值：", "Unused benefits: ")) strong { (money(v, u)) }
                    @if let Some(after) = &v.benefits.refund_after_redeeming { " · " (c.t("全部用完后可退 ", "refund after using them all: ")) (money(v, after)) } }
            }
            @for (title, list) in [(c.t("警告", "Warnings"), &v.warnings), (c.t("风险", "Risks"), &v.risks), (c.t("缺少的信息", "Missing facts"), &v.missing_facts)] {
                @if !list.is_empty() { h3 { (title) } ul { @for n in list.iter() { li { (n.message) } } } }
            }
            p { a.button.secondary href={"/memberships/" (id) "/policy"} { (c.t("填写或修改退款规则", "Fill in or change the refund terms")) } }
        }
    }
}

fn curve_label(c: &Chrome, label: &str) -> &'static str {
    match label {
        "today" => c.t("今天", "today"),
        "last_safe_day" => c.t("最后安全退订日", "last safe cancel day"),
        "zero" => c.t("从这天起为 0", "zero from this day"),
        "period_end" => c.t("本期最后一天", "period's last day"),
        _ => "",
    }
}
