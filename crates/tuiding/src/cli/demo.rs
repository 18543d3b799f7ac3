//! `tuiding demo`: a demo data directory with realistic memberships, then the overview.

use std::path::Path;
use tuiding_app::demo;

use clap::Args;
use tuiding_core::Lang;

use super::{Term, output};

/// Fill a demo data dir and show the overview.
#[derive(Debug, Args)]
#[command(
    after_help = "示例 / Examples:\n  tuiding demo\n  tuiding demo --json\n  tuiding --data-dir /tmp/my-demo --today 2026-11-23 demo\n\n演示数据默认写入系统临时目录下的 tuiding-demo，绝不会碰你的真实账本。\nThe demo writes to tuiding-demo in the system's temp dir by default, never to your real ledger."
)]
pub struct DemoArgs {}

impl DemoArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        let report = demo::demo(ctx)?;
        if ctx.json {
            return output::print_json(&report);
        }
        let lang = ctx.lang;
        let mut out = vec![
            match lang {
                Lang::Zh => format!(
                    "已在 {} 写入 {} 个示例会员（今天按 {} 计）。\n",
                    report.data_dir.display(),
                    report.memberships,
                    ctx.today
                ),
                Lang::En => format!(
                    "Wrote {} sample memberships to {} (today is {}).\n",
                    report.memberships,
                    report.data_dir.display(),
                    ctx.today
                ),
            },
            super::renewals::render(ctx, &report.renewals),
            String::new(),
            super::summary::render(ctx, &report.summary),
        ];
        if !report.warnings.is_empty() {
            out.push(String::new());
            out.push(output::paint(
                lang.pick("⚠ 还会扣费的渠道", "⚠ Channels that can still charge"),
                Some(output::RED),
                ctx.color,
            ));
            for w in &report.warnings {
                let names: Vec<&str> = w.channels.iter().map(|c| c.label(lang)).collect();
                out.push(match lang {
                    Lang::Zh => format!(
                        "  #{} {} {}：已在别处关闭自动续费，但{}的扣费协议仍然有效，下次续费还会扣款。请到该渠道解约。",
                        w.id, w.platform, w.plan, names.join("、")
                    ),
                    Lang::En => format!(
                        "  #{} {} {}: auto-renew was closed elsewhere, but the deduction agreement at {} is still active and will charge at the next renewal. Close it there.",
                        w.id, w.platform, w.plan, names.join(", ")
                    ),
                });
            }
        }
        let quoted = shell_quote(&report.data_dir);
        out.push(String::new());
        out.push(match lang {
            Lang::Zh => format!(
                "接着试试：\n  tuiding --data-dir {quoted} list\n  tuiding --data-dir {quoted} show 5\n  tuiding --data-dir {quoted} check 8\n  tuiding --data-dir {quoted} renewals --within 90d\n  tuiding --data-dir {quoted} summary --json"
            ),
            Lang::En => format!(
                "Try next:\n  tuiding --data-dir {quoted} list\n  tuiding --data-dir {quoted} show 5\n  tuiding --data-dir {quoted} check 8\n  tuiding --data-dir {quoted} renewals --within 90d\n  tuiding --data-dir {quoted} summary --json"
            ),
        });
        output::line(out.join("\n"))
    }
}

fn shell_quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
