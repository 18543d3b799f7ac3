//! The add and edit forms: every field of a membership, its channels (several, each with
//! its status and the day it was closed) and its benefits, each problem shown beside its
//! field. The fields fill the same `MembershipInput` and `MembershipChange` the CLI's flags
//! and the JSON API fill.

use std::collections::BTreeMap;

use axum::Extension;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use serde::Deserialize;
use tuiding_app::error::field_and_reason;
use tuiding_app::memberships::MembershipView;
use tuiding_app::memberships::edit::MembershipChange;
use tuiding_app::memberships::input::MembershipInput;
use tuiding_core::Channel;

use super::chrome;
use crate::pages::{Chrome, OrPage, PageResult, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};

/// The fields of the add and edit forms.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct MembershipForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// Platform or brand.
    pub platform: String,
    /// Plan name.
    pub plan: String,
    /// `month`, `quarter`, `year`, … or `one_time`, `gifted`.
    pub billing: String,
    /// Price per period: `25`, `¥25`, `$9.99`.
    pub price: String,
    /// ISO 4217 currency; default CNY.
    pub currency: String,
    /// First day of the first paid period (YYYY-MM-DD).
    pub start: String,
    /// Last day already paid for (YYYY-MM-DD).
    pub paid_through: String,
    /// The day a trial converts (YYYY-MM-DD).
    pub trial_until: String,
    /// One channel, contracted and active.
    pub auto_renew: String,
    /// Category, e.g. 视频, 音乐.
    pub category: String,
    /// Free notes.
    pub notes: String,
    /// A policy template from the catalogue.
    pub template: String,
    /// The revision the edit form was made from.
    pub revision: String,
    /// Where a new price was seen when editing: `edit` (default) or `notice`.
    pub price_source: String,
    /// The day a new price takes effect (default: today).
    pub price_on: String,
    /// The channel and benefit rows: `channel_N`, `status_N`, `closed_N`, `was_channel_N`;
    /// `benefit_N`, `quantity_N`, `unit_N`, `redeemed_N`, `was_benefit_N`.
    #[serde(flatten)]
    pub rows: BTreeMap<String, String>,
}

/// One channel row of the form.
#[derive(Debug, Default, Clone)]
struct ChannelRow {
    channel: String,
    status: String,
    closed: String,
    /// The channel the row showed when the form was made (editing).
    was: String,
}

/// One benefit row of the form.
#[derive(Debug, Default, Clone)]
struct BenefitRow {
    name: String,
    quantity: String,
    unit: String,
    redeemed: String,
    /// The benefit's name when the form was made (editing).
    was: String,
}

/// The fields whose problems the form shows beside them (`--benefit`'s are `benefit`).
const SHOWN_FIELDS: [&str; 16] = [
    "platform",
    "plan",
    "billing",
    "period",
    "price",
    "currency",
    "start",
    "paid_through",
    "trial_until",
    "auto_renew",
    "close",
    "benefit",
    "benefits",
    "category",
    "notes",
    "template",
];

