//! `tuiding remind`: the reminders due today (a last safe cancel day coming up, at each
//! of the membership's lead days), worded for the user, and the channels they go to
//! (`[[notify]]` in `config.toml`). Sending is `tuiding-web`'s job (`notify`); this module
//! says what is due, so the CLI and the server's schedule send the same reminders.

use super::Term;
use super::output;
use clap::Args;
use tuiding_app::error::UserError;

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding remind                 # 发送今天到期的提醒（每个渠道只发一次）/ send what is due, once per channel
  tuiding remind --dry-run       # 只列出，不发送也不记录 / list only; send and record nothing
  # cron，每天 9 点 / cron, daily at 9:00:
  0 9 * * * tuiding remind

渠道在数据目录的 config.toml 中配置 / Channels are set in config.toml in the data dir:
  [[notify]]
  kind = \"ntfy\"                  # webhook | ntfy | bark | wecom | dingtalk | feishu | smtp
  url = \"https://ntfy.sh\"
  topic = \"my-tuiding\"
没有配置渠道时提醒打印到标准输出 / With no channel, reminders are printed to stdout.";

/// Send the reminders due today.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct RemindArgs {
    /// 只列出到期提醒，不发送、不记录 / List what is due; send and record nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `tuiding remind`: sends (or with `--dry-run` lists) the reminders due today; exit 1
/// when a channel failed, so cron reports it.
impl RemindArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let args = self;
        let report = tuiding_notify::run_once(ctx, args.dry_run, true)?;
        if ctx.json {
            output::print_json(&report)?;
        } else if args.dry_run {
            if report.due.is_empty() {
                output::line(ctx.t("今天没有到期的提醒。", "No reminders are due today."))?;
            }
            for r in &report.due {
                output::line(format!("{}\n  {}", r.title, r.text))?;
            }
        } else {
            for s in &report.sent {
                if s.channel == tuiding_notify::STDOUT {
                    output::line(&s.text)?;
                } else {
                    output::line(format!(
                        "{} #{} → {}",
                        ctx.t("已发送", "Sent"),
                        s.membership_id,
                        s.channel
                    ))?;
                }
            }
            if report.sent.is_empty() && report.failed.is_empty() {
                output::line(ctx.t("没有需要发送的提醒。", "Nothing to send."))?;
            }
        }
        if let Some(first) = report.failed.first() {
            return Err(UserError::failure(format!(
                "{} {} ({}): {}",
                report.failed.len(),
                ctx.t(
                    "个提醒发送失败，下次运行会重试",
                    "reminders failed; the next run tries again"
                ),
                first.channel,
                first.error
            )));
        }
        Ok(())
    }
}
