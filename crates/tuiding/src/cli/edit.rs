//! `tuiding edit ID`: change fields, channels and benefits of one membership.

use clap::Args;
use tuiding_app::memberships::edit::MembershipChange;

use super::Term;
use super::fields::MembershipFields;
use super::show::print_membership;

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding edit 1 --price 30                         # 涨价 / a price rise
  tuiding edit 1 --close wechat_pay                 # 已在微信支付解约（今天）/ closed today
  tuiding edit 1 --close in_app:2026-11-20 --auto-renew alipay:unknown
  tuiding edit 2 --benefit 观影券:4:15:2 --redeem 观影券
  tuiding edit 3 --category 网盘 --notes '家庭共享'
  tuiding edit 3 --paid-through none                # 清除已付至日期 / clear it";

/// Change a membership.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct EditArgs {
    /// 会员编号 / Membership id
    pub id: i64,
    #[command(flatten)]
    pub fields: MembershipFields,
    /// 关闭某渠道的自动续费 / Record that a channel's auto-renewal was closed: CHANNEL[:DATE] [default date: today]
    #[arg(long, value_name = "CHANNEL[:DATE]")]
    pub close: Vec<String>,
    /// 删除某渠道的记录 / Forget a channel entirely (it was recorded by mistake)
    #[arg(long, value_name = "CHANNEL")]
    pub drop_channel: Vec<String>,
    /// 记一次权益使用 / Count benefit uses: NAME[:N] [default N: 1]
    #[arg(long, value_name = "NAME[:N]")]
    pub redeem: Vec<String>,
    /// 删除权益 / Remove a benefit by name
    #[arg(long, value_name = "NAME")]
    pub drop_benefit: Vec<String>,
    /// 价格变动的来源 / Where a new --price was seen: edit, or notice (a renewal or price notice)
    #[arg(long, value_name = "edit|notice", default_value = "edit", value_parser = ["edit", "notice"])]
    pub price_source: String,
    /// 新价格生效日 / The day a new --price takes effect [default: today]
    #[arg(long, value_name = "DATE")]
    pub price_on: Option<String>,
}

impl EditArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let change = MembershipChange {
            close: self.close.clone(),
            drop_channel: self.drop_channel.clone(),
            redeem: self.redeem.clone(),
            drop_benefit: self.drop_benefit.clone(),
            price_source: self.price_source.clone(),
            price_on: self.price_on.clone(),
            ..MembershipChange::new(self.id, self.fields.to_input())
        };
        let updated = change.save(ctx)?;
        if !ctx.json {
            super::output::line(format!("{} #{}", ctx.t("已更新", "Updated"), self.id))?;
        }
        match updated {
            Some(view) => print_membership(ctx, &view),
            // Saved, but its figures cannot be computed (a value out of range).
            None => Ok(()),
        }
    }
}
