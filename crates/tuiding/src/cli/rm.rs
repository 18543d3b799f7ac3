//! `tuiding rm ID`: remove a membership (asks first on a terminal unless `--yes`).

use super::Term;
use super::output;
use clap::Args;
use serde::Serialize;
use std::io::{BufRead, Write};
use tuiding_app::error::UserError;
use tuiding_app::memberships::MembershipView;

/// Remove a membership.
#[derive(Debug, Args)]
#[command(after_help = "示例 / Examples:\n  tuiding rm 3\n  tuiding rm 3 --yes --json")]
pub struct RmArgs {
    /// 会员编号 / Membership id
    pub id: i64,
    /// 不再确认 / Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Serialize)]
struct Removed {
    removed: MembershipView,
}

impl RmArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let shown = tuiding_app::memberships::membership(ctx, self.id)?;
        let m = &shown.membership;
        if !self.yes && ctx.interactive() && !ctx.json {
            let mut err = std::io::stderr();
            write!(
                err,
                "{} #{} {} {}? [y/N] ",
                ctx.t("删除", "Remove"),
                self.id,
                m.platform,
                m.plan
            )?;
            err.flush()?;
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes" | "是") {
                return Err(UserError::failure(
                    ctx.t("已取消，未删除任何内容", "cancelled; nothing was removed"),
                ));
            }
        }
        tuiding_app::memberships::edit::remove(ctx, self.id)?;
        if ctx.json {
            return output::print_json(&Removed { removed: shown });
        }
        output::line(
            format!(
                "{} #{} {} {}",
                ctx.t("已删除", "Removed"),
                self.id,
                m.platform,
                m.plan
            )
            .trim_end(),
        )
    }
}