/// Rows beyond those filled: room to add more without a script.
const SPARE_ROWS: usize = 2;
/// Rows read from a posted form, at most.
const MAX_ROWS: usize = 64;

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl MembershipForm {
    /// The fields as the CLI's flags would give them.
    pub fn fields(&self) -> MembershipInput {
        let billing = self.billing.trim();
        MembershipInput {
            platform: opt(&self.platform),
            plan: opt(&self.plan),
            period: (!matches!(billing, "" | "one_time" | "gifted")).then(|| billing.to_string()),
            one_time: billing == "one_time",
            gifted: billing == "gifted",
            price: opt(&self.price),
            currency: opt(&self.currency),
            start: opt(&self.start),
            paid_through: opt(&self.paid_through),
            trial_until: opt(&self.trial_until),
            trial_days: None,
            auto_renew: opt(&self.auto_renew)
                .into_iter()
                .chain(self.channel_rows().iter().filter_map(ChannelRow::spec))
                .collect(),
            benefits: self
                .benefit_rows()
                .iter()
                .filter_map(BenefitRow::spec)
                .collect(),
            category: opt(&self.category),
            // Browsers send a textarea's line breaks as CRLF.
            notes: opt(&self.notes.replace("\r\n", "\n")),
            template: opt(&self.template),
        }
    }

    fn from_view(v: &MembershipView) -> MembershipForm {
        let m = &v.membership;
        MembershipForm {
            platform: m.platform.clone(),
            plan: m.plan.clone(),
            billing: match v.billing {
                "periodic" => v.period.clone().unwrap_or_default(),
                other => other.to_string(),
            },
            price: v.price.clone(),
            currency: v.currency.to_string(),
            start: m.start.to_string(),
            paid_through: m.paid_through.map(|d| d.to_string()).unwrap_or_default(),
            trial_until: m.trial_until.map(|d| d.to_string()).unwrap_or_default(),
            category: m.category.clone().unwrap_or_default(),
            notes: m.notes.clone().unwrap_or_default(),
            revision: v.revision.to_string(),
            rows: rows_of(m),
            ..MembershipForm::default()
        }
    }

    fn row(&self, name: &str, i: usize) -> String {
        self.rows
            .get(&format!("{name}_{i}"))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }

    /// How many rows of a kind the form holds (up to the last one given).
    fn row_count(&self, first: &str) -> usize {
        (0..MAX_ROWS)
            .rev()
            .find(|i| self.rows.contains_key(&format!("{first}_{i}")))
            .map_or(0, |i| i + 1)
    }

    fn channel_rows(&self) -> Vec<ChannelRow> {
        (0..self.row_count("channel").max(self.row_count("was_channel")))
            .map(|i| ChannelRow {
                channel: self.row("channel", i),
                status: self.row("status", i),
                closed: self.row("closed", i),
                was: self.row("was_channel", i),
            })
            .collect()
    }

    /// Problems of the rows the text format cannot carry: a benefit's name with a colon.
    fn row_problems(&self, lang: tuiding_core::Lang) -> Problems {
        self.benefit_rows()
            .iter()
            .filter(|r| r.name.contains([':', '：']))
            .map(|r| {
                (
                    "benefit".to_string(),
                    format!(
                        "{:?}: {}",
                        r.name,
                        lang.pick("名称里不能有冒号", "a name cannot contain a colon")
                    ),
                )
            })
            .collect()
    }

    fn benefit_rows(&self) -> Vec<BenefitRow> {
        (0..self.row_count("benefit").max(self.row_count("was_benefit")))
            .map(|i| BenefitRow {
                name: self.row("benefit", i),
                quantity: self.row("quantity", i),
                unit: self.row("unit", i),
                redeemed: self.row("redeemed", i),
                was: self.row("was_benefit", i),
            })
            .collect()
    }

    /// The change an edit form asks for beyond its fields: channels and benefits whose row
    /// was emptied (or given another name) are dropped.
    fn dropped(&self) -> (Vec<String>, Vec<String>) {
        let channels = self.channel_rows();
        let benefits = self.benefit_rows();
        let drop_channels = channels
            .iter()
            .filter(|r| !r.was.is_empty() && !channels.iter().any(|o| o.channel == r.was))
            .map(|r| r.was.clone())
            .collect();
        let drop_benefits = benefits
            .iter()
            .filter(|r| !r.was.is_empty() && !benefits.iter().any(|o| o.name == r.was))
            .map(|r| r.was.clone())
            .collect();
        (drop_channels, drop_benefits)
    }
}

impl ChannelRow {
    /// `CHANNEL:STATUS[:DATE]`, as `--auto-renew` takes it; none for an empty row.
    fn spec(&self) -> Option<String> {
        if self.channel.is_empty() {
            return None;
        }
        let status = if self.status.is_empty() {
            "active"
        } else {
            &self.status
        };
        Some(match (status, self.closed.is_empty()) {
            ("closed", false) => format!("{}:closed:{}", self.channel, self.closed),
            (status, _) => format!("{}:{status}", self.channel),
        })
    }
}

