//! `tuiding terms read FILE`: the clause reader. Findings with their source sentences, the
//! disclosure check, contestable terms, and a policy draft.

use super::Term;
use super::output;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use tuiding_app::error::UserError;
use tuiding_app::terms::{self, *};
use tuiding_core::Lang;

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding terms read 会员服务协议.txt
  tuiding terms read agreement.html --json
  tuiding terms read 协议.txt --policy-out policy.toml   # 生成规则草稿 / draft a policy
  pbpaste | tuiding terms read -
  tuiding policy import 3 协议.txt                       # 阅读并保存为 #3 的规则 / read and attach";

/// The clause reader.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct TermsArgs {
    #[command(subcommand)]
    pub command: TermsCommand,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum TermsCommand {
    /// 阅读协议 / Read an agreement (text or HTML, UTF-8 or GBK; - for stdin)
    #[command(
        after_help = "示例 / Examples:\n  tuiding terms read 会员服务协议.txt\n  tuiding terms read 协议.html --policy-out iqiyi.toml\n  pbpaste | tuiding terms read -\n  tuiding terms read 协议.txt --json"
    )]
    Read {
        /// 协议文件 / The agreement, or - for stdin
        file: String,
        /// 写出规则草稿 / Write a policy draft (TOML) here
        #[arg(long, value_name = "FILE")]
        policy_out: Option<PathBuf>,
    },
}

impl TermsArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        match &self.command {
            TermsCommand::Read { file, policy_out } => {
                let (name, bytes) = read_file(ctx, file)?;
                let reading = terms::read_agreement(ctx, &name, &bytes)?;
                if let Some(path) = policy_out {
                    tuiding_app::text::write_atomic(path, reading.policy_toml(file).as_bytes())
                        .map_err(|e| {
                            UserError::failure(match ctx.lang {
                                Lang::Zh => format!("无法写入 {}：{e}", path.display()),
                                Lang::En => format!("cannot write {}: {e}", path.display()),
                            })
                        })?;
                }
                if ctx.json {
                    return output::print_json(&reading);
                }
                let mut text = render(ctx, file, &reading);
                if let Some(path) = policy_out {
                    text.push_str(&match ctx.lang {
                        Lang::Zh => format!("\n已写出规则草稿 {}；核对后用 `tuiding policy set 编号 {}` 保存。", path.display(), path.display()),
                        Lang::En => format!("\nPolicy draft written to {}; check it, then save it with `tuiding policy set ID {}`.", path.display(), path.display()),
                    });
                }
                output::line(text)
            }
        }
    }
}

pub fn render(ctx: &Term, file: &str, r: &Reading) -> String {
    let lang = ctx.lang;
    let mut out = Vec::new();
    let language = match (r.language, lang) {
        ("en", Lang::Zh) => "英文",
        ("zh-Hant", Lang::Zh) => "繁体中文",
        (_, Lang::Zh) => "简体中文",
        ("en", Lang::En) => "English",
        ("zh-Hant", Lang::En) => "Traditional Chinese",
        (_, Lang::En) => "Simplified Chinese",
    };
    let title = match lang {
        Lang::Zh => format!("条款阅读：{file}（{} 字，{language}）", r.input_chars),
        Lang::En => format!(
            "Agreement: {file} ({} characters, {language})",
            r.input_chars
        ),
    };
    out.push(output::paint(&title, Some(output::BOLD), ctx.color));
    out.push(String::new());
    out.push(lang.pick("找到的条款：", "Found:").to_string());
    let mut any = false;
    for field in FIELD_ORDER {
        for f in r.fields.get(field).map(Vec::as_slice).unwrap_or(&[]) {
            any = true;
            let what = finding_text(field, &f.value, lang);
            out.push(
                format!("  • {}：{what}", field_label(field, lang))
                    .replace('：', lang.pick("：", ": ")),
            );
            out.push(format!("      「{}」", f.quote.trim()));
        }
    }
    if !any {
        out.push(format!(
            "  {}",
            lang.pick(
                "（没有找到与续费、取消或退款有关的条款）",
                "(nothing about renewal, cancelling or refunds)"
            )
        ));
    }
    for key in r.missing_numbers() {
        if let Some(spec) = tuiding_core::policy_form::field_spec(key) {
            out.push(format!(
                "  ⚠ {} {} `--set {key}=…`",
                spec.not_stated(lang),
                lang.pick("补上：", "Give it with")
            ));
        }
    }
    out.push(String::new());
    out.push(lang.pick("信息披露检查：", "Disclosure check:").to_string());
    for d in &r.disclosures {
        let mark = disclosure_mark(d.status);
        let label = requirement_label(d.requirement, lang);
        let reason = lang.pick(&d.reason_zh, &d.reason);
        out.push(format!("  {mark} {label}{}{reason}", lang.pick("：", ": ")));
    }
    if !r.flags.is_empty() {
        out.push(String::new());
        out.push(output::paint(
            lang.pick(
                "⚠ 值得留意的条款（可主张无效或争议）：",
                "⚠ Contestable terms:",
            ),
            Some(output::RED),
            ctx.color,
        ));
        for f in &r.flags {
            out.push(
                format!("  • {}：「{}」", f.flag, f.quote.trim())
                    .replace('：', lang.pick("：", ": ")),
            );
            out.push(format!("      {}", lang.pick(f.why_zh, f.why_en)));
        }
    }
    out.join("\n")
}

/// An agreement's name and bytes: a file, or stdin for `-`.
pub fn read_file(ctx: &Term, file: &str) -> anyhow::Result<(String, Vec<u8>)> {
    if file == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        return Ok(("-".to_string(), bytes));
    }
    let bytes = std::fs::read(file).map_err(|e| {
        UserError::failure(match ctx.lang {
            Lang::Zh => format!("无法读取 {file}：{e}"),
            Lang::En => format!("cannot read {file}: {e}"),
        })
    })?;
    Ok((file.to_string(), bytes))
}
