//! A membership's page: its facts, the rule check and the advice, the channels to close,
//! its benefits (used one by one), its price history, how the household splits it, and
//! when reminders go out. Every change posts back here.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;
use tuiding_app::check::{CheckView, check_view};
use tuiding_app::context::Ctx;
use tuiding_app::household::{SplitChange, SplitView};
use tuiding_app::memberships::MembershipView;
use tuiding_app::memberships::edit::MembershipChange;
use tuiding_app::memberships::input::MembershipInput;
use tuiding_app::memberships::labels::{price_label, status_label};
use tuiding_app::reminders::{self, LeadChange, Source};
use tuiding_core::Channel;

use super::{Done, chrome, done_text};
use crate::pages::{Chrome, OrPage, PageResult, notice, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};

/// Everything the page shows, from one operation run.
struct Loaded {
    view: MembershipView,
    check: CheckView,
    split: SplitView,
    members: Vec<String>,
    reminders: reminders::View,
}

fn load(ctx: &Ctx, id: i64, intent: tuiding_core::checkup::Intent) -> anyhow::Result<Loaded> {
    let (_, check) = check_view(ctx, id, ctx.today, intent)?;
    Ok(Loaded {
        view: tuiding_app::memberships::membership(ctx, id)?,
        check,
        split: tuiding_app::household::split(ctx, id, &SplitChange::default())?,
        members: tuiding_app::household::members(ctx)?,
        reminders: reminders::lead_days(ctx, id, &LeadChange::None)?,
    })
}

/// `GET /memberships/{id}`: the membership, the rule check and the advice.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let intent = tuiding_app::check::parse_intent(done.intent.as_deref().unwrap_or(""));
    let d = state
        .run(lang, move |ctx| load(ctx, id, intent))
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let (v, check) = (&d.view, &d.check);
    let title = format!("{} {}", v.platform, v.plan);
    let body = html! {
        (notice(done_text(&c, &done)))
        section.card #facts {
            dl.facts {
                dt { (c.t("价格", "Price")) } dd { (price_label(&v.membership, lang)) }
                dt { (c.t("状态", "Status")) } dd { (status_label(v, lang)) }
                @if let Some(p) = &v.current_period { dt { (c.t("本期", "This period")) } dd { span.date { (p.start) } " ~ " span.date { (p.last_day) } } }
                @if let Some(t) = v.trial_until { dt { (c.t("试用转正扣费日", "Trial converts on")) } dd.date { (t) } }
                dt { (c.t("下次续费", "Next renewal")) } dd.date { @if let Some(d) = v.next_renewal { (d) } @else { "—" } }
                dt { (c.t("最后安全退订日", "Last safe cancel day")) } dd.key { @if let Some(d) = check.last_safe_cancel_day { strong.date { (d) } } @else { "—" } }
                @if let Some(m) = &v.monthly_cost { dt { (c.t("每月", "Per month")) } dd { (m) " " (v.currency) } }
                @if let Some(cat) = &v.category { dt { (c.t("类别", "Category")) } dd { (cat) } }
                dt { (c.t("退款规则", "Refund policy")) }
                dd {
                    @if let Some(o) = &check.policy_origin { (o) " · " } @else { (c.t("未设置 · ", "none · ")) }
                    a href={"/memberships/" (id) "/policy"} { (c.t("填写或修改退款规则", "Fill in or change the terms")) }
                }
                @if let Some(n) = &v.notes { dt { (c.t("备注", "Notes")) } dd { (n) } }
            }
            div.actions {
                a.button.secondary href={"/memberships/" (id) "/edit"} { (c.t("修改", "Edit")) }
                form.inline method="post" action={"/memberships/" (id) "/case"} {
                    (c.csrf_field())
                    button type="submit" { (c.t("开始退订（开启案件）", "Start cancelling (open a case)")) }
                }
            }
        }
        (crate::pages::decision::rule_check(&c, id, check))
        (channels(&c, id, v, check))
        (benefits(&c, id, v))
        (prices(&c, v))
        (split_section(&c, id, &d.split, &d.members))
        (reminder_section(&c, id, &d.reminders))
        section.card.danger {
            form.inline method="post" action={"/memberships/" (id) "/delete"} {
                (c.csrf_field())
                button.secondary type="submit" data-confirm=(c.t("确定删除这个会员？", "Remove this membership?")) { (c.t("删除会员", "Remove membership")) }
            }
        }
    };
    Ok(page(&c, &title, body).into_response())
}

