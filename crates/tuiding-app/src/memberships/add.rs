//! Adding a membership to the ledger (`tuiding add`, the add form, `POST
//! /api/v1/memberships`).

use crate::context::{Backend, Ctx};
use crate::error::Localize;
use crate::memberships::input::MembershipInput;
use crate::policy::template_text;
use tuiding_core::policy::{PlanTemplate, Policy};
use tuiding_store::PolicyInput;
use tuiding_store::prelude::*;

/// Adds a membership from its fields, with a policy (text, origin) or a catalogue
/// template that fills the fields not given; everything is checked before anything is
/// written. Returns the new id.
pub fn add(
    ctx: &Ctx<impl Backend>,
    mut fields: MembershipInput,
    policy: Option<(String, String)>,
) -> anyhow::Result<i64> {
    let template = fields.template.take();
    let policy = match (policy, template.as_deref()) {
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
fn fill_from_template(fields: &mut MembershipInput, plan: &PlanTemplate) {
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
