//! `tuiding list`: every membership, one line each.

use clap::Args;
use tuiding_core::{Billing, ContractStatus, Lang, Membership};
use tuiding_store::Store;

use crate::context::Ctx;
use crate::error::Localize;
use crate::output::{self, Align, Cell, Table};
use crate::view::{self, MembershipView};

/// List every membership.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding list\n  tuiding list --json\n  tuiding list --category 视频\n  tuiding --today 2026-11-23 list --lang en"
)]
pub struct ListArgs {
    /// 只列出此类别 / Only this category
    #[arg(long)]
    pub category: Option<String>,
}

impl ListArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let store = ctx.open_store()?;
        let mut stored = ctx.memberships(&store)?;
        if let Some(category) = &self.category {
            stored.retain(|s| s.membership.category.as_deref() == Some(category.trim()));
        }
        let history = store.price_changes().localize(ctx.lang)?;
        let views: Vec<_> = view::views(&stored, ctx.today, ctx.lang)?
            .into_iter()
            .map(|v| v.with_price_history(&history))
            .collect();
        if ctx.json {
            return output::print_json(&views);
        }
        if views.is_empty() {
            return output::line(ctx.t(
                "账本是空的。用 `tuiding add` 添加会员，或运行 `tuiding demo` 看看示例。",
                "The ledger is empty. Add a membership with `tuiding add`, or run `tuiding demo` to see an example.",
            ));
        }
        let members: Vec<&Membership> = stored.iter().map(|s| &s.membership).collect();
        output::line(table(ctx, &members, &views).render(ctx.color).trim_end())?;
        output::line(match ctx.lang {
            Lang::Zh => format!("共 {} 个会员（今天 {}）", views.len(), ctx.today),
            Lang::En => format!("{} memberships (today {})", views.len(), ctx.today),
        })
    }
}

fn table(ctx: &Ctx, members: &[&Membership], views: &[MembershipView]) -> Table {
    let lang = ctx.lang;
    let mut table = Table::new(
        &[
            lang.pick("编号", "id"),
            lang.pick("平台", "platform"),
            lang.pick("套餐", "plan"),
            lang.pick("价格", "price"),
            lang.pick("下次续费/到期", "renews/ends"),
            lang.pick("天数", "days"),
            lang.pick("自动续费", "auto-renew"),
            lang.pick("月均", "monthly"),
        ],
        &[
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
        ],
    );
    for (m, v) in members.iter().zip(views) {
        let (when, days) = key_date(v, ctx);
        let urgency = days.and_then(|d| match d {
            0..=3 => Some(output::RED),
            4..=7 => Some(output::YELLOW),
            _ => None,
        });
        let dim = matches!(v.status, "ended").then_some(output::DIM);
        let monthly = match m.monthly_cost() {
            Ok(Some(cost)) if m.renews() => cost.to_string(),
            _ => "—".to_string(),
        };
        table.row(vec![
            Cell::styled(v.id.to_string(), dim),
            Cell::styled(m.platform.clone(), dim),
            Cell::styled(m.plan.clone(), dim),
            Cell::styled(price_label(m, lang), dim),
            Cell::styled(when, dim.or(urgency)),
            Cell::styled(
                days.map(|d| d.to_string()).unwrap_or_default(),
                dim.or(urgency),
            ),
            Cell::styled(channels_label(m, lang), dim),
            Cell::styled(monthly, dim),
        ]);
    }
    table
}

/// The next key date as text, and the days until it.
fn key_date(v: &MembershipView, ctx: &Ctx) -> (String, Option<i64>) {
    let days_to = |d: jiff::civil::Date| tuiding_core::membership::days_between(ctx.today, d);
    match (v.next_renewal, v.ends_on, v.status) {
        (Some(date), _, _) => (date.to_string(), v.days_until_renewal),
        (None, _, "upcoming") => (
            format!("{} {}", ctx.t("开始于", "starts"), v.start),
            Some(days_to(v.start)),
        ),
        (None, Some(end), "ending") => (
            format!("{} {end}", ctx.t("到期", "ends")),
            Some(days_to(end)),
        ),
        (None, Some(end), _) => (format!("{} {end}", ctx.t("已结束", "ended")), None),
        (None, None, _) => (ctx.t("已结束", "ended").to_string(), None),
    }
}

/// `¥25.00/月`, `¥198.00 买断`, `赠送`.
pub fn price_label(m: &Membership, lang: Lang) -> String {
    match m.billing {
        Billing::Periodic(period) => format!("{}/{}", m.price, period.label(lang)),
        Billing::OneTime => format!("{} {}", m.price, lang.pick("买断", "once")),
        Billing::Gifted if m.price.is_zero() => lang.pick("赠送", "gifted").to_string(),
        Billing::Gifted => format!("{} {}", m.price, lang.pick("赠送", "gifted")),
    }
}

/// Channels that can still charge: `微信支付, 支付宝?` (a `?` marks unknown).
pub fn channels_label(m: &Membership, lang: Lang) -> String {
    let open: Vec<String> = m
        .auto_renew
        .iter()
        .filter_map(|c| match c.status {
            ContractStatus::Active => Some(c.channel.label(lang).to_string()),
            ContractStatus::Unknown => Some(format!("{}?", c.channel.label(lang))),
            ContractStatus::Closed(_) => None,
        })
        .collect();
    match (open.is_empty(), m.auto_renew.is_empty()) {
        (false, _) => open.join(", "),
        (true, true) => "—".into(),
        (true, false) => lang.pick("已全部关闭", "all closed").into(),
    }
}

/// The status in words, with its date.
pub fn status_label(v: &MembershipView, lang: Lang) -> String {
    match (v.status, v.ends_on) {
        ("active", _) => lang.pick("续费中", "renewing").into(),
        ("trial", _) => match v.trial_until {
            Some(day) => match lang {
                Lang::Zh => format!("试用中，{day} 转正扣费"),
                Lang::En => format!("trial; converts on {day}"),
            },
            None => lang.pick("试用中", "trial").into(),
        },
        ("upcoming", _) => lang.pick("未开始", "not started").into(),
        ("ending", Some(end)) => format!(
            "{} {end}",
            lang.pick("不再续费，服务至", "will not renew; service until")
        ),
        ("ended", Some(end)) => format!("{} {end}", lang.pick("已结束于", "ended on")),
        _ => lang
            .pick("已结束（无到期日）", "ended (no end date known)")
            .into(),
    }
}
