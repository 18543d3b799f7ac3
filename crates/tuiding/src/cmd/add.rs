//! `tuiding add`: put a membership into the ledger (flags, or prompts on a terminal).

use clap::Args;
use tuiding_store::Store;

use crate::cmd::fields::MembershipFields;
use crate::cmd::show::print_membership;
use crate::context::Ctx;
use crate::error::Localize;
use crate::prompt;

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding add --platform 爱奇艺 --plan 黄金VIP连续包月 --period month --price 25 \\
              --start 2026-01-31 --auto-renew wechat_pay
  tuiding add --platform 百度网盘 --plan 超级会员 --period year --price ¥258 \\
              --auto-renew alipay --auto-renew in_app:closed:2026-03-01 --category 网盘
  tuiding add --platform 京东 --plan PLUS年卡 --one-time --price 198 --start 2026-06-18 --paid-through 2027-06-17
  tuiding add --platform Keep --plan 会员月卡 --gifted --paid-through 2026-12-31
  tuiding add --platform ChatGPT --plan Plus --period month --price '$20' --auto-renew app_store
  tuiding add                                      # 在终端中逐项询问 / prompts on a terminal";

/// Add a membership.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AddArgs {
    #[command(flatten)]
    pub fields: MembershipFields,
}

impl AddArgs {
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let fields = if self.fields.is_empty() && ctx.interactive() && !ctx.json {
            let stdin = std::io::stdin();
            prompt::ask_fields(ctx, &mut stdin.lock(), &mut std::io::stderr())?
        } else {
            self.fields.clone()
        };
        // Validate everything before touching the database.
        let membership = fields.to_new_membership(ctx)?;
        let mut store = ctx.open_store()?;
        let id = store.add_membership(&membership).localize(ctx.lang)?;
        let stored = store.membership(id).localize(ctx.lang)?;
        if !ctx.json {
            crate::output::line(format!("{} #{id}", ctx.t("已添加", "Added")))?;
        }
        print_membership(ctx, &stored)
    }
}
