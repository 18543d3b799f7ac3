//! `tuiding demo`: a demo data directory with realistic memberships, then the overview a
//! user wants first: what renews in the next 30 days, what it all costs, and where a
//! "cancelled" membership can still charge.

use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use tuiding_core::{
    AutoRenewContract, Benefit, Billing, Channel, ContractStatus, Currency, Lang, Membership,
    Money, Period,
};
use tuiding_store::PolicyInput;
use tuiding_store::prelude::*;

use crate::context::{Ctx, DB_FILE};
use crate::error::{Localize, UserError};
use crate::{renewals, summary};

/// Marks a directory as created by `demo`, so a later `demo` may overwrite it.
const MARKER: &str = ".tuiding-demo";

#[derive(Serialize)]
pub struct DemoReport {
    pub data_dir: PathBuf,
    /// How many memberships were written.
    #[serde(skip)]
    pub memberships: usize,
    pub renewals: renewals::RenewalsReport,
    pub summary: summary::Summary,
    pub warnings: Vec<Warning>,
}

/// A membership that can still charge through a channel although another was closed.
#[derive(Serialize)]
pub struct Warning {
    pub id: i64,
    pub platform: String,
    pub plan: String,
    /// Channels that can still charge although another channel was closed.
    pub still_charging: Vec<&'static str>,
    /// The same channels, for wording.
    #[serde(skip)]
    pub channels: Vec<Channel>,
}

/// The memberships that can still charge through a channel although another was closed
/// (closed in the app, still contracted at WeChat Pay): the demo's and the overview's
/// warning.
pub fn lingering(stored: &[tuiding_store::StoredMembership]) -> Vec<Warning> {
    stored
        .iter()
        .filter_map(|s| {
            let lingering = s.membership.lingering_channels();
            (!lingering.is_empty()).then(|| Warning {
                id: s.id,
                platform: s.membership.platform.clone(),
                plan: s.membership.plan.clone(),
                still_charging: lingering.iter().map(|c| c.as_str()).collect(),
                channels: lingering.clone(),
            })
        })
        .collect()
}

/// Fills a demo data directory (`--data-dir`, else `tuiding-demo` in the temp dir) with
/// realistic memberships and returns the overview (`tuiding demo`). A directory that holds
/// anything but an earlier demo is refused.
pub fn demo(ctx: &Ctx) -> anyhow::Result<DemoReport> {
    let dir = match ctx.explicit_data_dir() {
        Some(dir) => dir.to_path_buf(),
        None => std::env::temp_dir().join("tuiding-demo"),
    };
    prepare(ctx, &dir)?;
    let mut store = ctx.open_store_in(&dir)?;
    std::fs::write(
        dir.join(MARKER),
        "created by `tuiding demo`; safe to delete\n",
    )?;
    let catalogue = ctx.catalogue()?;
    let memberships = demo_memberships(ctx.today);
    let texts: Vec<Option<(String, String)>> = memberships
        .iter()
        .map(|(_, template)| {
            template
                .and_then(|name| catalogue.get(name))
                .map(|t| (t.text.clone(), format!("template:{}", t.name)))
        })
        .collect();
    let items: Vec<_> = memberships
        .iter()
        .zip(&texts)
        .map(|((m, _), text)| {
            (
                m.clone(),
                text.as_ref()
                    .map(|(text, origin)| PolicyInput { text, origin }),
            )
        })
        .collect();
    store
        .add_memberships_with_policies(&items)
        .localize(ctx.lang)?;
    let stored = store.memberships().localize(ctx.lang)?;
    let until = ctx.today.checked_add(30.days())?;
    let price_changes = store.price_changes().localize(ctx.lang)?;
    let report = DemoReport {
        data_dir: dir.clone(),
        memberships: stored.len(),
        renewals: renewals::build(ctx, &stored, until, &price_changes)?,
        summary: summary::build(ctx, &stored, &price_changes)?,
        warnings: lingering(&stored),
    };
    Ok(report)
}

