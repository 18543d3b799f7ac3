//! A membership's policy as a form (the web's policy page and `PATCH
//! /api/v1/memberships/{id}/policy`): every field of docs/policy.md with its label, hint,
//! value and quoted source, prefilled from the membership's policy, a template or the
//! clause reader; saving checks every field at once and names each problem beside its
//! field, and nothing is written unless all are right.

use serde::Serialize;
use tuiding_core::Localized;
use tuiding_core::policy::Policy;
use tuiding_core::policy_form::{FieldKind, POLICY_FIELDS};
use tuiding_store::PolicyInput;
use tuiding_store::prelude::*;

use crate::context::{Backend, Ctx};
use crate::error::Localize;

/// The form.
#[derive(Debug, Serialize)]
pub struct PolicyFormView {
    pub id: i64,
    pub membership: String,
    /// Where the stored policy came from (`null`: none yet).
    pub origin: Option<String>,
    /// The template the form starts from, when one was chosen.
    pub template: Option<String>,
    pub fields: Vec<FieldView>,
    /// Keys the method needs but the policy lacks.
    pub missing: Vec<&'static str>,
    /// The templates to start from.
    pub templates: Vec<String>,
}

/// One field.
#[derive(Debug, Serialize)]
pub struct FieldView {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    /// The words it takes; empty for free text.
    pub choices: Vec<&'static str>,
    /// Whether several choices may be given (comma-separated).
    pub multiple: bool,
    pub value: String,
    /// The quoted sentence it was read from.
    pub source: Option<String>,
    /// What is wrong with the value given.
    pub error: Option<String>,
}

/// A field's key and its text (a value given, or a problem with it).
type Pair = (String, String);

fn base(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    id: i64,
    template: Option<&str>,
) -> anyhow::Result<(Policy, Option<String>)> {
    let stored = store.policy(id).localize(ctx.lang)?;
    let origin = stored.as_ref().map(|p| p.origin.clone());
    let text = match template.filter(|t| !t.trim().is_empty()) {
        Some(name) => crate::policy::template_text(ctx, name)?.0,
        None => stored.map(|p| p.text).unwrap_or_default(),
    };
    Ok((Policy::from_toml(&text).localize(ctx.lang)?, origin))
}

fn view(
    ctx: &Ctx<impl Backend>,
    store: &impl Store,
    id: i64,
    policy: &Policy,
    origin: Option<String>,
    template: Option<&str>,
    (values, errors): (&[Pair], &[Pair]),
) -> anyhow::Result<PolicyFormView> {
    let stored = store.membership(id).localize(ctx.lang)?;
    let lang = ctx.lang;
    let fields = POLICY_FIELDS
        .iter()
        .map(|f| {
            let (choices, multiple) = match f.kind {
                FieldKind::Choice(c) => (c.to_vec(), false),
                FieldKind::Choices(c) => (c.to_vec(), true),
                FieldKind::Bool => (vec!["true", "false"], false),
                _ => (Vec::new(), false),
            };
            let given = values
                .iter()
                .find(|(k, _)| k == f.key)
                .map(|(_, v)| v.clone());
            FieldView {
                key: f.key,
                label: f.label(lang),
                hint: f.hint(lang),
                choices,
                multiple,
                value: given.unwrap_or_else(|| policy.field_text(f.key).unwrap_or_default()),
                source: policy.field_source(f.key).map(str::to_string),
                error: errors
                    .iter()
                    .find(|(k, _)| k == f.key)
                    .map(|(_, m)| m.clone()),
            }
        })
        .collect();
    Ok(PolicyFormView {
        id,
        membership: format!("{} {}", stored.membership.platform, stored.membership.plan),
        origin,
        template: template.map(str::to_string),
        fields,
        missing: policy.missing_numbers(),
        templates: ctx
            .catalogue()?
            .names()
            .iter()
            .map(|n| n.to_string())
            .collect(),
    })
}

/// The form for membership `id`, from its policy or from `template`.
pub fn form(
    ctx: &Ctx<impl Backend>,
    id: i64,
    template: Option<&str>,
) -> anyhow::Result<PolicyFormView> {
    let store = &ctx.open_store()?;
    store.membership(id).localize(ctx.lang)?;
    let (policy, origin) = base(ctx, store, id, template)?;
    view(ctx, store, id, &policy, origin, template, (&[], &[]))
}

/// Saves the form: `Ok(Ok(origin))`, or `Ok(Err(form))` with every field's problem and
/// nothing written.
pub fn save(
    ctx: &Ctx<impl Backend>,
    id: i64,
    template: Option<&str>,
    values: &[(String, String)],
) -> anyhow::Result<Result<String, PolicyFormView>> {
    let store = &mut ctx.open_store()?;
    store.membership(id).localize(ctx.lang)?;
    let (mut policy, origin) = base(ctx, store, id, template)?;
    // Every field is read, then the policy is checked once: fields that only fit together
    // (a ratio cleared and a daily fee given) are accepted in one submit.
    let errors: Vec<(String, String)> = match policy.set_fields(values) {
        Ok(()) => Vec::new(),
        Err(problems) => problems
            .into_iter()
            .map(|e| (e.key.clone().unwrap_or_default(), e.localized(ctx.lang)))
            .collect(),
    };
    if !errors.is_empty() {
        return Ok(Err(view(
            ctx,
            store,
            id,
            &policy,
            origin,
            template,
            (values, &errors),
        )?));
    }
    let origin = match (template.filter(|t| !t.trim().is_empty()), origin) {
        (Some(name), _) => format!("template:{name}+form"),
        (None, Some(o)) if o.ends_with("+form") || o == "form" => o,
        (None, Some(o)) => format!("{o}+form"),
        (None, None) => "form".to_string(),
    };
    let text = policy.to_toml();
    store
        .set_policy(
            id,
            PolicyInput {
                text: &text,
                origin: &origin,
            },
        )
        .localize(ctx.lang)?;
    Ok(Ok(origin))
}
