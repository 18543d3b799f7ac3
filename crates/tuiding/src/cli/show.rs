//! `tuiding show ID`: one membership in full.

use clap::Args;
use tuiding_app::memberships::MembershipView;
use tuiding_app::memberships::labels::{price_label, status_label};
use tuiding_core::{ContractStatus, Lang, Money};

use super::Term;
use super::output::{self, Align, Table};

/// Show one membership.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding show 1\n  tuiding show 1 --json\n  tuiding --today 2026-11-23 show 1"
)]
pub struct ShowArgs {
    /// 会员编号（见 list）/ Membership id (see `list`)
    pub id: i64,
}

impl ShowArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        print_membership(ctx, &tuiding_app::memberships::membership(ctx, self.id)?)
    }
}

/// Prints one membership: the view as JSON, or a readable block.
pub fn print_membership(ctx: &Term, view: &MembershipView) -> anyhow::Result<()> {
    if ctx.json {
        return output::print_json(view);
    }
    output::line(render(ctx, view))
}

fn render(ctx: &Term, view: &MembershipView) -> String {
    let m = &view.membership;
    let lang = ctx.lang;
    let mut lines = Vec::new();
    let title = format!("#{} {} {}", view.id, m.platform, m.plan);
    lines.push(output::paint(
        title.trim_end(),
        Some(output::BOLD),
        ctx.color,
    ));
    let key_width = if lang == Lang::Zh { 10 } else { 16 };
    let mut kv = |k: &str, v: String| lines.push(format!("  {}{v}", output::pad(k, key_width)));
    let label = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    kv(label("价格", "Price"), price_label(m, lang));
    for change in &view.price_history {
        let source = match (change.source, lang) {
            ("charge", Lang::Zh) => "账单",
            ("notice", Lang::Zh) => "通知",
            (_, Lang::Zh) => "修改",
            (s, Lang::En) => s,
        };
        kv(
            label("价格变动", "Price change"),
            format!(
                "{} {} → {}{}",
                change.on,
                change.old,
                change.new,
                output::paren(lang, source)
            ),
        );
    }
    kv(label("状态", "Status"), status_label(view, lang));
    kv(label("开始", "Started"), m.start.to_string());
    if let Some(converts) = m.trial_until {
        kv(
            label("试用", "Trial"),
            match lang {
                Lang::Zh => format!("{} 至 {converts} 转正（首次按价扣费）", m.start),
                Lang::En => format!(
                    "{} until it converts on {converts} (first full charge)",
                    m.start
                ),
            },
        );
    }
    if let Some(p) = m.paid_through {
        kv(label("已付至", "Paid through"), p.to_string());
    }
    if let Some(span) = &view.current_period {
        let days = format!("{} {}", span.days, label("天", "days"));
        kv(
            label("本期", "This period"),
            format!(
                "{} ~ {}{}",
                span.start,
                span.last_day,
                output::paren(lang, &days)
            ),
        );
    }
    if let (Some(date), Some(days)) = (view.next_renewal, view.days_until_renewal) {
        let when = match lang {
            Lang::Zh => format!("{days} 天后"),
            Lang::En => format!("in {days} days"),
        };
        kv(
            label("下次续费", "Next renewal"),
            format!("{date}{}", output::paren(lang, &when)),
        );
    }
    if let Some(end) = view.ends_on {
        kv(label("服务截止", "Service ends"), end.to_string());
    }
    if let (Some(month), Some(year)) = (
        m.monthly_cost().ok().flatten(),
        m.yearly_cost().ok().flatten(),
    ) {
        kv(
            label("折合", "Equivalent"),
            format!(
                "{month}/{} · {year}/{}",
                label("月", "month"),
                label("年", "year")
            ),
        );
    }
    if let Some(c) = &m.category {
        kv(label("类别", "Category"), c.clone());
    }
    if let Some(n) = &m.notes {
        kv(label("备注", "Notes"), n.clone());
    }
    for c in &view.cases {
        let mut story = vec![c.state_label.to_string()];
        if let Some(d) = c.cancelled_on {
            story.push(match lang {
                Lang::Zh => format!("{d} 退订"),
                Lang::En => format!("cancelled {d}"),
            });
        }
        if let Some(amount) = &c.refunded {
            story.push(match (lang, c.refunded_on) {
                (Lang::Zh, Some(d)) => format!("退款 {amount} 于 {d} 到账"),
                (Lang::Zh, None) => format!("退款 {amount} 已到账"),
                (Lang::En, Some(d)) => format!("refund of {amount} received {d}"),
                (Lang::En, None) => format!("refund of {amount} received"),
            });
        }
        let sep = lang.pick("，", ", ");
        lines.push(format!(
            "  {}{}",
            output::pad(&format!("{} #{}", label("案件", "Case"), c.id), key_width),
            story.join(sep)
        ));
    }
    lines.push(String::new());
    lines.push(label("自动续费渠道：", "Auto-renew channels:").to_string());
    if m.auto_renew.is_empty() {
        let none = if m.renews() {
            label(
                "未记录（按可能续费处理）",
                "none recorded (treated as able to renew)",
            )
        } else {
            label("无", "none")
        };
        lines.push(format!("  {none}"));
    } else {
        let mut table = Table::new(
            &[label("渠道", "channel"), label("状态", "status")],
            &[Align::Left, Align::Left],
        );
        for c in &m.auto_renew {
            let status = match c.status {
                ContractStatus::Active => label("生效中", "active").to_string(),
                ContractStatus::Unknown => label("未知", "unknown").to_string(),
                ContractStatus::Closed(on) => format!("{} {on}", label("已关闭", "closed")),
            };
            table.row(vec![c.channel.label(lang).into(), status.into()]);
        }
        lines.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    if !m.benefits.is_empty() {
        lines.push(String::new());
        lines.push(label("权益：", "Benefits:").to_string());
        let mut table = Table::new(
            &[
                label("名称", "name"),
                label("总数", "total"),
                label("已用", "used"),
                label("剩余", "left"),
                label("单价", "unit value"),
            ],
            &[
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
        );
        for b in &m.benefits {
            table.row(vec![
                b.name.clone().into(),
                b.quantity.to_string().into(),
                b.redeemed.to_string().into(),
                b.remaining().to_string().into(),
                b.unit_value
                    .map(|v: Money| v.to_string())
                    .unwrap_or_else(|| "—".into())
                    .into(),
            ]);
        }
        lines.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    lines.join("\n")
}
