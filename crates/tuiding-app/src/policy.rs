//! `tuiding policy …`: the refund terms of a membership (set, show, rm) and the catalogue
//! of templates (templates, template). The schema is in docs/policy.md.

use crate::context::{Backend, Ctx, policy_error_in_file};
use crate::error::{Localize, UserError};
use serde::Serialize;
use tuiding_core::catalogue::Origin;
use tuiding_core::policy::Policy;
use tuiding_core::{Lang, Localized};
use tuiding_store::PolicyInput;
use tuiding_store::prelude::*;
use tuiding_terms::Reading;

/// `--set KEY=VALUE` flags, split; a flag without `=` is a usage error.
pub fn parse_sets(
    ctx: &Ctx<impl Backend>,
    raw: &[String],
) -> anyhow::Result<Vec<(String, String)>> {
    raw.iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| {
                    UserError::usage(
                        "--set",
                        match ctx.lang {
                            Lang::Zh => {
                                format!("{pair:?} 不是 键=值，例如 refund.discount_ratio=0.9")
                            }
                            Lang::En => {
                                format!("{pair:?} is not KEY=VALUE, e.g. refund.discount_ratio=0.9")
                            }
                        },
                    )
                })
        })
        .collect()
}

/// Applies `--set` values to a policy text: unchanged text when there are none, else the
/// policy rewritten (every source kept). A bad value is a usage error naming the key.
pub fn apply_sets(
    ctx: &Ctx<impl Backend>,
    text: &str,
    origin: &str,
    sets: &[(String, String)],
) -> anyhow::Result<(String, String)> {
    if sets.is_empty() {
        return Ok((text.to_string(), origin.to_string()));
    }
    let mut policy = Policy::from_toml(text).localize(ctx.lang)?;
    for (key, value) in sets {
        policy
            .set_field(key, value)
            .map_err(|e| UserError::usage("--set", e.localized(ctx.lang)))?;
    }
    Ok((rewritten(text, &policy), origin.to_string()))
}

/// The policy written anew under the leading comment lines of the text it came from.
pub fn rewritten(text: &str, policy: &Policy) -> String {
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    let mut out = header.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&policy.to_toml());
    out
}

/// Where a policy comes from for [`set`].
pub enum PolicySource {
    /// A policy text (a file, stdin, a form) and its origin label.
    Text { text: String, origin: String },
    /// A catalogue template, by name.
    Template(String),
    /// The membership's current policy (to change fields of it), or an empty one.
    Current,
}

/// Sets membership `id`'s policy from `source` with `sets` (`KEY=VALUE`) applied; returns
/// its origin (`tuiding policy set`).
pub fn set(
    ctx: &Ctx<impl Backend>,
    id: i64,
    source: PolicySource,
    sets: &[(String, String)],
) -> anyhow::Result<String> {
    let mut store = ctx.open_store()?;
    let (text, origin) = match source {
        PolicySource::Template(name) => template_text(ctx, &name)?,
        PolicySource::Text { text, origin } => (text, origin),
        PolicySource::Current => {
            store.membership(id).localize(ctx.lang)?;
            match store.policy(id).localize(ctx.lang)? {
                Some(p) => (p.text, p.origin),
                None => (String::new(), "form".to_string()),
            }
        }
    };
    let (text, origin) = apply_sets(ctx, &text, &origin, sets)?;
    store
        .set_policy(
            id,
            PolicyInput {
                text: &text,
                origin: &origin,
            },
        )
        .localize(ctx.lang)?;
    Ok(origin)
}

/// A membership's policy, as stored and as read.
#[derive(Serialize)]
pub struct PolicyView {
    pub id: i64,
    pub origin: String,
    pub updated_at: String,
    pub text: String,
    pub policy: Policy,
}

/// Membership `id`'s policy (`tuiding policy show`); an error saying how to set one when
/// there is none.
pub fn show(ctx: &Ctx<impl Backend>, id: i64) -> anyhow::Result<PolicyView> {
    let Some(stored) = ctx.open_store()?.policy(id).localize(ctx.lang)? else {
        return Err(UserError::failure(match ctx.lang {
            Lang::Zh => format!(
                "#{id} 还没有退款规则；用 `tuiding policy set {id} 文件` 或 `--template 模板名` 设置"
            ),
            Lang::En => format!(
                "#{id} has no policy yet; set one with `tuiding policy set {id} FILE` or `--template NAME`"
            ),
        }));
    };
    let policy = Policy::from_toml(&stored.text).localize(ctx.lang)?;
    Ok(PolicyView {
        id,
        origin: stored.origin,
        updated_at: stored.updated_at,
        text: stored.text,
        policy,
    })
}

/// Removes membership `id`'s policy; whether there was one.
pub fn remove(ctx: &Ctx<impl Backend>, id: i64) -> anyhow::Result<bool> {
    ctx.open_store()?.remove_policy(id).localize(ctx.lang)
}

/// A template of the catalogue.
#[derive(Serialize)]
pub struct TemplateView {
    pub name: String,
    pub description: Option<String>,
    /// `embedded` or `user` (from the data directory).
    pub origin: &'static str,
}

/// The policy templates (`tuiding policy templates`).
pub fn templates(ctx: &Ctx<impl Backend>) -> anyhow::Result<Vec<TemplateView>> {
    Ok(ctx
        .catalogue()?
        .iter()
        .map(|t| TemplateView {
            name: t.name.clone(),
            description: t.policy.plan.as_ref().and_then(|p| p.description.clone()),
            origin: match t.origin {
                Origin::Embedded => "embedded",
                Origin::User => "user",
            },
        })
        .collect())
}

/// Checks a policy text, locating any error in `file` (its name for people).
pub fn check_text(ctx: &Ctx<impl Backend>, text: &str, file: &str) -> anyhow::Result<Policy> {
    Policy::from_toml(text)
        .map_err(|e| UserError::failure(policy_error_in_file(&e, file, ctx.lang)))
}

/// Saves the policy draft of an agreement reading as membership `id`'s policy; returns
/// its origin (`terms:NAME`).
pub fn attach_reading(
    ctx: &Ctx<impl Backend>,
    id: i64,
    name: &str,
    reading: &Reading,
) -> anyhow::Result<String> {
    let toml = reading.policy_toml(name);
    Policy::from_toml(&toml).localize(ctx.lang)?;
    attach_text(ctx, id, name, &toml)
}

/// Stores a policy read from agreement `name`; returns its origin (`terms:NAME`).
pub fn attach_text(
    ctx: &Ctx<impl Backend>,
    id: i64,
    name: &str,
    toml: &str,
) -> anyhow::Result<String> {
    let origin = format!("terms:{name}");
    ctx.open_store()?
        .set_policy(
            id,
            PolicyInput {
                text: toml,
                origin: &origin,
            },
        )
        .localize(ctx.lang)?;
    Ok(origin)
}

/// A template's text and origin label, or an error listing the names.
pub fn template_text(ctx: &Ctx<impl Backend>, name: &str) -> anyhow::Result<(String, String)> {
    let catalogue = ctx.catalogue()?;
    let template = catalogue.get(name.trim()).ok_or_else(|| {
        UserError::usage(
            "--template",
            match ctx.lang {
                Lang::Zh => format!(
                    "没有名为 {name:?} 的模板；可用：{}",
                    catalogue.names().join("、")
                ),
                Lang::En => format!(
                    "no template named {name:?}; available: {}",
                    catalogue.names().join(", ")
                ),
            },
        )
    })?;
    Ok((template.text.clone(), format!("template:{}", template.name)))
}
