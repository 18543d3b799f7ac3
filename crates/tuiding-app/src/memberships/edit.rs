//! Changing one membership: its fields, channels and benefits (`tuiding edit`, the edit
//! form, `PATCH /api/v1/memberships/{id}`).

use tuiding_core::{AutoRenewContract, ContractStatus, Lang, Membership, Money};
use tuiding_store::prelude::*;

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use crate::input;
use crate::memberships::input::{self as fields, MembershipInput, non_empty};

/// A change to one membership, as `tuiding edit`, the edit form and `PATCH
/// /api/v1/memberships/{id}` give it: the fields that change, channels closed or dropped,
/// benefits used or dropped.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MembershipChange {
    /// The membership (from the path or the command line, never from a body).
    #[serde(skip)]
    pub id: i64,
    /// The fields that change (only those given).
    #[serde(flatten)]
    pub fields: MembershipInput,
    /// Channels whose auto-renewal was closed: `CHANNEL[:DATE]` (default date: today).
    pub close: Vec<String>,
    /// Channels to forget entirely (recorded by mistake).
    pub drop_channel: Vec<String>,
    /// Benefit uses: `NAME[:N]` (default N: 1).
    pub redeem: Vec<String>,
    /// Benefits to remove, by name.
    pub drop_benefit: Vec<String>,
    /// Where a new price was seen: `edit` (also when null), or `notice` (a renewal or
    /// price notice).
    #[serde(deserialize_with = "source_or_edit")]
    pub price_source: String,
    /// The day a new price takes effect (default: today).
    pub price_on: Option<String>,
    /// The `revision` the change was made against (a form, an API client): a membership
    /// changed meanwhile is refused (a conflict) rather than overwritten.
    #[serde(rename = "revision")]
    pub expected_revision: Option<i64>,
}

/// `price_source` as given, `edit` when null.
fn source_or_edit<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let given: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(given.unwrap_or_else(|| "edit".to_string()))
}

impl Default for MembershipChange {
    fn default() -> MembershipChange {
        MembershipChange::new(0, MembershipInput::default())
    }
}

impl MembershipChange {
    /// Changes to membership `id`'s fields and nothing else (a form, an API call); the
    /// other changes are added with struct update syntax.
    pub fn new(id: i64, fields: MembershipInput) -> MembershipChange {
        MembershipChange {
            id,
            fields,
            close: vec![],
            drop_channel: vec![],
            redeem: vec![],
            drop_benefit: vec![],
            price_source: "edit".into(),
            price_on: None,
            expected_revision: None,
        }
    }

    /// Applies the changes: everything is checked first, then one transaction writes the
    /// membership and, when the price changed, the price change. Returns the membership
    /// as it is now (none when its figures cannot be computed: the change is saved all the
    /// same, and nothing fails after it was).
    pub fn save(
        &self,
        ctx: &Ctx<impl Backend>,
    ) -> anyhow::Result<Option<crate::memberships::MembershipView>> {
        if self.fields.is_empty()
            && self.close.is_empty()
            && self.drop_channel.is_empty()
            && self.redeem.is_empty()
            && self.drop_benefit.is_empty()
        {
            return Err(UserError::usage(
                "",
                ctx.t(
                    "没有要修改的内容；见 `tuiding edit --help`",
                    "nothing to change; see `tuiding edit --help`",
                ),
            ));
        }
        let mut store = ctx.open_store()?;
        let stored = store.membership(self.id).localize(ctx.lang)?;
        if self.expected_revision.is_some_and(|r| r != stored.revision) {
            return Err(UserError::conflict(ctx.t(
                "这个会员在你编辑期间被修改过；请重新打开后再改",
                "this membership was changed while you were editing it; reload it and try again",
            )));
        }
        let mut m = stored.membership.clone();
        self.apply(ctx, &mut m)?;
        fields::validate(&m, ctx.lang)?;
        let old = stored.membership.price;
        // A split is kept in the price's minor units: the new price must still fit it.
        if old != m.price
            && let Some((_, rules)) = store
                .splits()
                .localize(ctx.lang)?
                .into_iter()
                .find(|(id, _)| *id == self.id)
        {
            let fixed = rules
                .iter()
                .any(|(_, r)| matches!(r, tuiding_core::split::SplitRule::Fixed(_)));
            let breaks = (fixed && old.currency() != m.price.currency())
                || tuiding_core::split::split(m.price, &rules).is_err();
            if breaks {
                return Err(UserError::usage(
                    "--price",
                    match ctx.lang {
                        tuiding_core::Lang::Zh => format!(
                            "新价格 {} 与 #{} 的分摊不符；先用 `tuiding split {} ...` 调整或 `--clear`",
                            m.price, self.id, self.id
                        ),
                        tuiding_core::Lang::En => format!(
                            "the new price {} does not fit #{}'s split; change it first with `tuiding split {} ...` or `--clear`",
                            m.price, self.id, self.id
                        ),
                    },
                ));
            }
        }
        let change = if old != m.price && old.currency() == m.price.currency() {
            let on = match &self.price_on {
                Some(text) => crate::input::parse_date("--price-on", text, ctx.lang)?,
                None => ctx.today,
            };
            let source = tuiding_core::price::PriceSource::parse(&self.price_source)
                .unwrap_or(tuiding_core::price::PriceSource::Edit);
            Some(tuiding_core::price::PriceChange {
                on,
                old,
                new: m.price,
                source,
            })
        } else {
            None
        };
        store
            .update_membership_noting_price(self.id, stored.revision, &m, change.as_ref())
            .localize(ctx.lang)?;
        Ok(crate::memberships::membership(ctx, self.id).ok())
    }