fn channels(c: &Chrome, id: i64, v: &MembershipView, check: &CheckView) -> Markup {
    let lang = c.lang;
    let label = |ch: &str| {
        ch.parse::<Channel>()
            .map_or(ch.to_string(), |x| x.label(lang).to_string())
    };
    html! {
        section.card #channels {
            h2 { (c.t("自动续费渠道", "Auto-renew channels")) }
            @if v.auto_renew.is_empty() {
                p.muted { (c.t("没有记录自动续费渠道。", "No auto-renew channel recorded.")) " " a href={"/memberships/" (id) "/edit#channels-fieldset"} { (c.t("添加渠道", "Add one")) } }
            } @else {
                ul.plain { @for ch in &v.auto_renew {
                    li { strong { (label(ch.channel)) } " · "
                        @match ch.status {
                            "closed" => { span.ok { (c.t("已关闭", "closed")) } @if let Some(d) = ch.closed_on { " " span.date { (d) } } }
                            "unknown" => { span.warn { (c.t("不确定，按仍可扣费处理", "not sure: treated as able to charge")) } }
                            _ => { span.error { (c.t("仍可扣费", "can still charge")) } }
                        }
                    }
                } }
            }
            @if !check.channels_to_close.is_empty() {
                h3 { (c.t("需要关闭", "To close")) }
                ul.steps { @for ch in &check.channels_to_close {
                    li {
                        strong { (label(ch.channel)) } " — " (ch.how) " "
                        form.inline method="post" action={"/memberships/" (id) "/close"} {
                            (c.csrf_field())
                            input type="hidden" name="channel" value=(ch.channel);
                            button.small type="submit" aria-label={(c.t("我已关闭：", "I closed it: ")) (label(ch.channel))} { (c.t("我已关闭", "I closed it")) }
                        }
                    }
                } }
            }
        }
    }
}

