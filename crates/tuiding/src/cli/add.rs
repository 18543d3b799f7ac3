//! `tuiding add`: put a membership into the ledger (flags, or prompts on a terminal).

use clap::Args;
use tuiding_app::memberships::add;

use super::fields::MembershipFields;
use super::show::print_membership;
use super::{Term, output, prompt};

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding add --platform 爱奇艺 --plan 黄金VIP连续包月 --period month --price 25 \\
              --start 2026-01-31 --auto-renew wechat_pay
  tuiding add --platform 百度网盘 --plan 超级会员 --period year --price ¥258 \\
              --auto-renew alipay --auto-renew in_app:closed:2026-03-01 --category 网盘
  tuiding add --platform 京东 --plan PLUS年卡 --one-time --price 198 --start 2026-06-18 --paid-through 2027-06-17
  tuiding add --platform Keep --plan 会员月卡 --gifted --paid-through 2026-12-31
  tuiding add --platform ChatGPT --plan Plus --period month --price '$20' --auto-renew app_store
  tuiding add --platform 星辰卡盟 --template kameng-annual --start 2026-03-01
  tuiding add --platform 爱奇艺 --period month --price 25 --policy iqiyi.toml
  tuiding add                                      # 在终端中逐项询问 / prompts on a terminal";

/// Add a membership.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AddArgs {
    #[command(flatten)]
    pub fields: MembershipFields,
    /// 退款规则文件（TOML，- 为标准输入）/ The membership's policy file (TOML; - for stdin)
    #[arg(long, value_name = "FILE", conflicts_with = "template")]
    pub policy: Option<String>,
    /// 用目录中的模板：补全未给出的字段并设为规则 / Start from a catalogue template: fills the
    /// fields not given and becomes the policy (`tuiding policy templates` lists them)
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
}

impl AddArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let no_flags =
            self.fields.to_input().is_empty() && self.policy.is_none() && self.template.is_none();
        let mut input = if no_flags && ctx.interactive() && !ctx.json {
            let stdin = std::io::stdin();
            prompt::ask_fields(ctx, &mut stdin.lock(), &mut std::io::stderr())?
        } else {
            self.fields.to_input()
        };
        let policy = match &self.policy {
            Some(file) => Some(super::policy::read_policy_file(ctx, file)?),
            None => None,
        };
        input.template = self.template.clone();
        let id = add::add(ctx, input, policy)?;
        if !ctx.json {
            output::line(format!("{} #{id}", ctx.t("已添加", "Added")))?;
        }
        print_membership(ctx, &tuiding_app::memberships::membership(ctx, id)?)
    }
}
