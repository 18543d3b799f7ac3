//! Memberships: the list, the add and edit forms (each problem shown beside its field),
//! and the detail page with the rule check, the channels to close and the advice.

use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use serde::Deserialize;
use tuiding_app::check::{CheckView, check_view};
use tuiding_app::context::Ctx;
use tuiding_app::error::field_and_reason;
use tuiding_app::memberships::MembershipView;
use tuiding_app::memberships::edit::MembershipChange;
use tuiding_app::memberships::input::MembershipInput;
use tuiding_app::memberships::labels::{price_label, status_label};
use tuiding_app::memberships::listing::{ListQuery, Row, categories};
use tuiding_core::{Channel, Lang};

use super::{Chrome, OrPage, PageResult, notice, page};
use crate::security::{CsrfToken, check_form_token};
use crate::state::{AppState, ReqLang};

fn chrome(state: &AppState, lang: Lang, csrf: CsrfToken) -> Chrome {
    Chrome::new(state, lang, csrf, "memberships")
}

/// A note to show after a redirect (`?done=added`).
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
    /// `leaving`, `staying` or `undecided`: the rule check's intent switch.
    #[serde(default)]
    intent: Option<String>,
}

fn done_text(c: &Chrome, done: &Done) -> Option<&'static str> {
    match done.done.as_deref()? {
        "added" => Some(c.t("已添加。", "Added.")),
        "saved" => Some(c.t("已保存。", "Saved.")),
        "closed" => Some(c.t("已记录该渠道关闭。", "The channel is recorded as closed.")),
        "removed" => Some(c.t("已删除。", "Removed.")),
        "adopted" => Some(c.t("已从账单记为会员。", "Adopted from your bills.")),
        "policy" => Some(c.t("已保存为退款规则。", "Saved as the refund policy.")),
        _ => None,
    }
}

/// `GET /memberships`: the list with search, filters and sort (`?q=&category=&channel=&status=&sort=`).
pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Query(done): Query<Done>,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let rows = state
        .run(lang, tuiding_app::memberships::listing::rows)
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let shown = query.apply(&rows);
    let body = html! {
        (notice(done_text(&c, &done)))
        div.actions {
            a.button href="/memberships/new" { (c.t("添加会员", "Add a membership")) }
            a.button.secondary href="/import" { (c.t("从账单找出会员", "Find them in bill exports")) }
        }
        @if rows.is_empty() {
            section.card.empty {
                p { (c.t("还没有会员。添加第一个，或导入支付宝、微信账单让退订替你找出每月扣费的会员。", "No memberships yet. Add the first one, or import your Alipay or WeChat Pay bills and tuiding finds what charges you every month.")) }
            }
        } @else {
            (filters(&c, &query, &rows))
            p.small.muted role="status" #count {
                (shown.len()) " / " (rows.len()) (c.t(" 个会员", " memberships"))
            }
            @if shown.is_empty() {
                section.card.empty {
                    p { (c.t("没有符合条件的会员。", "No membership matches.")) }
                    a.button.secondary href="/memberships" { (c.t("清除筛选", "Clear the filters")) }
                }
            } @else {
                table.list #memberships {
                    thead { tr {
                        th scope="col" { (c.t("会员", "Membership")) }
                        th.num scope="col" { (c.t("价格", "Price")) }
                        th.num scope="col" { (c.t("每月", "Per month")) }
                        th scope="col" { (c.t("下次续费", "Next renewal")) }
                        th scope="col" { (c.t("最后安全退订日", "Last safe cancel day")) }
                        th scope="col" { (c.t("仍可扣费的渠道", "Channels still able to charge")) }
                        th scope="col" { (c.t("状态", "Status")) }
                    } }
                    tbody { @for r in &shown { (row(&c, r)) } }
                }
            }
        }
    };
    Ok(page(&c, c.t("会员", "Memberships"), body).into_response())
}

