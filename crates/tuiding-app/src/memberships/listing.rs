//! The memberships list as a tracker shows it: each membership with the last day it can
//! be cancelled without paying again and the channels still able to charge, searched,
//! filtered and sorted as the user asks. The rows are kept while the ledger is unchanged
//! ([`crate::memo`]); a query only picks and orders them.

use std::cmp::Ordering;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Deserialize;
use tuiding_core::checkup;
use tuiding_core::policy::Policy;
use tuiding_store::prelude::*;

use super::MembershipView;
use crate::context::{Backend, Ctx};
use crate::error::Localize;

/// One membership of the list.
#[derive(Debug)]
pub struct Row {
    pub view: MembershipView,
    /// The last day to cancel before the next renewal charges, when it renews.
    pub last_safe_cancel_day: Option<Date>,
    /// Channels that can still charge (`alipay`, `wechat_pay`, …).
    pub open_channels: Vec<&'static str>,
    /// The cost per month in minor units, for sorting.
    pub monthly_minor: Option<i64>,
}

/// Every membership as a row of the list.
pub fn rows(ctx: &Ctx<impl Backend>) -> anyhow::Result<Arc<Vec<Row>>> {
    ctx.remembered("memberships.rows", "", |ctx| {
        let views = super::memberships(ctx, None)?;
        let store = ctx.open_store()?;
        let calendar = ctx.calendar()?;
        let mut rows = Vec::with_capacity(views.len());
        for view in views {
            let m = &view.membership;
            let last_safe_cancel_day = if m.renews() {
                let policy = store
                    .policy(view.id)
                    .localize(ctx.lang)?
                    .and_then(|p| Policy::from_toml(&p.text).ok());
                checkup::check(m, policy.as_ref(), ctx.today, &calendar)
                    .ok()
                    .and_then(|c| c.last_safe_cancel_day)
            } else {
                None
            };
            let open_channels = m
                .auto_renew
                .iter()
                .filter(|c| c.status.can_charge())
                .map(|c| c.channel.as_str())
                .collect();
            let monthly_minor = m.monthly_cost().ok().flatten().map(|c| c.minor_units());
            rows.push(Row {
                view,
                last_safe_cancel_day,
                open_channels,
                monthly_minor,
            });
        }
        Ok(rows)
    })
}

/// What the user asks of the list: a search, filters and an order. Empty fields ask
/// nothing.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// Words to find in the platform, plan, category or notes (case-insensitive).
    pub q: String,
    /// `next_renewal` (default), `last_safe`, `price`, `monthly` or `name`.
    pub sort: String,
    /// A category, or `-` for none.
    pub category: String,
    /// A channel still able to charge (`alipay`…), or `none` for none at all.
    pub channel: String,
    /// `upcoming`, `active`, `ending`, `ended`, or `renewing` (everything that will charge).
    pub status: String,
    /// The page of the list shown (from 1; 0 or anything not a number is the first); a
    /// front end picks its size.
    #[serde(deserialize_with = "lenient_page")]
    pub page: usize,
}

/// A page number as a query string gives it: `page=abc` or `page=` is the first page, not
/// an error page.
fn lenient_page<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let text: String = Deserialize::deserialize(d)?;
    Ok(text.trim().parse().unwrap_or(0))
}

impl ListQuery {
    /// The query as a URL query string with another page (`q=…&sort=…&page=N`), every
    /// value percent-encoded.
    pub fn with_page(&self, page: usize) -> String {
        let mut parts: Vec<String> = [
            ("q", &self.q),
            ("category", &self.category),
            ("channel", &self.channel),
            ("status", &self.status),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::text::url_encode(v)))
        .collect();
        parts.push(format!("page={page}"));
        parts.join("&")
    }

    /// Whether the query narrows the list at all.
    pub fn filters(&self) -> bool {
        !(self.q.trim().is_empty()
            && self.category.is_empty()
            && self.channel.is_empty()
            && self.status.is_empty())
    }

    /// The rows it asks for, in its order.
    pub fn apply<'a>(&self, rows: &'a [Row]) -> Vec<&'a Row> {
        let words: Vec<String> = self.q.split_whitespace().map(str::to_lowercase).collect();
        let mut out: Vec<&Row> = rows
            .iter()
            .filter(|r| words.iter().all(|w| haystack(r).contains(w.as_str())))
            .filter(|r| match self.category.as_str() {
                "" => true,
                "-" => r.view.category.is_none(),
                c => r.view.category.as_deref() == Some(c),
            })
            .filter(|r| match self.channel.as_str() {
                "" => true,
                "none" => r.open_channels.is_empty(),
                c => r.open_channels.contains(&c),
            })
            .filter(|r| match self.status.as_str() {
                "" => true,
                "renewing" => r.view.membership.renews(),
                s => r.view.status == s,
            })
            .collect();
        let by_date = |a: Option<Date>, b: Option<Date>| match (a, b) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let name = |r: &Row| (r.view.platform.to_lowercase(), r.view.plan.to_lowercase());
        match self.sort.as_str() {
            "last_safe" => {
                out.sort_by(|a, b| by_date(a.last_safe_cancel_day, b.last_safe_cancel_day))
            }
            "price" => out.sort_by(|a, b| {
                largest_first(
                    Some(a.view.membership.price.minor_units()),
                    Some(b.view.membership.price.minor_units()),
                )
            }),
            "monthly" => out.sort_by(|a, b| largest_first(a.monthly_minor, b.monthly_minor)),
            "name" => out.sort_by_key(|r| name(r)),
            _ => out.sort_by(|a, b| by_date(a.view.next_renewal, b.view.next_renewal)),
        }
        out
    }
}