impl BenefitRow {
    /// `NAME:QUANTITY:UNIT_VALUE:REDEEMED`, as `--benefit` takes it; none for an empty row.
    fn spec(&self) -> Option<String> {
        if self.name.is_empty() {
            return None;
        }
        let redeemed = if self.redeemed.is_empty() {
            "0"
        } else {
            &self.redeemed
        };
        Some(format!(
            "{}:{}:{}:{redeemed}",
            self.name, self.quantity, self.unit
        ))
    }
}

/// The rows of a membership's channels and benefits as the edit form shows them.
fn rows_of(m: &tuiding_core::Membership) -> BTreeMap<String, String> {
    let mut rows = BTreeMap::new();
    for (i, c) in m.auto_renew.iter().enumerate() {
        let (status, closed) = match c.status {
            tuiding_core::ContractStatus::Active => ("active", String::new()),
            tuiding_core::ContractStatus::Unknown => ("unknown", String::new()),
            tuiding_core::ContractStatus::Closed(on) => ("closed", on.to_string()),
        };
        rows.insert(format!("channel_{i}"), c.channel.as_str().to_string());
        rows.insert(format!("was_channel_{i}"), c.channel.as_str().to_string());
        rows.insert(format!("status_{i}"), status.to_string());
        rows.insert(format!("closed_{i}"), closed);
    }
    for (i, b) in m.benefits.iter().enumerate() {
        rows.insert(format!("benefit_{i}"), b.name.clone());
        rows.insert(format!("was_benefit_{i}"), b.name.clone());
        rows.insert(format!("quantity_{i}"), b.quantity.to_string());
        rows.insert(
            format!("unit_{i}"),
            b.unit_value.map(|v| v.amount_string()).unwrap_or_default(),
        );
        rows.insert(format!("redeemed_{i}"), b.redeemed.to_string());
    }
    rows
}

/// Problems by field name (`price`), and those of no field under "".
type Problems = Vec<(String, String)>;

