//! `tuiding check ID [--on DATE]`: the rule check (规则体检) before touching any button.

use super::Term;
use super::output::{self, Table};
use clap::Args;
use tuiding_app::check::*;
use tuiding_app::input;
use tuiding_app::memberships::labels::price_label;
use tuiding_core::checkup::Intent;
use tuiding_core::{ContractStatus, Lang};

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding check 1                      # 今天退订会怎样 / cancelling today
  tuiding check 1 --on 2026-12-15      # 换一天算 / cancelling on another day
  tuiding check 1 --leaving            # 已决定不再使用 / you are leaving for good
  tuiding check 1 --staying            # 还在用 / you still use it
  tuiding check 1 --json
  tuiding --lang en check 1";

/// The rule check.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// 会员编号 / Membership id
    pub id: i64,
    /// 按哪天退订计算 / The day to cancel on [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// 已决定不再使用：剩余服务按 0 计 / You are leaving: the service left is worth nothing to you
    #[arg(long, conflicts_with = "staying")]
    pub leaving: bool,
    /// 还在使用：剩余服务按天折算 / You still use it: the service left is worth its pro-rata price
    #[arg(long)]
    pub staying: bool,
}

impl CheckArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let on = match &self.on {
            Some(text) => input::parse_date("--on", text, ctx.lang)?,
            None => ctx.today,
        };
        let intent = self.intent(ctx)?;
        let (membership, view) = check_view(ctx, self.id, on, intent)?;
        if ctx.json {
            return output::print_json(&view);
        }
        output::line(render(ctx, &membership, &view))
    }
}

impl CheckArgs {
    /// The intent from the flags, or asked on a terminal.
    fn intent(&self, ctx: &Term) -> anyhow::Result<Intent> {
        if self.leaving {
            return Ok(Intent::Leaving);
        }
        if self.staying {
            return Ok(Intent::Staying);
        }
        if ctx.json || !ctx.interactive() {
            return Ok(Intent::Undecided);
        }
        use std::io::{BufRead, Write};
        let mut err = std::io::stderr();
        write!(
            err,
            "{}",
            ctx.t(
                "你以后还会用这个会员吗？[1] 不用了，要离开  [2] 还在用  [回车] 不确定：",
                "Will you still use this membership? [1] no, I am leaving  [2] yes  [Enter] not sure: "
            )
        )?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(parse_intent(&answer))
    }
}

