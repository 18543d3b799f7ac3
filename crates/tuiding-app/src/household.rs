//! Who in the household pays what: members and each membership's split.

use serde::Serialize;
use tuiding_core::split::{self, SplitRule};
use tuiding_core::{Lang, Localized};
use tuiding_store::prelude::*;

use crate::context::{Backend, Ctx};
use crate::error::{Localize, UserError};
use crate::input;

/// The household's members, after adding `name` (`tuiding member add`).
pub fn add_member(ctx: &Ctx<impl Backend>, name: &str) -> anyhow::Result<Vec<String>> {
    if name.trim().is_empty() {
        return Err(UserError::usage(
            "NAME",
            ctx.t("名字不能为空", "must not be empty"),
        ));
    }
    let mut store = ctx.open_store()?;
    store.add_member(name).localize(ctx.lang)?;
    store.members().localize(ctx.lang)
}

/// The household's members, after removing `name` (refused while a split names them).
pub fn remove_member(ctx: &Ctx<impl Backend>, name: &str) -> anyhow::Result<Vec<String>> {
    let mut store = ctx.open_store()?;
    store.remove_member(name).localize(ctx.lang)?;
    store.members().localize(ctx.lang)
}

/// The household's members.
pub fn members(ctx: &Ctx<impl Backend>) -> anyhow::Result<Vec<String>> {
    ctx.open_store()?.members().localize(ctx.lang)
}

/// A change to a membership's split: `NAME=AMOUNT` fixed parts, `NAME=N` shares of the
/// rest, or clearing it; nothing given only reads it.
#[derive(Debug, Default, Clone)]
pub struct SplitChange {
    pub fixed: Vec<String>,
    pub shares: Vec<String>,
    pub clear: bool,
}

/// A membership's split.
#[derive(Serialize)]
pub struct SplitView {
    pub id: i64,
    #[serde(skip)]
    pub platform: String,
    #[serde(skip)]
    pub price_money: tuiding_core::Money,
    pub price: String,
    pub currency: &'static str,
    pub parts: Vec<PartView>,
}

/// One member's part.
#[derive(Serialize)]
pub struct PartView {
    pub member: String,
    /// Shares, when the member takes a share of the rest.
    pub shares: Option<u32>,
    /// The fixed amount, when the member pays one.
    pub fixed: Option<String>,
    pub amount: String,
    #[serde(skip)]
    pub amount_money: tuiding_core::Money,
}

/// Changes (or reads) membership `id`'s split (`tuiding split`): the parts are checked to
/// add up to the price before anything is stored.
pub fn split(ctx: &Ctx<impl Backend>, id: i64, change: &SplitChange) -> anyhow::Result<SplitView> {
    let lang = ctx.lang;
    let mut store = ctx.open_store()?;
    let m = store.membership(id).localize(lang)?.membership;
    let currency = m.price.currency();
    let mut rules: Vec<(String, SplitRule)> = Vec::new();
    for spec in &change.fixed {
        let (name, amount) = pair("--fixed", spec, lang)?;
        let money = input::parse_price("--fixed", amount, Some(currency), currency, lang)?;
        rules.push((name, SplitRule::Fixed(money.minor_units())));
    }
    for spec in &change.shares {
        let (name, n) = pair("--share", spec, lang)?;
        let n: u32 = n.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            UserError::usage(
                "--share",
                format!(
                    "{spec:?}: {}",
                    ctx.t("份额应为正整数", "shares must be a whole number above 0")
                ),
            )
        })?;
        rules.push((name, SplitRule::Shares(n)));
    }
    if change.clear {
        store.set_split(id, &[]).localize(lang)?;
    } else if !rules.is_empty() {
        // Checked before anything is stored: the parts must add up to the price.
        split::split(m.price, &rules)
            .map_err(|e| UserError::usage("--share/--fixed", e.localized(lang)))?;
        store.set_split(id, &rules).localize(lang)?;
    }
    let current = store
        .splits()
        .localize(lang)?
        .into_iter()
        .find(|(with, _)| *with == id)
        .map(|(_, s)| s)
        .unwrap_or_default();
    let parts = if current.is_empty() {
        Vec::new()
    } else {
        split::split(m.price, &current).map_err(|e| UserError::failure(e.to_string()))?
    };
    let view = SplitView {
        id,
        platform: m.platform.clone(),
        price_money: m.price,
        price: m.price.amount_string(),
        currency: currency.code(),
        parts: parts
            .iter()
            .zip(&current)
            .map(|(p, (_, rule))| PartView {
                member: p.member.clone(),
                shares: match rule {
                    SplitRule::Shares(n) => Some(*n),
                    SplitRule::Fixed(_) => None,
                },
                fixed: match rule {
                    SplitRule::Fixed(f) => {
                        Some(tuiding_core::Money::from_minor(*f, currency).amount_string())
                    }
                    SplitRule::Shares(_) => None,
                },
                amount: p.amount.amount_string(),
                amount_money: p.amount,
            })
            .collect(),
    };
    Ok(view)
}

fn pair<'a>(flag: &str, spec: &'a str, lang: Lang) -> anyhow::Result<(String, &'a str)> {
    // The value never holds '=', a name may: the last '=' splits them.
    let (name, value) = spec.rsplit_once('=').ok_or_else(|| {
        UserError::usage(
            flag,
            format!(
                "{spec:?}: {}",
                lang.pick("写成 名字=值", "write it as NAME=VALUE")
            ),
        )
    })?;
    if name.trim().is_empty() {
        return Err(UserError::usage(
            flag,
            format!("{spec:?}: {}", lang.pick("缺少名字", "no name")),
        ));
    }
    Ok((name.trim().to_string(), value))
}