/// Largest first, unknown last. Amounts of different currencies compare by their minor
/// units: the order is stable, not an exchange rate.
fn largest_first(a: Option<i64>, b: Option<i64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn haystack(r: &Row) -> String {
    let v = &r.view;
    format!(
        "{} {} {} {}",
        v.platform,
        v.plan,
        v.category.as_deref().unwrap_or(""),
        v.notes.as_deref().unwrap_or("")
    )
    .to_lowercase()
}

/// The categories in the ledger, sorted, for the filter's choices.
pub fn categories(rows: &[Row]) -> Vec<&str> {
    let mut out: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.view.category.as_deref())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memberships::input::MembershipInput;
    use tuiding_core::Lang;
    use tuiding_store::MemoryStore;

    fn ctx() -> Ctx<MemoryStore> {
        let ctx = Ctx::with_backend(
            MemoryStore::new(),
            Lang::Zh,
            jiff::civil::date(2026, 11, 30),
            None,
        );
        for (platform, period, price, start, category, channel) in [
            (
                "爱奇艺",
                "month",
                "25",
                "2026-11-05",
                Some("视频"),
                Some("wechat_pay"),
            ),
            (
                "QQ音乐",
                "month",
                "15",
                "2026-11-20",
                Some("音乐"),
                Some("alipay"),
            ),
            ("百度网盘", "year", "298", "2026-03-01", None, None),
            (
                "Spotify",
                "month",
                "$9.99",
                "2026-11-25",
                Some("音乐"),
                Some("bank_card"),
            ),
        ] {
            let input = MembershipInput {
                platform: Some(platform.into()),
                period: Some(period.into()),
                price: Some(price.into()),
                start: Some(start.into()),
                category: category.map(Into::into),
                auto_renew: channel.map(|c: &str| c.to_string()).into_iter().collect(),
                ..Default::default()
            };
            crate::memberships::add::add(&ctx, input, None).unwrap();
        }
        ctx
    }

    fn names(rows: &[&Row]) -> Vec<String> {
        rows.iter().map(|r| r.view.platform.clone()).collect()
    }

    #[test]
    fn the_list_is_searched_filtered_and_sorted() {
        let ctx = ctx();
        let rows = rows(&ctx).unwrap();
        let ask = |q: ListQuery| names(&q.apply(&rows));
        assert_eq!(
            ask(ListQuery::default()),
            ["爱奇艺", "QQ音乐", "Spotify", "百度网盘"],
            "soonest renewal first"
        );
        let q = |q: &str| ListQuery {
            q: q.into(),
            ..Default::default()
        };
        assert_eq!(ask(q("qq")), ["QQ音乐"]);
        assert_eq!(
            ask(q("音乐")),
            ["QQ音乐", "Spotify"],
            "the category is searched"
        );
        assert_eq!(ask(q("音乐 spot")), ["Spotify"], "every word must match");
        let category = ListQuery {
            category: "-".into(),
            ..Default::default()
        };
        assert_eq!(ask(category), ["百度网盘"]);
        let channel = ListQuery {
            channel: "alipay".into(),
            ..Default::default()
        };
        assert_eq!(ask(channel), ["QQ音乐"]);
        let none = ListQuery {
            channel: "none".into(),
            ..Default::default()
        };
        assert_eq!(ask(none), ["百度网盘"]);
        let by_monthly = ListQuery {
            sort: "monthly".into(),
            ..Default::default()
        };
        // Minor units of each membership's own currency: 2500, 2483 (298/12), 1500, 999.
        assert_eq!(ask(by_monthly), ["爱奇艺", "百度网盘", "QQ音乐", "Spotify"]);
        let by_name = ListQuery {
            sort: "name".into(),
            ..Default::default()
        };
        assert_eq!(
            ask(by_name),
            ["qq音乐", "spotify", "爱奇艺", "百度网盘"].map(|n| {
                rows.iter()
                    .find(|r| r.view.platform.to_lowercase() == n)
                    .unwrap()
                    .view
                    .platform
                    .clone()
            })
        );
        let safe = &rows.iter().find(|r| r.view.platform == "爱奇艺").unwrap();
        assert_eq!(safe.open_channels, ["wechat_pay"]);
        assert!(
            safe.last_safe_cancel_day
                .is_some_and(|d| d <= jiff::civil::date(2026, 12, 5))
        );
        assert_eq!(categories(&rows), ["视频", "音乐"]);
        let paged = ListQuery {
            q: "音乐 &=".into(),
            sort: "name".into(),
            ..Default::default()
        };
        assert_eq!(
            paged.with_page(3),
            "q=%E9%9F%B3%E4%B9%90%20%26%3D&sort=name&page=3"
        );
    }
}
