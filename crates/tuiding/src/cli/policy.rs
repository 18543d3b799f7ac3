//! `tuiding policy …`: the refund terms of a membership (set, show, rm) and the catalogue
//! of templates (templates, template). The schema is in docs/policy.md.

use super::Term;
use super::output::{self, Align, Table};
use clap::{Args, Subcommand};
use std::io::Read;
use std::path::Path;
use tuiding_app::error::{Localize, UserError};
use tuiding_app::policy::{self, *};
use tuiding_core::policy::Policy;
use tuiding_core::{Lang, Localized};

const EXAMPLES: &str = "\
示例 / Examples:
  tuiding policy templates                        # 内置模板 / the shipped templates
  tuiding policy template kameng-annual > my.toml # 拿一个模板来改 / start from one
  tuiding policy set 1 my.toml
  tuiding policy set 1 --template video-monthly-vip
  tuiding policy show 1 --json
  tuiding policy import 1 会员服务协议.txt             # 从协议生成 / from the agreement
  tuiding policy import 1 协议.txt --set refund.discount_ratio=0.9   # 补上协议没写的数 / fill in a number
  tuiding policy set 1 --set refund.method=pro_rata_days --set timing.refund_working_days=3-7
  tuiding policy fields                           # 可填的字段 / the fields --set takes
  tuiding policy rm 1

规则文件格式见 docs/policy.md / The file format is in docs/policy.md";

/// Refund policies.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

/// What to do with policies.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// 设置会员的退款规则 / Set a membership's policy from a TOML file (- for stdin) or a template
    #[command(
        after_help = "示例 / Examples:\n  tuiding policy set 1 iqiyi.toml\n  tuiding policy set 1 --template video-monthly-vip\n  tuiding policy set 1 --set refund.method=pro_rata_days --set timing.refund_working_days=3-7\n  cat iqiyi.toml | tuiding policy set 1 -"
    )]
    Set {
        /// 会员编号 / Membership id
        id: i64,
        /// 规则文件 / Policy file (TOML), or - for stdin
        #[arg(
            required_unless_present_any = ["template", "set"],
            conflicts_with = "template"
        )]
        file: Option<String>,
        /// 用内置模板 / Use a template from the catalogue
        #[arg(long)]
        template: Option<String>,
        /// 设置一个字段（可多次）；只给 --set 时改现有规则 / Set one field (repeatable); alone, it edits the current policy
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// 查看会员的退款规则 / Show a membership's policy
    #[command(
        after_help = "示例 / Examples:\n  tuiding policy show 1\n  tuiding policy show 1 --json"
    )]
    Show {
        /// 会员编号 / Membership id
        id: i64,
    },
    /// 删除会员的退款规则 / Remove a membership's policy
    #[command(after_help = "示例 / Examples:\n  tuiding policy rm 1")]
    Rm {
        /// 会员编号 / Membership id
        id: i64,
    },
    /// 从协议导入 / Read an agreement, show what was found, and attach the drafted policy
    #[command(
        after_help = "示例 / Examples:\n  tuiding policy import 1 会员服务协议.txt\n  tuiding policy import 1 协议.html --set refund.discount_ratio=0.9 --yes\n  curl -s https://example.com/agreement | tuiding policy import 1 -"
    )]
    Import {
        /// 会员编号 / Membership id
        id: i64,
        /// 协议文件（文本或 HTML）/ The agreement (text or HTML), or - for stdin
        file: String,
        /// 不再确认 / Attach without asking
        #[arg(long, short = 'y')]
        yes: bool,
        /// 补上或改正一个字段（可多次）/ Fill in or correct one field (repeatable)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// 可填写的字段 / The fields `--set` takes, with where to find them in an agreement
    #[command(
        after_help = "示例 / Examples:\n  tuiding policy fields\n  tuiding policy fields --json"
    )]
    Fields,
    /// 列出规则模板 / List the policy templates
    #[command(
        after_help = "示例 / Examples:\n  tuiding policy templates\n  tuiding policy templates --json"
    )]
    Templates,
    /// 打印一个模板 / Print a template's TOML
    #[command(
        after_help = "示例 / Examples:\n  tuiding policy template kameng-annual\n  tuiding policy template video-monthly-vip > my-policy.toml"
    )]
    Template {
        /// 模板名 / Template name
        name: String,
    },
}

