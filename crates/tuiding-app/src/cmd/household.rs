//! `tuiding member add|list|rm` and `tuiding split ID`: who in the household pays what.

use clap::{Args, Subcommand};
use serde::Serialize;
use tuiding_core::split::{self, SplitRule};
use tuiding_core::{Lang, Localized};
use tuiding_store::Store;

use crate::context::Ctx;
use crate::error::{Localize, UserError};
use crate::input;
use crate::output;

/// Household members.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding member add 我\n  tuiding member add 小王\n  tuiding member list --json\n  tuiding member rm 小王"
)]
pub struct MemberArgs {
    #[command(subcommand)]
    pub command: MemberCommand,
}

/// What to do with members.
#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// 添加成员 / Add a member
    #[command(after_help = "示例 / Examples:\n  tuiding member add 我\n  tuiding member add 小王")]
    Add {
        /// 名字 / Name
        name: String,
    },
    /// 列出成员 / List members
    #[command(after_help = "示例 / Examples:\n  tuiding member list\n  tuiding member list --json")]
    List,
    /// 删除成员（没有分摊时）/ Remove a member (when no split names them)
    #[command(after_help = "示例 / Examples:\n  tuiding member rm 小王")]
    Rm {
        /// 名字 / Name
        name: String,
    },
}

impl MemberArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let mut store = ctx.open_store()?;
        match &self.command {
            MemberCommand::Add { name } => {
                if name.trim().is_empty() {
                    return Err(UserError::usage(
                        "NAME",
                        ctx.t("名字不能为空", "must not be empty"),
                    ));
                }
                store.add_member(name).localize(ctx.lang)?;
            }
            MemberCommand::Rm { name } => store.remove_member(name).localize(ctx.lang)?,
            MemberCommand::List => {}
        }
        let members = store.members().localize(ctx.lang)?;
        if ctx.json {
            return output::print_json(&members);
        }
        if members.is_empty() {
            return output::line(ctx.t(
                "还没有家庭成员。用 `tuiding member add 名字` 添加。",
                "No household members yet. Add one with `tuiding member add NAME`.",
            ));
        }
        output::line(format!(
            "{}{}",
            ctx.t("家庭成员：", "Household members: "),
            members.join(ctx.t("、", ", "))
        ))
    }
}

/// Split a membership's price.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding split 1 --share 我=1 --share 小王=1 --share 小李=1   # 三人均摊 / three ways\n  tuiding split 2 --fixed 妈妈=10 --share 我=2 --share 弟弟=1 # 妈妈固定 10 元，其余 2:1\n  tuiding split 1                                           # 查看 / show\n  tuiding split 1 --clear\n  tuiding summary --by member"
)]
pub struct SplitArgs {
    /// 会员编号 / Membership id
    pub id: i64,
    /// 按份额 / NAME=SHARES of what the fixed amounts leave
    #[arg(long = "share", value_name = "NAME=N")]
    pub shares: Vec<String>,
    /// 固定金额 / NAME=AMOUNT paid exactly
    #[arg(long = "fixed", value_name = "NAME=AMOUNT")]
    pub fixed: Vec<String>,
    /// 取消分摊 / Remove the split
    #[arg(long, conflicts_with_all = ["shares", "fixed"])]
    pub clear: bool,
}

#[derive(Serialize)]
struct SplitView {
    id: i64,
    price: String,
    currency: &'static str,
    parts: Vec<PartView>,
}

#[derive(Serialize)]
struct PartView {
    member: String,
    /// Shares, when the member takes a share of the rest.
    shares: Option<u32>,
    /// The fixed amount, when the member pays one.
    fixed: Option<String>,
    amount: String,
}

impl SplitArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let mut store = ctx.open_store()?;
        let m = store.membership(self.id).localize(lang)?.membership;
        let currency = m.price.currency();
        let mut rules: Vec<(String, SplitRule)> = Vec::new();
        for spec in &self.fixed {
            let (name, amount) = pair("--fixed", spec, lang)?;
            let money = input::parse_price("--fixed", amount, Some(currency), currency, lang)?;
            rules.push((name, SplitRule::Fixed(money.minor_units())));
        }
        for spec in &self.shares {
            let (name, n) = pair("--share", spec, lang)?;
            let n: u32 = n.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                UserError::usage(
                    "--share",
                    format!(
                        "{spec:?}: {}",
                        ctx.t("份额应为正整数", "shares must be a whole number above 0")
                    ),
                )
            })?;
            rules.push((name, SplitRule::Shares(n)));
        }
        if self.clear {
            store.set_split(self.id, &[]).localize(lang)?;
        } else if !rules.is_empty() {
            // Checked before anything is stored: the parts must add up to the price.
            split::split(m.price, &rules)
                .map_err(|e| UserError::usage("--share/--fixed", e.localized(lang)))?;
            store.set_split(self.id, &rules).localize(lang)?;
        }
        let current = store
            .splits()
            .localize(lang)?
            .into_iter()
            .find(|(id, _)| *id == self.id)
            .map(|(_, s)| s)
            .unwrap_or_default();
        let parts = if current.is_empty() {
            Vec::new()
        } else {
            split::split(m.price, &current).map_err(|e| UserError::failure(e.to_string()))?
        };
        let view = SplitView {
            id: self.id,
            price: m.price.amount_string(),
            currency: currency.code(),
            parts: parts
                .iter()
                .zip(&current)
                .map(|(p, (_, rule))| PartView {
                    member: p.member.clone(),
                    shares: match rule {
                        SplitRule::Shares(n) => Some(*n),
                        SplitRule::Fixed(_) => None,
                    },
                    fixed: match rule {
                        SplitRule::Fixed(f) => {
                            Some(tuiding_core::Money::from_minor(*f, currency).amount_string())
                        }
                        SplitRule::Shares(_) => None,
                    },
                    amount: p.amount.amount_string(),
                })
                .collect(),
        };
        if ctx.json {
            return output::print_json(&view);
        }
        if view.parts.is_empty() {
            return output::line(match lang {
                Lang::Zh => format!(
                    "#{} {} 没有分摊（{} 由一人支付）。",
                    self.id, m.platform, m.price
                ),
                Lang::En => format!(
                    "#{} {} is not shared ({} paid by one person).",
                    self.id, m.platform, m.price
                ),
            });
        }
        let mut lines = vec![match lang {
            Lang::Zh => format!("#{} {} {} 的分摊：", self.id, m.platform, m.price),
            Lang::En => format!("#{} {} {} is split:", self.id, m.platform, m.price),
        }];
        for (p, (_, rule)) in parts.iter().zip(&current) {
            let how = match rule {
                SplitRule::Shares(n) => format!(
                    "{n} {}",
                    ctx.t("份", if *n == 1 { "share" } else { "shares" })
                ),
                SplitRule::Fixed(_) => ctx.t("固定", "fixed").to_string(),
            };
            lines.push(format!(
                "  {}  {}{}",
                p.member,
                p.amount,
                output::paren(lang, &how)
            ));
        }
        output::line(lines.join("\n"))
    }
}

fn pair<'a>(flag: &str, spec: &'a str, lang: Lang) -> anyhow::Result<(String, &'a str)> {
    let (name, value) = spec.split_once('=').ok_or_else(|| {
        UserError::usage(
            flag,
            format!(
                "{spec:?}: {}",
                lang.pick("写成 名字=值", "write it as NAME=VALUE")
            ),
        )
    })?;
    if name.trim().is_empty() {
        return Err(UserError::usage(
            flag,
            format!("{spec:?}: {}", lang.pick("缺少名字", "no name")),
        ));
    }
    Ok((name.trim().to_string(), value))
}
