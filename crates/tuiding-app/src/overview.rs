//! The overview (the web's home page): what renews soon and the last day to cancel it,
//! what it all costs, the charges of the next twelve months and what needs action.

use tuiding_store::prelude::*;

use crate::context::{Backend, Ctx};
use crate::due::{self, DueItem};
use crate::error::Localize;
use crate::renewals::{self, CurrencyTotal, RenewalItem};
use crate::summary::{self, Summary};

/// Everything the overview shows, from one read of the ledger.
pub struct Overview {
    /// Costs per currency and category.
    pub summary: Summary,
    /// Key dates of the next 30 days.
    pub soon: Vec<RenewalItem>,
    /// Charges of the next 12 months, per month.
    pub months: Vec<(String, Vec<CurrencyTotal>)>,
    /// What needs action.
    pub due: Vec<DueItem>,
    /// The next last safe cancel day of each membership renewing in the next 30 days.
    pub key_days: Vec<due::KeyDay>,
    /// What the imported bills show was paid for memberships in the last 12 months.
    pub spent: crate::bills::streams::Spending,
    /// Memberships closed through one channel that another can still charge.
    pub still_charging: Vec<crate::demo::Warning>,
}

/// Reads the overview (the same operations as `summary`, `renewals` and `due`).
pub fn overview(ctx: &Ctx<impl Backend>) -> anyhow::Result<Overview> {
    let store = ctx.open_store()?;
    let stored = ctx.memberships(&store)?;
    let price_changes = store.price_changes().localize(ctx.lang)?;
    let summary = summary::build(ctx, &stored, &price_changes)?;
    let still_charging = crate::demo::lingering(&stored);
    let in_days = |days: i64| {
        ctx.today
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(ctx.today)
    };
    // One pass over the year ahead gives both the chart and the next 30 days.
    let year = renewals::build(ctx, &stored, in_days(365), &price_changes)?;
    let months = renewals::by_month(&year)?;
    let until = in_days(30);
    let soon = year
        .renewals
        .into_iter()
        .filter(|r| r.date <= until)
        .collect();
    let key_days = due::key_days(ctx, &store, Some(30))?;
    let spent = crate::bills::streams::spending(ctx, &store)?;
    drop(store);
    let due = due::items(ctx, None)?;
    Ok(Overview {
        summary,
        soon,
        months,
        due,
        key_days,
        spent,
        still_charging,
    })
}