fn render(ctx: &Term, m: &tuiding_core::Membership, v: &CheckView) -> String {
    let lang = ctx.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = Vec::new();
    let title = match lang {
        Lang::Zh => format!(
            "规则体检 #{} {} {}（按 {} 退订计算）",
            v.id, v.platform, v.plan, v.on
        ),
        Lang::En => format!(
            "Rule check #{} {} {} (cancelling on {})",
            v.id, v.platform, v.plan, v.on
        ),
    };
    out.push(output::paint(&title, Some(output::BOLD), ctx.color));
    let width = if lang == Lang::Zh { 16 } else { 22 };
    let mut kv = |k: &str, val: String| out.push(format!("  {}{val}", output::pad(k, width)));
    kv(t("计费", "Billing"), price_label(m, lang));
    if let Some(p) = &v.current_period {
        let days = format!("{} {}", p.days, t("天", "days"));
        kv(
            t("本期", "This period"),
            format!("{} ~ {}{}", p.start, p.last_day, output::paren(lang, &days)),
        );
    }
    kv(
        t("下次续费", "Next renewal"),
        v.next_renewal.map_or_else(
            || t("不会续费", "does not renew").to_string(),
            |d| d.to_string(),
        ),
    );
    if let Some(last) = v.last_safe_cancel_day {
        let cutoff = if v.cancel_cutoff_hours > 0 {
            match lang {
                Lang::Zh => format!("（需提前 {} 小时）", v.cancel_cutoff_hours),
                Lang::En => format!(" ({} h cut-off)", v.cancel_cutoff_hours),
            }
        } else {
            String::new()
        };
        kv(
            t("最后安全退订日", "Last safe cancel day"),
            format!("{last}{cutoff}"),
        );
    }
    if let Some(origin) = &v.policy_origin {
        kv(t("规则来源", "Policy from"), origin.clone());
    }

    out.push(String::new());
    out.push(t("需要关闭的自动续费渠道：", "Auto-renew channels to close:").to_string());
    if v.channels_to_close.is_empty() {
        out.push(format!("  {}", t("无", "none")));
    }
    for ch in &m.auto_renew {
        if let Some(view) = v
            .channels_to_close
            .iter()
            .find(|c| c.channel == ch.channel.as_str())
        {
            let status = match ch.status {
                ContractStatus::Unknown => t("状态未知", "status unknown"),
                _ => t("生效中", "active"),
            };
            out.push(format!(
                "  • {}{}{}{}",
                ch.channel.label(lang),
                output::paren(lang, status),
                output::colon(lang),
                view.how
            ));
        }
    }

    out.push(String::new());
    match &v.refund {
        Some(r) => {
            out.push(output::paint(
                &format!("{}{}", t("退款：", "Refund: "), r.display),
                Some(output::BOLD),
                ctx.color,
            ));
            out.extend(r.lines.iter().map(|l| format!("  {l}")));
            for c in &r.clauses {
                out.push(format!(
                    "  {} {}{}「{}」",
                    t("依据", "clause"),
                    c.key,
                    output::colon(lang),
                    c.quote
                ));
            }
        }
        None => out.push(format!(
            "{}{}",
            t("退款：", "Refund: "),
            t(
                "无法计算（见下方缺少的信息）",
                "cannot be computed (see the missing facts below)"
            )
        )),
    }
    if v.readings.len() > 1 {
        out.push(String::new());
        out.push(
            t(
                "退款条款有两种以上理解（按对你有利的主张，《民法典》第四百九十八条）：",
                "The refund clause reads more than one way (claim the one that favours you, Civil Code art. 498):",
            )
            .to_string(),
        );
        for r in &v.readings {
            let mark = if r.claimed {
                t("  ← 主张", "  ← claimed")
            } else {
                ""
            };
            out.push(format!(
                "  • {}{}{}{}{mark}",
                r.label,
                output::colon(lang),
                v.currency_symbol(),
                r.amount
            ));
        }
    }
    if !v.refund_curve.is_empty() {
        out.push(String::new());
        out.push(t("退款随退订日变化：", "The refund by cancel day:").to_string());
        let mut table = Table::new(
            &[t("日期", "date"), t("可退", "refund"), ""],
            &[
                output::Align::Left,
                output::Align::Right,
                output::Align::Left,
            ],
        );
        for p in &v.refund_curve {
            let note = match p.label {
                "today" => t("今天", "today"),
                "last_safe_day" => t("最后安全退订日", "last safe cancel day"),
                "zero" => t("从这天起为 0", "zero from this day"),
                "period_end" => t("本期最后一天", "period's last day"),
                _ => "",
            };
            table.row(vec![
                p.date.to_string().into(),
                format!("{}{}", v.currency_symbol(), p.amount).into(),
                note.into(),
            ]);
        }
        out.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    if !v.voided_benefits.is_empty() {
        out.push(String::new());
        out.push(t("退订会作废的权益：", "Benefits that cancelling voids:").to_string());
        let mut table = Table::new(
            &[t("名称", "name"), t("剩余", "left"), t("价值", "value")],
            &[
                output::Align::Left,
                output::Align::Right,
                output::Align::Right,
            ],
        );
        for b in &v.voided_benefits {
            let value = b.display.clone().unwrap_or_else(|| "—".to_string());
            table.row(vec![
                b.name.clone().into(),
                b.remaining.to_string().into(),
                value.into(),
            ]);
        }
        out.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    if let Some(eta) = &v.refund_eta {
        out.push(String::new());
        let window = match (eta.earliest, eta.latest) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} ~ {b}"),
            _ => t("未说明", "not stated").to_string(),
        };
        let overdue = eta
            .overdue_after
            .map_or_else(|| t("未说明", "not stated").to_string(), |d| d.to_string());
        out.push(match lang {
            Lang::Zh => format!("退款到账：{window}（{} 申请，按工作日计，已含节假日与调休）；超过 {overdue} 仍未到账即为逾期。", eta.requested_on),
            Lang::En => format!("Refund expected: {window} (requested {}, in working days, holidays and adjusted workdays respected); overdue after {overdue}.", eta.requested_on),
        });
    }
    for (title, list, style) in [
        (t("⚠ 警告", "⚠ Warnings"), &v.warnings, Some(output::RED)),
        (t("风险", "Risks"), &v.risks, Some(output::YELLOW)),
        (t("缺少的信息", "Missing facts"), &v.missing_facts, None),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push(String::new());
        out.push(output::paint(title, style, ctx.color));
        out.extend(list.iter().map(|n| format!("  • {}", n.message)));
    }
    if !v.options.is_empty() {
        out.push(String::new());
        let intent = match v.intent {
            "leaving" => t(
                "（按你已决定离开计：剩余服务按 0 计）",
                " (for someone leaving: the service left counts as 0)",
            ),
            "staying" => t(
                "（按你还在使用计：剩余服务按天折算）",
                " (for someone still using it: the service left at its pro-rata price)",
            ),
            _ => t(
                "（剩余服务按天折算；已决定离开请加 --leaving）",
                " (the service left at its pro-rata price; add --leaving if you are leaving)",
            ),
        };
        out.push(format!("{}{intent}", t("你的选择", "Your options")));
        let mut table = Table::new(
            &[
                t("选择", "option"),
                t("现金", "cash"),
                t("可用价值", "usable"),
                t("后续扣费", "charges"),
                t("净得", "net"),
                t("截止", "by"),
            ],
            &[
                output::Align::Left,
                output::Align::Right,
                output::Align::Right,
                output::Align::Right,
                output::Align::Right,
                output::Align::Left,
            ],
        );
        let sym = v.currency_symbol();
        for o in &v.options {
            let cash = if o.cash_known {
                format!("{sym}{}", o.cash)
            } else {
                format!("{} ?", t("未知", "unknown"))
            };
            table.row(vec![
                o.label.into(),
                cash.into(),
                format!("{sym}{}", o.usable_value).into(),
                format!("{sym}{}", o.further_charges).into(),
                format!("{sym}{}", o.net).into(),
                o.by.map_or("—".to_string(), |d| d.to_string()).into(),
            ]);
        }
        out.extend(table.render(ctx.color).lines().map(|l| format!("  {l}")));
    }
    out.push(String::new());
    let action = advice_label(v.advice.action, lang);
    let advice = format!(
        "{}{action}{}",
        t("建议：", "Advice: "),
        output::paren(lang, v.advice.action)
    );
    out.push(output::paint(&advice, Some(output::BOLD), ctx.color));
    out.extend(v.advice.reasons.iter().map(|r| format!("  • {r}")));
    out.join("\n")
}