impl PolicyArgs {
    pub fn run(&self, ctx: &Term) -> anyhow::Result<()> {
        match &self.command {
            PolicyCommand::Set {
                id,
                file,
                template,
                set,
            } => {
                let sets = policy::parse_sets(ctx, set)?;
                let source = match (file, template) {
                    (_, Some(name)) => PolicySource::Template(name.clone()),
                    (Some(file), None) => {
                        let (text, origin) = read_policy_file(ctx, file)?;
                        PolicySource::Text { text, origin }
                    }
                    (None, None) => PolicySource::Current,
                };
                let origin = policy::set(ctx, *id, source, &sets)?;
                if ctx.json {
                    return show(ctx, *id);
                }
                output::line(match ctx.lang {
                    Lang::Zh => format!(
                        "已为 #{id} 设置退款规则（来源：{origin}）。用 `tuiding check {id}` 做规则体检。"
                    ),
                    Lang::En => format!(
                        "Policy set for #{id} (from {origin}). Run `tuiding check {id}` for the rule check."
                    ),
                })
            }
            PolicyCommand::Show { id } => show(ctx, *id),
            PolicyCommand::Import { id, file, yes, set } => {
                import(ctx, *id, file, *yes, &policy::parse_sets(ctx, set)?)
            }
            PolicyCommand::Fields => fields(ctx),
            PolicyCommand::Rm { id } => {
                let removed = policy::remove(ctx, *id)?;
                if ctx.json {
                    return output::print_json(&serde_json::json!({"id": id, "removed": removed}));
                }
                output::line(match (removed, ctx.lang) {
                    (true, Lang::Zh) => format!("已删除 #{id} 的退款规则"),
                    (true, Lang::En) => format!("Removed the policy of #{id}"),
                    (false, Lang::Zh) => format!("#{id} 本来就没有退款规则"),
                    (false, Lang::En) => format!("#{id} had no policy"),
                })
            }
            PolicyCommand::Templates => {
                let views = policy::templates(ctx)?;
                if ctx.json {
                    return output::print_json(&views);
                }
                let mut table = Table::new(
                    &[
                        ctx.t("模板", "template"),
                        ctx.t("说明", "description"),
                        ctx.t("来源", "origin"),
                    ],
                    &[Align::Left; 3],
                );
                for v in &views {
                    let origin = if v.origin == "user" {
                        ctx.t("数据目录", "data dir")
                    } else {
                        ctx.t("内置", "shipped")
                    };
                    table.row(vec![
                        v.name.clone().into(),
                        v.description.clone().unwrap_or_default().into(),
                        origin.into(),
                    ]);
                }
                output::line(table.render(ctx.color).trim_end())
            }
            PolicyCommand::Template { name } => {
                let (text, _) = policy::template_text(ctx, name)?;
                if ctx.json {
                    let policy = Policy::from_toml(&text).localize(ctx.lang)?;
                    return output::print_json(&policy);
                }
                output::line(text.trim_end())
            }
        }
    }
}

/// Reads an agreement, shows the findings, and attaches the drafted policy (after a yes on
/// a terminal, unless `--yes`). Numbers the agreement does not give are taken from `--set`
/// or asked for on a terminal; without them the policy is attached incomplete and the rule
/// check names what is missing.
fn import(
    ctx: &Term,
    id: i64,
    file: &str,
    yes: bool,
    sets: &[(String, String)],
) -> anyhow::Result<()> {
    // The membership must exist before anything is read or asked.
    tuiding_app::memberships::membership(ctx, id)?;
    let (_, bytes) = super::terms::read_file(ctx, file)?;
    let reading = tuiding_app::terms::read_agreement(ctx, file, &bytes)?;
    let name = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().to_string());
    let draft = reading.policy_toml(&name);
    let (mut toml, _) = policy::apply_sets(ctx, &draft, "", sets)?;
    if !ctx.json {
        output::line(super::terms::render(ctx, file, &reading))?;
    }
    let asking = !yes && !ctx.json && ctx.interactive();
    if asking {
        toml = ask_missing(ctx, &toml)?;
    }
    let policy = Policy::from_toml(&toml).localize(ctx.lang)?;
    if !ctx.json {
        output::line(format!(
            "\n{}\n{}",
            ctx.t("规则草稿：", "Policy draft:"),
            toml.trim_end()
        ))?;
    }
    if asking {
        use std::io::{BufRead, Write};
        let mut err = std::io::stderr();
        write!(
            err,
            "{} #{id}? [Y/n] ",
            ctx.t("保存为规则", "Attach as the policy of")
        )?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if matches!(answer.trim().to_lowercase().as_str(), "n" | "no" | "否") {
            return Err(UserError::failure(
                ctx.t("已取消，未保存", "cancelled; nothing was saved"),
            ));
        }
    }
    let origin = policy::attach_text(ctx, id, name.as_str(), &toml)?;
    let missing = policy.missing_numbers();
    if ctx.json {
        return output::print_json(
            &serde_json::json!({"id": id, "origin": origin, "reading": reading, "policy": policy, "missing": missing}),
        );
    }
    output::line(match ctx.lang {
        Lang::Zh => {
            format!("已保存为 #{id} 的规则（来源：{origin}）。用 `tuiding check {id}` 做规则体检。")
        }
        Lang::En => format!(
            "Saved as the policy of #{id} (from {origin}). Run `tuiding check {id}` for the rule check."
        ),
    })?;
    for key in missing {
        output::line(match ctx.lang {
            Lang::Zh => format!(
                "还缺 {key}：协议没写，问清后用 `tuiding policy set {id} --set {key}=…` 补上；在此之前规则体检会列出各种取值下的退款。"
            ),
            Lang::En => format!(
                "Still missing {key}: the agreement does not say; once known, `tuiding policy set {id} --set {key}=…`. Until then the rule check shows the refund for each likely value."
            ),
        })?;
    }
    Ok(())
}