fn row(c: &Chrome, r: &Row) -> Markup {
    let v = &r.view;
    let lang = c.lang;
    html! {
        tr.ended[v.status == "ended"] {
            td.title {
                a href={"/memberships/" (v.id)} { (v.platform) " " (v.plan) }
                @if let Some(cat) = &v.category { " " small.muted { (cat) } }
            }
            td.num data-label=(c.t("价格", "Price")) { (price_label(&v.membership, lang)) }
            td.num data-label=(c.t("每月", "Per month")) { @if let Some(m) = &v.monthly_cost { (m) " " (v.currency) } @else { "—" } }
            td.date data-label=(c.t("下次续费", "Next renewal")) { @if let Some(d) = v.next_renewal { (d) } @else { "—" } }
            td.date data-label=(c.t("最后安全退订日", "Last safe cancel day")) { @if let Some(d) = r.last_safe_cancel_day { strong.key { (d) } } @else { "—" } }
            td data-label=(c.t("仍可扣费", "Can still charge")) {
                @if r.open_channels.is_empty() { span.muted { (c.t("无", "none")) } }
                @else { span.chips { @for ch in &r.open_channels {
                    span.chip.open { (ch.parse::<Channel>().map_or(*ch, |x| x.label(lang))) }
                } } }
            }
            td data-label=(c.t("状态", "Status")) { (status_label(v, lang)) }
        }
    }
}

fn filters(c: &Chrome, q: &ListQuery, rows: &[Row]) -> Markup {
    let sorts = [
        ("next_renewal", c.t("下次续费", "next renewal")),
        ("last_safe", c.t("最后安全退订日", "last safe cancel day")),
        ("price", c.t("价格", "price")),
        ("monthly", c.t("每月费用", "monthly cost")),
        ("name", c.t("名称", "name")),
    ];
    let statuses = [
        ("renewing", c.t("会续费", "will renew")),
        ("active", c.t("生效中", "active")),
        ("ending", c.t("到期不续", "ending")),
        ("upcoming", c.t("未开始", "upcoming")),
        ("ended", c.t("已结束", "ended")),
    ];
    html! {
        form.filters method="get" action="/memberships" role="search" {
            div.field {
                label for="q" { (c.t("搜索", "Search")) }
                input type="search" id="q" name="q" value=(q.q) placeholder=(c.t("平台、套餐、备注", "platform, plan, notes"));
            }
            div.field {
                label for="category" { (c.t("类别", "Category")) }
                select id="category" name="category" {
                    option value="" { (c.t("全部", "all")) }
                    @for cat in categories(rows) { option value=(cat) selected[q.category == cat] { (cat) } }
                    option value="-" selected[q.category == "-"] { (c.t("未分类", "uncategorised")) }
                }
            }
            div.field {
                label for="channel" { (c.t("仍可扣费的渠道", "Can still charge through")) }
                select id="channel" name="channel" {
                    option value="" { (c.t("全部", "all")) }
                    @for ch in Channel::ALL { option value=(ch.as_str()) selected[q.channel == ch.as_str()] { (ch.label(c.lang)) } }
                    option value="none" selected[q.channel == "none"] { (c.t("没有渠道能扣费", "no channel")) }
                }
            }
            div.field {
                label for="status" { (c.t("状态", "Status")) }
                select id="status" name="status" {
                    option value="" { (c.t("全部", "all")) }
                    @for (value, label) in statuses { option value=(value) selected[q.status == value] { (label) } }
                }
            }
            div.field {
                label for="sort" { (c.t("排序", "Sort by")) }
                select id="sort" name="sort" {
                    @for (value, label) in sorts { option value=(value) selected[q.sort == value || (q.sort.is_empty() && value == "next_renewal")] { (label) } }
                }
            }
            div.field { button.secondary type="submit" { (c.t("筛选", "Apply")) } }
        }
    }
}

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
}

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
            auto_renew: opt(&self.auto_renew).into_iter().collect(),
            benefits: vec![],
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
            ..MembershipForm::default()
        }
    }
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
                @for e in &errs { span.problem id={(name) "-problem"} role="alert" { (e) } }
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
    let general: Vec<&String> = problems
        .iter()
        .filter(|(f, _)| f.is_empty())
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
            (field("currency", c.t("币种", "Currency"), text("currency", &f.currency, "text"), c.t("默认 CNY", "default CNY")))
            (field("start", c.t("开始日期", "Start date"), text("start", &f.start, "date"), c.t("首个付费周期第一天，默认今天", "first day of the first paid period; default today")))
            (field("paid_through", c.t("已付费至", "Paid through"), text("paid_through", &f.paid_through, "date"), ""))
            (field("trial_until", c.t("试用至（转正扣费日）", "Trial converts on"), text("trial_until", &f.trial_until, "date"), ""))
            @if !editing {
                (field("auto_renew", c.t("自动续费渠道", "Auto-renew through"), html! {
                    select id="auto_renew" name="auto_renew" {
                        option value="" { (c.t("无 / 不知道", "none / unknown")) }
                        @for ch in Channel::ALL { option value=(ch.as_str()) selected[f.auto_renew == ch.as_str()] { (ch.label(c.lang)) } }
                    }
                }, ""))
                (field("template", c.t("规则模板", "Policy template"), text("template", &f.template, "text"), c.t("可选，如 video-monthly-vip", "optional, e.g. video-monthly-vip")))
            }
            (field("category", c.t("类别", "Category"), text("category", &f.category, "text"), c.t("如 视频、音乐、网盘", "e.g. video, music, storage")))
            (field("notes", c.t("备注", "Notes"), html! { textarea id="notes" name="notes" rows="2" { (f.notes) } }, ""))
            button type="submit" { (if editing { c.t("保存", "Save") } else { c.t("添加", "Add") }) }
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