    fn apply(&self, ctx: &Ctx<impl Backend>, m: &mut Membership) -> anyhow::Result<()> {
        let lang = ctx.lang;
        let f = &self.fields;
        if let Some(platform) = &f.platform {
            m.platform = platform.trim().to_string();
        }
        if let Some(plan) = &f.plan {
            m.plan = plan.trim().to_string();
        }
        if let Some(billing) = f.billing(lang)? {
            m.billing = billing;
        }
        let explicit = input::parse_currency(f.currency.as_deref(), lang)?;
        match (&f.price, explicit) {
            (Some(text), _) => {
                m.price = input::parse_price(
                    "--price",
                    text,
                    explicit,
                    explicit.unwrap_or(m.price.currency()),
                    lang,
                )?;
            }
            (None, Some(currency)) => {
                // Same amount, other currency (it must fit the new currency's decimals).
                m.price = Money::parse(&m.price.amount_string(), currency)
                    .for_flag("--currency", lang)?;
            }
            (None, None) => {}
        }
        if let Some(text) = &f.start {
            m.start = input::parse_date("--start", text, lang)?;
        }
        match f.trial_until.as_deref().map(str::trim) {
            Some("none" | "-") => m.trial_until = None,
            _ if f.trial_until.is_some() || f.trial_days.is_some() => {
                m.trial_until = f.trial_until(m.start, lang)?;
            }
            _ => {}
        }
        if let Some(text) = &f.paid_through {
            m.paid_through = match text.trim() {
                "none" | "-" | "" => None,
                t => Some(input::parse_date("--paid-through", t, lang)?),
            };
        }
        for contract in input::parse_contracts("--auto-renew", &f.auto_renew, ctx.today, lang)? {
            set_contract(m, contract);
        }
        for spec in &self.close {
            let (channel, date) = match spec.split_once(':') {
                Some((c, d)) => (c, Some(d)),
                None => (spec.as_str(), None),
            };
            let channel = input::parse_channel("--close", channel, lang)?;
            let on = date
                .map(|d| input::parse_date("--close", d, lang))
                .transpose()?
                .unwrap_or(ctx.today);
            set_contract(
                m,
                AutoRenewContract {
                    channel,
                    status: ContractStatus::Closed(on),
                },
            );
        }
        for name in &self.drop_channel {
            let channel = input::parse_channel("--drop-channel", name, lang)?;
            let before = m.auto_renew.len();
            m.auto_renew.retain(|c| c.channel != channel);
            if m.auto_renew.len() == before {
                return Err(not_recorded("--drop-channel", channel.as_str(), lang));
            }
        }
        for spec in &f.benefits {
            let benefit = input::parse_benefit(spec, m.price.currency(), lang)?;
            match m.benefits.iter_mut().find(|b| b.name == benefit.name) {
                Some(existing) => *existing = benefit,
                None => m.benefits.push(benefit),
            }
        }
        for spec in &self.redeem {
            let (name, count) = match spec.rsplit_once([':', '：']) {
                Some((n, c)) if c.trim().parse::<u32>().is_ok() => {
                    (n.trim(), c.trim().parse::<u32>().unwrap_or(1))
                }
                _ => (spec.trim(), 1),
            };
            let benefit = m
                .benefits
                .iter_mut()
                .find(|b| b.name == name)
                .ok_or_else(|| not_recorded("--redeem", name, lang))?;
            benefit.redeemed = benefit.redeemed.saturating_add(count);
        }
        for name in &self.drop_benefit {
            let before = m.benefits.len();
            m.benefits.retain(|b| b.name != name.trim());
            if m.benefits.len() == before {
                return Err(not_recorded("--drop-benefit", name, lang));
            }
        }
        if f.category.is_some() {
            m.category = non_empty(f.category.as_deref());
        }
        if f.notes.is_some() {
            m.notes = non_empty(f.notes.as_deref());
        }
        Ok(())
    }
}

/// Replaces the contract for the same channel, or adds it.
fn set_contract(m: &mut Membership, contract: AutoRenewContract) {
    match m
        .auto_renew
        .iter_mut()
        .find(|c| c.channel == contract.channel)
    {
        Some(existing) => *existing = contract,
        None => m.auto_renew.push(contract),
    }
}

fn not_recorded(flag: &str, what: &str, lang: Lang) -> anyhow::Error {
    UserError::usage(
        flag,
        match lang {
            Lang::Zh => format!("这个会员没有记录 {what:?}"),
            Lang::En => format!("this membership has no {what:?}"),
        },
    )
}

/// Removes membership `id` from the ledger (`tuiding rm`), with its contracts, benefits,
/// policy and price history; its cases keep their own record.
pub fn remove(ctx: &Ctx<impl Backend>, id: i64) -> anyhow::Result<()> {
    ctx.open_store()?.remove_membership(id).localize(ctx.lang)
}