fn form(
    c: &Chrome,
    action: &str,
    f: &MembershipForm,
    problems: &Problems,
    editing: bool,
) -> Markup {
    let problem = |name: &str| {
        problems
            .iter()
            .filter(|(field, _)| field == name)
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
    };
    let field = |name: &'static str, label: &str, input: Markup, hint: &str| {
        let errs = problem(name);
        html! {
            div.field.invalid[!errs.is_empty()] {
                label for=(name) { (label) }
                (input)
                @if !hint.is_empty() { small.hint { (hint) } }
                @for (k, e) in errs.iter().enumerate() { span.problem id=[(k == 0).then(|| format!("{name}-problem"))] role="alert" { (e) } }
            }
        }
    };
    let mut billings: Vec<(&str, String)> = [
        ("month", c.t("每月", "monthly")),
        ("quarter", c.t("每季", "quarterly")),
        ("half-year", c.t("每半年", "half-yearly")),
        ("year", c.t("每年", "yearly")),
        ("week", c.t("每周", "weekly")),
        ("one_time", c.t("一次性买断", "one-time buy-out")),
        ("gifted", c.t("赠送 / 活动", "gifted / promotional")),
    ]
    .into_iter()
    .map(|(value, label)| (value, label.to_string()))
    .collect();
    // A period of its own (30d, 2m) stays selectable, so saving never changes it unasked.
    if !f.billing.is_empty() && !billings.iter().any(|(value, _)| *value == f.billing) {
        billings.insert(0, (f.billing.as_str(), f.billing.clone()));
    }
    // A problem of a field this form has no place for is shown above it, never lost.
    let general: Vec<&String> = problems
        .iter()
        .filter(|(f, _)| !SHOWN_FIELDS.contains(&f.as_str()))
        .map(|(_, m)| m)
        .collect();
    let text = |name: &'static str, value: &str, kind: &'static str| {
        html! { input type=(kind) id=(name) name=(name) value=(value) aria-invalid=[(!problem(name).is_empty()).then_some("true")]; }
    };
    html! {
        @for g in general { p.error role="alert" { (g) } }
        form.stack method="post" action=(action) novalidate {
            (c.csrf_field())
            @if editing { input type="hidden" name="revision" value=(f.revision); }
            (field("platform", c.t("平台 *", "Platform *"), text("platform", &f.platform, "text"), c.t("如 爱奇艺、网易云音乐", "e.g. iQIYI, Spotify")))
            (field("plan", c.t("套餐", "Plan"), text("plan", &f.plan, "text"), c.t("如 黄金VIP连续包月", "e.g. Premium monthly")))
            (field("billing", c.t("计费方式 *", "Billing *"), html! {
                select id="billing" name="billing" {
                    @for (value, label) in billings { option value=(value) selected[f.billing == value] { (label) } }
                }
            }, c.t("也可填 30d、2m 等", "")))
            (field("price", c.t("价格 *", "Price *"), text("price", &f.price, "text"), c.t("如 25、¥25、$9.99", "e.g. 25, ¥25, $9.99")))
            @if editing {
                div.row {
                    (field("price_source", c.t("价格变了？从哪里得知", "A new price: seen where"), html! {
                        select id="price_source" name="price_source" {
                            option value="edit" selected[f.price_source != "notice"] { (c.t("我改的 / 更正", "my edit / a correction")) }
                            option value="notice" selected[f.price_source == "notice"] { (c.t("平台的涨价通知或续费扣款", "the platform's notice or a renewal charge")) }
                        }
                    }, ""))
                    (field("price_on", c.t("新价格生效日", "New price from"), text("price_on", &f.price_on, "date"), c.t("默认今天；本期仍按原价", "default today; the period under way keeps its price")))
                }
            }
            (field("currency", c.t("币种", "Currency"), text("currency", &f.currency, "text"), c.t("默认 CNY", "default CNY")))
            (field("start", c.t("开始日期", "Start date"), text("start", &f.start, "date"), c.t("首个付费周期第一天，默认今天", "first day of the first paid period; default today")))
            (field("paid_through", c.t("已付费至", "Paid through"), text("paid_through", &f.paid_through, "date"), ""))
            (field("trial_until", c.t("试用至（转正扣费日）", "Trial converts on"), text("trial_until", &f.trial_until, "date"), ""))
            (channels_fieldset(c, f, &[problem("auto_renew"), problem("close")].concat()))
            (benefits_fieldset(c, f, &[problem("benefit"), problem("benefits")].concat()))
            @if !editing {
                (field("template", c.t("规则模板", "Policy template"), text("template", &f.template, "text"), c.t("可选，如 video-monthly-vip", "optional, e.g. video-monthly-vip")))
            }
            (field("category", c.t("类别", "Category"), text("category", &f.category, "text"), c.t("如 视频、音乐、网盘", "e.g. video, music, storage")))
            (field("notes", c.t("备注", "Notes"), html! { textarea id="notes" name="notes" rows="2" { (f.notes) } }, ""))
            button type="submit" { (if editing { c.t("保存", "Save") } else { c.t("添加", "Add") }) }
        }
    }
}