/// Asks on the terminal for each number the method needs but the text does not give.
fn ask_missing(ctx: &Term, text: &str) -> anyhow::Result<String> {
    use std::io::{BufRead, Write};
    let mut policy = Policy::from_toml(text).localize(ctx.lang)?;
    let missing = policy.missing_numbers();
    if missing.is_empty() {
        return Ok(text.to_string());
    }
    let mut err = std::io::stderr();
    for key in missing {
        let Some(spec) = tuiding_core::policy_form::field_spec(key) else {
            continue;
        };
        loop {
            write!(
                err,
                "{} {}",
                spec.not_stated(ctx.lang),
                ctx.t("请输入（回车跳过）：", "Enter it (Enter to skip): ")
            )?;
            err.flush()?;
            let mut answer = String::new();
            if std::io::stdin().lock().read_line(&mut answer)? == 0 || answer.trim().is_empty() {
                break;
            }
            match policy.set_field(key, answer.trim()) {
                Ok(()) => break,
                Err(e) => writeln!(err, "{}", e.localized(ctx.lang))?,
            }
        }
    }
    Ok(policy::rewritten(text, &policy))
}

/// `tuiding policy fields`: every field `--set` takes.
fn fields(ctx: &Term) -> anyhow::Result<()> {
    let lang = ctx.lang;
    if ctx.json {
        let list: Vec<serde_json::Value> = tuiding_core::policy_form::POLICY_FIELDS
            .iter()
            .map(
                |f| serde_json::json!({"key": f.key, "label": f.label(lang), "hint": f.hint(lang)}),
            )
            .collect();
        return output::print_json(&list);
    }
    let mut table = Table::new(
        &[
            ctx.t("字段", "key"),
            ctx.t("名称", "name"),
            ctx.t("说明", "what to give"),
        ],
        &[Align::Left; 3],
    );
    for f in tuiding_core::policy_form::POLICY_FIELDS {
        table.row(vec![
            f.key.into(),
            f.label(lang).into(),
            f.hint(lang).into(),
        ]);
    }
    output::line(table.render(ctx.color).trim_end())
}

fn show(ctx: &Term, id: i64) -> anyhow::Result<()> {
    let stored = policy::show(ctx, id)?;
    if ctx.json {
        return output::print_json(&stored);
    }
    let header = match ctx.lang {
        Lang::Zh => format!(
            "# #{id} 的退款规则，来源：{}，更新于 {}",
            stored.origin,
            tuiding_app::clock::text_for_people(&stored.updated_at)
        ),
        Lang::En => format!(
            "# policy of #{id}, from {}, updated {}",
            stored.origin,
            tuiding_app::clock::text_for_people(&stored.updated_at)
        ),
    };
    output::line(format!("{header}\n{}", stored.text.trim_end()))
}

/// Reads a policy file (or stdin for `-`), checking it and locating any error in it.
pub fn read_policy_file(ctx: &Term, file: &str) -> anyhow::Result<(String, String)> {
    let (text, origin) = if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        (text, "stdin".to_string())
    } else {
        let path = Path::new(file);
        let text = std::fs::read_to_string(path).map_err(|e| {
            UserError::usage(
                "FILE",
                match ctx.lang {
                    Lang::Zh => format!("无法读取规则文件 {file}：{e}"),
                    Lang::En => format!("cannot read policy file {file}: {e}"),
                },
            )
        })?;
        let name = path
            .file_name()
            .map_or_else(|| file.to_string(), |n| n.to_string_lossy().to_string());
        (text, name)
    };
    policy::check_text(ctx, &text, file)?;
    Ok((text, origin))
}
