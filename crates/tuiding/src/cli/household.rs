//! `tuiding member add|list|rm` and `tuiding split ID`: who in the household pays what.

use clap::{Args, Subcommand};
use tuiding_app::household::{self, *};
use tuiding_core::Lang;

use super::{Term, output};

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
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let members = match &self.command {
            MemberCommand::Add { name } => household::add_member(ctx, name)?,
            MemberCommand::Rm { name } => household::remove_member(ctx, name)?,
            MemberCommand::List => household::members(ctx)?,
        };
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

impl SplitArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let change = SplitChange {
            fixed: self.fixed.clone(),
            shares: self.shares.clone(),
            clear: self.clear,
        };
        let view = household::split(ctx, self.id, &change)?;
        if ctx.json {
            return output::print_json(&view);
        }
        if view.parts.is_empty() {
            return output::line(match lang {
                Lang::Zh => format!(
                    "#{} {} 没有分摊（{} 由一人支付）。",
                    self.id, view.platform, view.price_money
                ),
                Lang::En => format!(
                    "#{} {} is not shared ({} paid by one person).",
                    self.id, view.platform, view.price_money
                ),
            });
        }
        let mut lines = vec![match lang {
            Lang::Zh => format!(
                "#{} {} {} 的分摊：",
                self.id, view.platform, view.price_money
            ),
            Lang::En => format!(
                "#{} {} {} is split:",
                self.id, view.platform, view.price_money
            ),
        }];
        for p in &view.parts {
            let how = match p.shares {
                Some(n) => format!(
                    "{n} {}",
                    ctx.t("份", if n == 1 { "share" } else { "shares" })
                ),
                None => ctx.t("固定", "fixed").to_string(),
            };
            lines.push(format!(
                "  {}  {}{}",
                p.member,
                p.amount_money,
                output::paren(lang, &how)
            ));
        }
        output::line(lines.join("\n"))
    }
}