/// Where auto-renewal is contracted: one row per channel, with its status and the day it
/// was closed, and spare rows to add more.
fn channels_fieldset(c: &Chrome, f: &MembershipForm, problems: &[String]) -> Markup {
    let mut rows = f.channel_rows();
    // A lone channel posted the old way (`auto_renew=`) shows as a row.
    if let Some(channel) = opt(&f.auto_renew) {
        rows.insert(
            0,
            ChannelRow {
                channel,
                ..ChannelRow::default()
            },
        );
    }
    rows.retain(|r| !r.channel.is_empty() || !r.was.is_empty());
    rows.resize(rows.len() + SPARE_ROWS, ChannelRow::default());
    let statuses = [
        ("active", c.t("仍可扣费", "can charge")),
        ("unknown", c.t("不确定", "not sure")),
        ("closed", c.t("已关闭", "closed")),
    ];
    html! {
        fieldset #channels-fieldset aria-describedby="channels-hint" {
            legend { (c.t("自动续费渠道", "Auto-renew channels")) }
            p.hint #channels-hint { (c.t("在哪里签了自动扣费：App 内、微信支付、支付宝、苹果……每个渠道都要单独关闭。", "Where automatic payment is contracted: in the app, WeChat Pay, Alipay, the App Store… each must be closed on its own.")) }
            @for (k, e) in problems.iter().enumerate() { p.problem role="alert" id=[(k == 0).then_some("auto_renew-problem")] { (e) } }
            @for (i, r) in rows.iter().enumerate() {
                fieldset.row.channel-row {
                    legend.visually-hidden { (c.t("渠道 ", "Channel ")) (i + 1) }
                    @if !r.was.is_empty() { input type="hidden" name={"was_channel_" (i)} value=(r.was); }
                    div.field {
                        label for={"channel_" (i)} { (c.t("渠道", "Channel")) " " (i + 1) }
                        select id={"channel_" (i)} name={"channel_" (i)} {
                            option value="" { (c.t("—（无）", "— (none)")) }
                            @for ch in Channel::ALL { option value=(ch.as_str()) selected[r.channel == ch.as_str()] { (ch.label(c.lang)) } }
                        }
                    }
                    div.field {
                        label for={"status_" (i)} { (c.t("状态", "Status")) }
                        select id={"status_" (i)} name={"status_" (i)} {
                            @for (value, label) in statuses { option value=(value) selected[r.status == value] { (label) } }
                        }
                    }
                    div.field {
                        label for={"closed_" (i)} { (c.t("关闭日期", "Closed on")) }
                        input type="date" id={"closed_" (i)} name={"closed_" (i)} value=(r.closed);
                    }
                }
            }
        }
    }
}

/// What the membership grants (vouchers, coupons): one row each, with spare rows.
fn benefits_fieldset(c: &Chrome, f: &MembershipForm, problems: &[String]) -> Markup {
    let mut rows = f.benefit_rows();
    rows.retain(|r| !r.name.is_empty() || !r.was.is_empty());
    rows.resize(rows.len() + SPARE_ROWS, BenefitRow::default());
    html! {
        fieldset #benefits-fieldset {
            legend { (c.t("权益", "Benefits")) }
            p.hint { (c.t("会员送的券、次数等。用掉的权益会从退款里扣除，没用的可以先用再退。", "Vouchers or uses the membership grants. Used ones come off a refund; unused ones can be used before cancelling.")) }
            @for (k, e) in problems.iter().enumerate() { p.problem role="alert" id=[(k == 0).then_some("benefits-problem")] { (e) } }
            @for (i, r) in rows.iter().enumerate() {
                fieldset.row.benefit-row {
                    legend.visually-hidden { (c.t("权益 ", "Benefit ")) (i + 1) }
                    @if !r.was.is_empty() { input type="hidden" name={"was_benefit_" (i)} value=(r.was); }
                    div.field {
                        label for={"benefit_" (i)} { (c.t("名称", "Name")) " " (i + 1) }
                        input type="text" id={"benefit_" (i)} name={"benefit_" (i)} value=(r.name) placeholder=(c.t("如 观影券", "e.g. movie voucher"));
                    }
                    div.field {
                        label for={"quantity_" (i)} { (c.t("数量", "Quantity")) }
                        input type="number" min="0" inputmode="numeric" id={"quantity_" (i)} name={"quantity_" (i)} value=(r.quantity);
                    }
                    div.field {
                        label for={"unit_" (i)} { (c.t("单价", "Worth each")) }
                        input type="text" inputmode="decimal" id={"unit_" (i)} name={"unit_" (i)} value=(r.unit);
                    }
                    div.field {
                        label for={"redeemed_" (i)} { (c.t("已用", "Used")) }
                        input type="number" min="0" inputmode="numeric" id={"redeemed_" (i)} name={"redeemed_" (i)} value=(r.redeemed);
                    }
                }
            }
        }
    }
}

/// `GET /memberships/new`.
pub async fn new(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
) -> PageResult {
    let c = chrome(&state, lang, csrf);
    let f = MembershipForm {
        billing: "month".into(),
        ..MembershipForm::default()
    };
    Ok(page(
        &c,
        c.t("添加会员", "Add a membership"),
        form(&c, "/memberships", &f, &vec![], false),
    )
    .into_response())
}

