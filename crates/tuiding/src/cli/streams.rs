//! `tuiding streams`: recurring streams in everything imported, with alerts for charges
//! made after cancellation and extra charges to claim back; `streams adopt ID` makes one a
//! membership (or, with `--into M`, links it to membership M already in the ledger),
//! `streams dismiss ID` hides it for good. A stream's id is derived from what it is, so it
//! never names another stream; the listing's numbers stay a convenience that a dismissal
//! does not shift.

use super::Term;
use super::output::{self, Align, Cell, Table};
use super::show::print_membership;
use clap::{Args, Subcommand};
use tuiding_app::bills::scan::frequency_label;
use tuiding_app::bills::streams::{self, *};
use tuiding_core::Lang;

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding streams                       # 识别出的周期扣费 / the recurring streams
  tuiding streams adopt 3fa1c09b2e44    # 按编号（id）记为会员 / make a stream a membership
  tuiding streams adopt 3fa1 --into 2   # 关联到已有的会员 #2 / link it to membership #2
  tuiding streams dismiss 9c0d          # 不是订阅，不再显示 / not a subscription: never show it again
  tuiding streams --json";

/// Recurring streams over everything imported.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct StreamsArgs {
    #[command(subcommand)]
    pub action: Option<StreamsAction>,
}

/// What to do with a stream.
#[derive(Debug, Subcommand)]
pub enum StreamsAction {
    /// 记为会员 / Create a membership from a stream, or link it to one (`--into`)
    #[command(
        after_help = "示例 / Examples:\n  tuiding streams                        # 先看列表 / list them first\n  tuiding streams adopt 2 --category 视频\n  tuiding streams adopt 9c0d --into 5     # 关联到已有会员 #5 / link to membership 5\n  tuiding streams adopt 9c0d --new"
    )]
    Adopt {
        /// 周期扣费的 id（或其前 4 位以上；也可用列表里的序号）/ The stream's id (or 4+ leading characters; the listing's number also works)
        stream: String,
        /// 类别 / Category for the new membership
        #[arg(long)]
        category: Option<String>,
        /// 关联到已有会员，不新建 / Link it to this membership instead of creating one
        #[arg(long, value_name = "MEMBERSHIP", conflicts_with_all = ["category", "new"])]
        into: Option<i64>,
        /// 即使像是已有会员，也新建一个 / Create a new membership even if one seems to match
        #[arg(long)]
        new: bool,
    },
    /// 不是订阅 / Remember that a stream is not a subscription
    #[command(
        after_help = "示例 / Examples:\n  tuiding streams dismiss 9c0d\n  tuiding streams dismiss 3"
    )]
    Dismiss {
        /// 周期扣费的 id（或列表里的序号）/ The stream's id (or the listing's number)
        stream: String,
    },
}

impl StreamsArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        match &self.action {
            None => list(ctx),
            Some(StreamsAction::Adopt {
                stream,
                category,
                into,
                new,
            }) => {
                let which = StreamRef::parse(stream);
                let adoption = streams::adopt(ctx, &which, category.clone(), None, *into, *new)?;
                if !ctx.json {
                    output::line(match adoption {
                        Adoption::Created(id) => {
                            format!("{} #{id}", ctx.t("已记为会员", "Adopted as membership"))
                        }
                        Adoption::Linked(id) => {
                            format!("{} #{id}", ctx.t("已关联到会员", "Linked to membership"))
                        }
                    })?;
                }
                let id = adoption.id();
                print_membership(ctx, &tuiding_app::memberships::membership(ctx, id)?)
            }
            Some(StreamsAction::Dismiss { stream }) => {
                let gone = streams::dismiss(ctx, &StreamRef::parse(stream), None)?;
                if ctx.json {
                    return output::print_json(&gone);
                }
                output::line(match ctx.lang {
                    Lang::Zh => format!(
                        "已忽略 {}（{}，{}），以后不再显示",
                        gone.merchant, gone.description, gone.id
                    ),
                    Lang::En => format!(
                        "Dismissed {} ({}, {}); it will not be shown again",
                        gone.merchant, gone.description, gone.id
                    ),
                })
            }
        }
    }
}