/// `POST /memberships`: adds, or shows the form again with each problem beside its field.
pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Form(f): Form<MembershipForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
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
            let body = form(&c, "/memberships", &f, &problems, false);
            Ok((
                StatusCode::BAD_REQUEST,
                page(&c, c.t("添加会员", "Add a membership"), body),
            )
                .into_response())
        }
    }
}

fn load(
    ctx: &Ctx,
    id: i64,
    intent: tuiding_core::checkup::Intent,
) -> anyhow::Result<(MembershipView, CheckView)> {
    let (_, check) = check_view(ctx, id, ctx.today, intent)?;
    Ok((tuiding_app::memberships::membership(ctx, id)?, check))
}

/// `GET /memberships/{id}`: the membership, the rule check and the advice.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Extension(csrf): Extension<CsrfToken>,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let intent = tuiding_app::check::parse_intent(done.intent.as_deref().unwrap_or(""));
    let (v, check) = state
        .run(lang, move |ctx| load(ctx, id, intent))
        .await
        .or_page(lang)?;
    let c = chrome(&state, lang, csrf);
    let title = format!("{} {}", v.platform, v.plan);
    let body = html! {
        (notice(done_text(&c, &done)))
        section.card {
            dl.facts {
                dt { (c.t("价格", "Price")) } dd { (price_label(&v.membership, lang)) }
                dt { (c.t("状态", "Status")) } dd { (status_label(&v, lang)) }
                @if let Some(p) = &v.current_period { dt { (c.t("本期", "This period")) } dd { (p.start) " ~ " (p.last_day) } }
                dt { (c.t("下次续费", "Next renewal")) } dd { @if let Some(d) = v.next_renewal { (d) } @else { "—" } }
                dt { (c.t("最后安全退订日", "Last safe cancel day")) } dd.key { @if let Some(d) = check.last_safe_cancel_day { strong { (d) } } @else { "—" } }
                @if let Some(m) = &v.monthly_cost { dt { (c.t("每月", "Per month")) } dd { (m) " " (v.currency) } }
                @if let Some(cat) = &v.category { dt { (c.t("类别", "Category")) } dd { (cat) } }
                dt { (c.t("退款规则", "Refund policy")) } dd { @if let Some(o) = &check.policy_origin { (o) } @else { (c.t("未设置（在“条款阅读”中粘贴协议即可生成）", "none (paste the agreement under Read terms)")) } }
            }
            p {
                a.button.secondary href={"/memberships/" (id) "/edit"} { (c.t("修改", "Edit")) } " "
                form.inline method="post" action={"/memberships/" (id) "/case"} {
                    (c.csrf_field())
                    button type="submit" { (c.t("开始退订（开启案件）", "Start cancelling (open a case)")) }
                }
            }
        }
        (super::decision::rule_check(&c, id, &check))
        section.card #channels {
            h2 { (c.t("需要关闭的自动续费渠道", "Auto-renew channels to close")) }
            @if check.channels_to_close.is_empty() { p.muted { (c.t("没有仍可扣费的渠道。", "No channel can still charge.")) } }
            ul.steps { @for ch in &check.channels_to_close {
                li {
                    strong { (ch.channel.parse::<Channel>().map_or(ch.channel, |x| x.label(lang))) } " — " (ch.how)
                    form.inline method="post" action={"/memberships/" (id) "/close"} {
                        (c.csrf_field())
                        input type="hidden" name="channel" value=(ch.channel);
                        button.small type="submit" { (c.t("我已关闭", "I closed it")) }
                    }
                }
            } }
        }
        section.card.danger {
            form.inline method="post" action={"/memberships/" (id) "/delete"} {
                (c.csrf_field())
                button.secondary type="submit" data-confirm=(c.t("确定删除这个会员？", "Remove this membership?")) { (c.t("删除会员", "Remove membership")) }
            }
        }
    };
    Ok(page(&c, &title, body).into_response())
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
    let mut fields = f.fields();
    fields.auto_renew.clear();
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
        ..MembershipChange::new(id, fields)
    };
    let saved = state
        .run(lang, move |ctx| match args.save(ctx) {
            Ok(_) => Ok(Ok(())),
            Err(e) if e.downcast_ref::<tuiding_app::error::UserError>().is_some() => {
                Ok(Err(field_and_reason(&e)))
            }
            Err(e) => Err(e),
        })
        .await
        .or_page(lang)?;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/memberships/{id}?done=saved")).into_response()),
        Err((field, message)) => {
            let c = chrome(&state, lang, csrf);
            let body = form(
                &c,
                &format!("/memberships/{id}/edit"),
                &f,
                &vec![(field, message)],
                true,
            );
            Ok((
                StatusCode::BAD_REQUEST,
                page(&c, c.t("修改会员", "Edit membership"), body),
            )
                .into_response())
        }
    }
}