/// The form again, each problem beside its field: 400.
fn form_again(
    c: &Chrome,
    action: &str,
    f: &MembershipForm,
    problems: &Problems,
    editing: bool,
) -> axum::response::Response {
    let title = if editing {
        c.t("修改会员", "Edit membership")
    } else {
        c.t("添加会员", "Add a membership")
    };
    (
        StatusCode::BAD_REQUEST,
        page(c, title, form(c, action, f, problems, editing)),
    )
        .into_response()
}

/// `POST /memberships`: adds, or shows the form again with each problem beside its field.
pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Form(f): Form<MembershipForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let early = f.row_problems(lang);
    if !early.is_empty() {
        let c = chrome(&state, lang, csrf);
        return Ok(form_again(&c, "/memberships", &f, &early, false));
    }
    let fields = f.fields();
    let outcome = state
        .run(lang, move |ctx| {
            let problems = fields.problems(ctx);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            match tuiding_app::memberships::add::add(ctx, fields, None) {
                Ok(id) => Ok(Ok(id)),
                Err(e) if e.downcast_ref::<tuiding_app::error::UserError>().is_some() => {
                    Ok(Err(vec![field_and_reason(&e)]))
                }
                Err(e) => Err(e),
            }
        })
        .await
        .or_page(lang)?;
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/memberships/{id}?done=added")).into_response()),
        Err(problems) => {
            let c = chrome(&state, lang, csrf);
            Ok(form_again(&c, "/memberships", &f, &problems, false))
        }
    }
}

/// `GET /memberships/{id}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<i64>,
) -> PageResult {
    // The form needs the membership only, not its rule check.
    let v = state
        .run(lang, move |ctx| {
            tuiding_app::memberships::membership(ctx, id)
        })
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let f = MembershipForm::from_view(&v);
    let body = form(&c, &format!("/memberships/{id}/edit"), &f, &vec![], true);
    Ok(page(&c, c.t("修改会员", "Edit membership"), body).into_response())
}

/// `POST /memberships/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<MembershipForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let early = f.row_problems(lang);
    if !early.is_empty() {
        let c = chrome(&state, lang, csrf);
        return Ok(form_again(
            &c,
            &format!("/memberships/{id}/edit"),
            &f,
            &early,
            true,
        ));
    }
    let mut fields = f.fields();
    let (drop_channel, drop_benefit) = f.dropped();
    // Cleared dates: the CLI says "none".
    for (value, slot) in [
        (&f.paid_through, &mut fields.paid_through),
        (&f.trial_until, &mut fields.trial_until),
    ] {
        if value.trim().is_empty() {
            *slot = Some("none".into());
        }
    }
    fields.category = Some(f.category.trim().to_string());
    fields.notes = Some(f.notes.replace("\r\n", "\n").trim().to_string());
    let args = MembershipChange {
        expected_revision: f.revision.trim().parse().ok(),
        drop_channel,
        drop_benefit,
        price_source: opt(&f.price_source).unwrap_or_else(|| "edit".into()),
        price_on: opt(&f.price_on),
        ..MembershipChange::new(id, fields)
    };
    let saved = state
        .run(lang, move |ctx| match args.save(ctx) {
            Ok(_) => Ok(Ok(())),
            // A membership that is not there (removed, or never this account's) is a
            // 404 page, not a form to correct.
            Err(e)
                if e.downcast_ref::<tuiding_app::error::UserError>()
                    .is_some_and(|u| !u.is_not_found()) =>
            {
                Ok(Err(field_and_reason(&e)))
            }
            Err(e) => Err(e),
        })
        .await
        .or_page(lang)?;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/memberships/{id}?done=saved")).into_response()),
        Err(problem) => {
            let c = chrome(&state, lang, csrf);
            let action = format!("/memberships/{id}/edit");
            Ok(form_again(&c, &action, &f, &vec![problem], true))
        }
    }
}
