//! `tuiding add`: put a membership into the ledger (flags, or prompts on a terminal).

use clap::Args;
use tuiding_core::policy::{PlanTemplate, Policy};
use tuiding_store::{PolicyInput, Store};

use crate::cmd::policy::{read_policy_file, template_text};

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
    pub fn run(&self, ctx: &Ctx) -> anyhow::Result<()> {
        let no_flags = self.fields.is_empty() && self.policy.is_none() && self.template.is_none();
        let fields = if no_flags && ctx.interactive() && !ctx.json {
            let stdin = std::io::stdin();
            prompt::ask_fields(ctx, &mut stdin.lock(), &mut std::io::stderr())?
        } else {
            self.fields.clone()
        };
        let policy = match &self.policy {
            Some(file) => Some(read_policy_file(ctx, file)?),
            None => None,
        };
        let id = add(ctx, fields, policy, self.template.as_deref())?;
        let store = ctx.open_store()?;
        let stored = store.membership(id).localize(ctx.lang)?;
        if !ctx.json {
            crate::output::line(format!("{} #{id}", ctx.t("已添加", "Added")))?;
        }
        print_membership(ctx, &store, &stored)
    }
}

/// Adds a membership from its fields, with a policy (text, origin) or a catalogue
/// template that fills the fields not given; everything is checked before anything is
/// written. Returns the new id.
pub fn add(
    ctx: &Ctx,
    mut fields: MembershipFields,
    policy: Option<(String, String)>,
    template: Option<&str>,
) -> anyhow::Result<i64> {
    let policy = match (policy, template) {
        (Some(policy), _) => Some(policy),
        (None, Some(name)) => {
            let (text, origin) = template_text(ctx, name)?;
            let template = Policy::from_toml(&text).localize(ctx.lang)?;
            if let Some(plan) = &template.plan {
                fill_from_template(&mut fields, plan);
            }
            Some((text, origin))
        }
        (None, None) => None,
    };
    let membership = fields.to_new_membership(ctx)?;
    let mut store = ctx.open_store()?;
    let input = policy
        .as_ref()
        .map(|(text, origin)| PolicyInput { text, origin });
    store
        .add_membership_with_policy(&membership, input)
        .localize(ctx.lang)
}

/// Fills the fields the user did not give from a template's `[plan]` table.
fn fill_from_template(fields: &mut MembershipFields, plan: &PlanTemplate) {
    let no_billing = fields.period.is_none() && !fields.one_time && !fields.gifted;
    if no_billing {
        match plan.billing.as_deref() {
            Some("one_time") => fields.one_time = true,
            Some("gifted") => fields.gifted = true,
            _ => fields.period = plan.period.map(|p| p.to_string()),
        }
    }
    if fields.platform.is_none() {
        fields.platform.clone_from(&plan.platform);
    }
    if fields.plan.is_none() {
        fields.plan.clone_from(&plan.plan);
    }
    if fields.price.is_none() {
        fields.price = plan.price.as_ref().map(|p| p.as_str().to_string());
    }
    if fields.currency.is_none() {
        fields.currency = plan.currency.map(|c| c.code().to_string());
    }
    if fields.auto_renew.is_empty() {
        fields.auto_renew = plan
            .auto_renew
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
    }
    if fields.category.is_none() {
        fields.category.clone_from(&plan.category);
    }
}