fn benefits(c: &Chrome, id: i64, v: &MembershipView) -> Markup {
    html! {
        section.card #benefits {
            h2 { (c.t("权益", "Benefits")) }
            @if v.benefits.is_empty() {
                p.muted { (c.t("没有记录权益（券、次数）。", "No benefits (vouchers, uses) recorded.")) " " a href={"/memberships/" (id) "/edit#benefits-fieldset"} { (c.t("添加权益", "Add one")) } }
            } @else {
                ul.plain { @for b in &v.benefits {
                    li {
                        strong { (b.name) } " "
                        (c.t("剩 ", "")) (b.remaining) " / " (b.quantity) (c.t("", " left"))
                        @if let Some(u) = &b.unit_value { " · " (c.t("每个 ", "worth ")) (u) " " (v.currency) }
                        @if b.remaining > 0 {
                            " "
                            form.inline method="post" action={"/memberships/" (id) "/redeem"} {
                                (c.csrf_field())
                                input type="hidden" name="name" value=(b.name);
                                button.small.secondary type="submit" aria-label={(c.t("用掉一个：", "Use one: ")) (b.name)} { (c.t("用掉一个", "Use one")) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

fn prices(c: &Chrome, v: &MembershipView) -> Markup {
    html! {
        @if !v.price_history.is_empty() {
            section.card #prices {
                h2 { (c.t("价格变化", "Price history")) }
                ul.plain { @for p in &v.price_history {
                    li { span.date { (p.on) } " " (p.old) " → " strong { (p.new) } " " (p.currency) " "
                        small.muted { (match p.source { "charge" => c.t("（账单扣款）", "(a charge)"), "notice" => c.t("（涨价通知）", "(a notice)"), _ => c.t("（手动修改）", "(edited)") }) }
                    }
                } }
            }
        }
    }
}

fn split_section(c: &Chrome, id: i64, split: &SplitView, members: &[String]) -> Markup {
    html! {
        section.card #split {
            h2 { (c.t("家庭分摊", "Household split")) }
            @if members.is_empty() {
                p.muted { (c.t("和家人合用？先添加家庭成员，再在这里分摊费用。", "Shared with family? Add household members first, then split the cost here.")) " " a href="/household" { (c.t("添加家庭成员", "Add household members")) } }
            } @else {
                @if !split.parts.is_empty() {
                    ul.plain { @for p in &split.parts { li { (p.member) "：" strong { (p.amount) " " (split.currency) }
                        @if let Some(s) = p.shares { small.muted { " · " (s) (c.t(" 份", " shares")) } }
                        @if p.fixed.is_some() { small.muted { (c.t(" · 固定", " · fixed")) } }
                    } } }
                }
                form.stack method="post" action={"/memberships/" (id) "/split"} {
                    (c.csrf_field())
                    p.hint { (c.t("每人填份额（按份分摊剩余部分）或固定金额；合计必须等于价格 ", "Give each person shares (of what is left) or a fixed amount; they must add up to the price ")) (split.price) " " (split.currency) "。" }
                    @for (i, m) in members.iter().enumerate() {
                        @let part = split.parts.iter().find(|p| &p.member == m);
                        div.row {
                            input type="hidden" name={"member_" (i)} value=(m);
                            div.field {
                                label for={"share_" (i)} { (m) (c.t(" 的份额", ": shares")) }
                                input type="number" min="0" inputmode="numeric" id={"share_" (i)} name={"share_" (i)} value=(part.and_then(|p| p.shares).map(|s| s.to_string()).unwrap_or_default());
                            }
                            div.field {
                                label for={"fixed_" (i)} { (m) (c.t(" 的固定金额", ": fixed amount")) }
                                input type="text" inputmode="decimal" id={"fixed_" (i)} name={"fixed_" (i)} value=(part.and_then(|p| p.fixed.clone()).unwrap_or_default());
                            }
                        }
                    }
                    div.actions {
                        button type="submit" { (c.t("保存分摊", "Save the split")) }
                        button.secondary type="submit" name="clear" value="1" { (c.t("不分摊", "No split")) }
                        a href="/household" { (c.t("管理家庭成员", "Household members")) }
                    }
                }
            }
        }
    }
}

fn reminder_section(c: &Chrome, id: i64, r: &reminders::View) -> Markup {
    let days = r
        .lead_days
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    html! {
        section.card #reminders {
            h2 { (c.t("提醒", "Reminders")) }
            p {
                (c.t("在最后安全退订日前 ", "Reminded ")) strong { (days) } (c.t(" 天提醒", " days before the last safe cancel day"))
                " " small.muted { (match r.source { Source::Membership => c.t("（本会员单独设置）", "(set for this membership)"), Source::Config => c.t("（config.toml 默认）", "(config.toml default)"), Source::BuiltIn => c.t("（默认）", "(default)") }) }
            }
            @if !r.reminders.is_empty() {
                ul.plain { @for x in &r.reminders { li { span.date { (x.date) } " · " (c.t("提前 ", "")) (x.days_before) (c.t(" 天", " days before")) } } }
            }
            form.stack.narrow method="post" action={"/memberships/" (id) "/reminders"} {
                (c.csrf_field())
                div.field {
                    label for="days" { (c.t("提前天数（逗号分隔）", "Days before (comma-separated)")) }
                    input type="text" id="days" name="days" inputmode="numeric" value=(days) placeholder="7,1";
                }
                div.actions {
                    button type="submit" { (c.t("保存提醒", "Save reminders")) }
                    @if r.source == Source::Membership {
                        button.secondary type="submit" name="default" value="1" { (c.t("恢复默认", "Back to the default")) }
                    }
                }
            }
        }
    }
}

/// A benefit used.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RedeemForm {
    csrf: String,
    name: String,
}

/// `POST /memberships/{id}/redeem`: one use of a benefit (`edit --redeem NAME`).
pub async fn redeem(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<RedeemForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let change = MembershipChange {
        redeem: vec![f.name],
        ..MembershipChange::new(id, MembershipInput::default())
    };
    state
        .run(lang, move |ctx| change.save(ctx).map(drop))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/memberships/{id}?done=redeemed#benefits")).into_response())
}

/// `POST /memberships/{id}/split`: `member_N` with `share_N` or `fixed_N`, or `clear`
/// (`tuiding split`).
pub async fn split(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(mut f): Form<BTreeMap<String, String>>,
) -> PageResult {
    check_form_token(&headers, f.get("csrf").map_or("", String::as_str)).or_page(lang)?;
    let mut change = SplitChange {
        clear: f.remove("clear").is_some(),
        ..SplitChange::default()
    };
    for i in 0..256 {
        let Some(member) = f.get(&format!("member_{i}")) else {
            break;
        };
        let value = |key: &str| {
            f.get(&format!("{key}_{i}"))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        match (value("fixed"), value("share")) {
            (Some(_), Some(_)) => {
                return Err(crate::pages::PageError::new(
                    crate::error::WebError::bad_field(
                        "share",
                        format!(
                            "{member}: {}",
                            lang.pick(
                                "份额和固定金额只填一个",
                                "give shares or a fixed amount, not both"
                            )
                        ),
                    ),
                    lang,
                ));
            }
            (Some(fixed), None) => change.fixed.push(format!("{member}={fixed}")),
            (None, Some(share)) => change.shares.push(format!("{member}={share}")),
            (None, None) => {}
        }
    }
    if !change.clear && change.fixed.is_empty() && change.shares.is_empty() {
        return Err(crate::pages::PageError::new(
            crate::error::WebError::bad_field(
                "share",
                lang.pick(
                    "至少给一人填份额或固定金额；不分摊请点“不分摊”",
                    "give at least one person shares or a fixed amount, or choose “No split”",
                ),
            ),
            lang,
        ));
    }
    state
        .run(lang, move |ctx| {
            tuiding_app::household::split(ctx, id, &change).map(drop)
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/memberships/{id}?done=split#split")).into_response())
}

/// Reminder lead days.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ReminderForm {
    csrf: String,
    days: String,
    default: String,
}

/// `POST /memberships/{id}/reminders`: its own lead days, or back to the default
/// (`tuiding reminders ID --days 7,1` / `--default`).
pub async fn reminders(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<ReminderForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let change = if !f.default.is_empty() {
        LeadChange::Default
    } else {
        let mut days = Vec::new();
        for part in f
            .days
            .split([',', '，', ' '])
            .filter(|p| !p.trim().is_empty())
        {
            days.push(
                part.trim()
                    .parse::<u32>()
                    .map_err(|_| {
                        crate::error::WebError::bad_field(
                            "days",
                            lang.pick(
                                "提前天数应为逗号分隔的整数，如 7,1",
                                "days must be whole numbers separated by commas, e.g. 7,1",
                            ),
                        )
                    })
                    .or_page(lang)?,
            );
        }
        LeadChange::Days(days)
    };
    state
        .run(lang, move |ctx| {
            reminders::lead_days(ctx, id, &change).map(drop)
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/memberships/{id}?done=reminders#reminders")).into_response())
}