/// A form with only the CSRF token.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    /// The form's CSRF token.
    pub csrf: String,
}

/// A channel the user closed.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    /// The form's CSRF token.
    pub csrf: String,
    /// The channel.
    pub channel: String,
}

/// `POST /memberships/{id}/close`: records a channel as closed today (`edit --close`).
pub async fn close(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CloseForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let args = MembershipChange {
        close: vec![f.channel.clone()],
        ..MembershipChange::new(id, MembershipInput::default())
    };
    state
        .run(lang, move |ctx| args.save(ctx).map(drop))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/memberships/{id}?done=closed")).into_response())
}

/// `POST /memberships/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    state
        .run(lang, move |ctx| {
            tuiding_app::memberships::edit::remove(ctx, id)
        })
        .await
        .or_page(lang)?;
    Ok(Redirect::to("/memberships?done=removed").into_response())
}

/// `POST /memberships/{id}/case`: opens a cancellation case.
pub async fn open_case(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<TokenForm>,
) -> PageResult {
    check_form_token(&headers, &f.csrf).or_page(lang)?;
    let case = state
        .run(lang, move |ctx| tuiding_app::case::open(ctx, id))
        .await
        .or_page(lang)?;
    Ok(Redirect::to(&format!("/cases/{case}?done=opened")).into_response())
}

/// This page's routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/memberships", get(list).post(create))
        .route("/memberships/new", get(new))
        .route("/memberships/{id}", get(show))
        .route("/memberships/{id}/edit", get(edit).post(update))
        .route("/memberships/{id}/close", post(close))
        .route("/memberships/{id}/delete", post(delete))
        .route("/memberships/{id}/case", post(open_case))
}