fn list(ctx: &Term) -> anyhow::Result<()> {
    let report = streams::report(ctx)?;
    if ctx.json {
        return output::print_json(&report);
    }
    let lang = ctx.lang;
    if report.transactions_stored == 0 {
        return output::line(ctx.t(
            "还没有导入账单。用 `tuiding import 账单.csv` 导入支付宝或微信支付账单。",
            "No bills imported yet. Import an Alipay or WeChat Pay export with `tuiding import FILE`.",
        ));
    }
    let mut out = vec![match lang {
        Lang::Zh => format!(
            "已导入 {} 笔交易，截至 {}：",
            report.transactions_stored, report.as_of
        ),
        Lang::En => format!(
            "{} transactions imported, as of {}:",
            report.transactions_stored, report.as_of
        ),
    }];
    let mut table = Table::new(
        &[
            lang.pick("序号", "#"),
            "id",
            lang.pick("商户", "merchant"),
            lang.pick("项目", "item"),
            lang.pick("周期", "every"),
            lang.pick("最近金额", "last"),
            lang.pick("最近扣费", "last date"),
            lang.pick("下次", "next"),
            lang.pick("状态", "status"),
            lang.pick("会员", "membership"),
        ],
        &[
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
    );
    for listed in &report.streams {
        let s = &listed.stream;
        let active = listed.stream.status == "active";
        let dim = (!active).then_some(output::DIM);
        let mut row = vec![
            Cell::styled(listed.number.to_string(), dim),
            Cell::styled(s.id.clone(), dim),
            Cell::styled(s.merchant.clone(), dim),
            Cell::styled(s.description.clone(), dim),
            Cell::styled(frequency_label(listed.stream.frequency, lang), dim),
            Cell::styled(s.last_display.clone(), dim),
            Cell::styled(s.last_date.to_string(), dim),
        ];
        row.extend(super::scan::next_and_state(s.next_date, active, lang, dim));
        row.push(Cell::styled(
            match (listed.membership_id, listed.matches_membership) {
                (Some(id), _) => format!("#{id}"),
                (None, Some(id)) => format!("{}#{id}", lang.pick("像 ", "like ")),
                (None, None) => String::new(),
            },
            dim,
        ));
        table.row(row);
    }
    out.push(table.render(ctx.color).trim_end().to_string());
    let duplicates = super::scan::duplicates_text(ctx, &report.duplicate_charges);
    if !duplicates.is_empty() {
        out.push(duplicates.trim_start_matches('\n').to_string());
    }
    if !report.alerts.is_empty() {
        out.push(String::new());
        out.push(output::paint(
            lang.pick(
                "⚠ 退订后仍被扣费（可作为证据）：",
                "⚠ Charged after cancellation (evidence):",
            ),
            Some(output::RED),
            ctx.color,
        ));
        for a in &report.alerts {
            out.push(match lang {
                Lang::Zh => format!(
                    "  #{} {}：{} 扣款 {}（经 {}，该渠道已于 {} 关闭），账单行：{} 第 {} 行，交易号 {}",
                    a.membership_id, a.platform, a.date, a.display, a.channel_label, a.closed_on, a.source, a.line, a.source_id
                ),
                Lang::En => format!(
                    "  #{} {}: {} charged {} via {} (closed {}); bill row: {} line {}, id {}",
                    a.membership_id, a.platform, a.date, a.display, a.channel_label, a.closed_on, a.source, a.line, a.source_id
                ),
            });
        }
    }
    out.push(String::new());
    out.push(ctx.t(
        "`tuiding streams adopt ID` 记为会员（像已有会员的用 `--into 会员编号` 关联）；`tuiding streams dismiss ID` 忽略。",
        "`tuiding streams adopt ID` makes one a membership (link one that looks like a membership with `--into M`); `tuiding streams dismiss ID` hides it.",
    ).to_string());
    output::line(out.join("\n"))
}