/// Makes `dir` ready for a fresh demo: missing, empty, or made by an earlier demo.
/// Anything else is refused, so a demo can never overwrite a real ledger.
fn prepare(ctx: &Ctx, dir: &Path) -> anyhow::Result<()> {
    let empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => return Err(e.into()),
    };
    if empty {
        return Ok(());
    }
    if !dir.join(MARKER).exists() {
        return Err(UserError::failure(match ctx.lang {
            Lang::Zh => format!(
                "{} 不是空目录，也不是演示目录；为保护你的数据，演示不会写入这里。请换一个 --data-dir",
                dir.display()
            ),
            Lang::En => format!(
                "{} is neither empty nor a demo directory; to protect your data the demo will not write there. Choose another --data-dir",
                dir.display()
            ),
        }));
    }
    for name in [
        DB_FILE.to_string(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
    ] {
        match std::fs::remove_file(dir.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

/// Realistic memberships, dated relative to `today` so the overview always has
/// something coming up. Prices are typical list prices; the card-shop name is invented.
fn demo_memberships(today: Date) -> Vec<(Membership, Option<&'static str>)> {
    let ago = |days: i64| today.checked_sub(days.days()).unwrap_or(today);
    let cny = |text: &str| Money::parse(text, Currency::CNY).expect("demo prices are valid");
    let contract = |channel, status| AutoRenewContract { channel, status };
    let periodic =
        |platform: &str, plan: &str, period, price, start, auto_renew, category: &str| Membership {
            platform: platform.into(),
            plan: plan.into(),
            billing: Billing::Periodic(period),
            price,
            start,
            paid_through: None,
            trial_until: None,
            auto_renew,
            benefits: vec![],
            category: Some(category.into()),
            notes: None,
        };
    let mut list = vec![
        periodic(
            "爱奇艺",
            "黄金VIP连续包月",
            Period::month(),
            cny("25"),
            ago(299),
            vec![contract(Channel::WechatPay, ContractStatus::Active)],
            "视频",
        ),
        periodic(
            "腾讯视频",
            "VIP连续包季",
            Period::quarter(),
            cny("68"),
            ago(75),
            vec![
                contract(Channel::Alipay, ContractStatus::Active),
                contract(Channel::InApp, ContractStatus::Active),
            ],
            "视频",
        ),
        periodic(
            "QQ音乐",
            "豪华绿钻连续包月",
            Period::month(),
            cny("18"),
            ago(402),
            vec![contract(Channel::AppStore, ContractStatus::Active)],
            "音乐",
        ),
        periodic(
            "百度网盘",
            "超级会员连续包年",
            Period::year(),
            cny("258"),
            ago(342),
            vec![
                contract(Channel::Alipay, ContractStatus::Active),
                contract(Channel::InApp, ContractStatus::Active),
            ],
            "网盘",
        ),
        periodic(
            "芒果TV",
            "会员连续包月",
            Period::month(),
            cny("22"),
            ago(190),
            vec![
                contract(Channel::InApp, ContractStatus::Closed(ago(12))),
                contract(Channel::WechatPay, ContractStatus::Active),
            ],
            "视频",
        ),
        periodic(
            "ChatGPT",
            "Plus",
            Period::month(),
            Money::parse("$20", Currency::CNY).expect("valid"),
            ago(48),
            vec![contract(Channel::AppStore, ContractStatus::Active)],
            "工具",
        ),
        periodic(
            "阅读星球",
            "连续包周会员",
            Period::week(),
            cny("19"),
            ago(17),
            vec![contract(Channel::WechatPay, ContractStatus::Active)],
            "阅读",
        ),
        periodic(
            "星辰卡盟",
            "钻石会员（进货价九折）",
            Period::year(),
            cny("128"),
            ago(371),
            vec![contract(Channel::Alipay, ContractStatus::Unknown)],
            "游戏",
        ),
    ];
    list[6].notes = Some("首周 ¥1 试用后按周自动续费 / ¥1 first week, then weekly".into());
    let mut meituan = periodic(
        "美团",
        "外卖神券会员",
        Period::month(),
        cny("15"),
        ago(95),
        vec![contract(Channel::WechatPay, ContractStatus::Active)],
        "生活",
    );
    meituan.benefits = vec![Benefit {
        name: "5元无门槛红包".into(),
        unit_value: Some(cny("5")),
        quantity: 4,
        redeemed: 3,
    }];
    list.push(meituan);
    let jd_start = ago(160);
    list.push(Membership {
        platform: "京东".into(),
        plan: "PLUS会员年卡".into(),
        billing: Billing::OneTime,
        price: cny("198"),
        start: jd_start,
        paid_through: Period::year()
            .boundary(jd_start, 1)
            .ok()
            .and_then(|d| d.yesterday().ok()),
        trial_until: None,
        auto_renew: vec![],
        benefits: vec![Benefit {
            name: "运费券".into(),
            unit_value: Some(cny("6")),
            quantity: 60,
            redeemed: 14,
        }],
        category: Some("购物".into()),
        notes: None,
    });
    list.push(Membership {
        platform: "Keep".into(),
        plan: "会员月卡（信用卡积分兑换）".into(),
        billing: Billing::Gifted,
        price: Money::zero(Currency::CNY),
        start: ago(18),
        paid_through: today.checked_add(12.days()).ok(),
        trial_until: None,
        auto_renew: vec![],
        benefits: vec![],
        category: Some("运动".into()),
        notes: Some("到期后不会自动扣费；如弹出续费请勿点 / does not renew by itself".into()),
    });
    // Terms from the catalogue where a typical one fits; 美团 and 阅读星球 have none, so
    // their rule check shows what is missing.
    list.into_iter()
        .map(|m| {
            let template = match m.platform.as_str() {
                "爱奇艺" | "芒果TV" | "腾讯视频" => Some("video-monthly-vip"),
                "QQ音乐" | "ChatGPT" => Some("app-store-subscription"),
                "星辰卡盟" => Some("kameng-annual"),
                "百度网盘" => Some("annual-list-price"),
                "京东" => Some("one-time-buyout"),
                "Keep" => Some("gifted-member"),
                _ => None,
            };
            (m, template)
        })
        .collect()
}
