//! The JSON API under `/api/v1`: the same operations as the pages and the CLI, with the
//! JSON of the CLI's `--json` output. Bad input answers 4xx with
//! `{"error": {"status", "message", "field"}}` and writes nothing.

pub mod decision;
pub mod docs;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tuiding_app::context::Ctx;
use tuiding_app::memberships::edit::MembershipChange;
use tuiding_app::memberships::input::MembershipInput;
use tuiding_app::memberships::{self, MembershipView};
use tuiding_app::{bills::streams, case, due, evidence, remind, renewals, summary};
use tuiding_core::case::CaseState;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, FieldProblem, WebError};
use crate::state::{AppState, ReqLang};
use crate::upload;

/// A JSON body whose rejection answers as an API error.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

/// An optional JSON body: none (or empty) is the default.
fn optional_body<T: serde::de::DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| WebError::bad_field("body", e.to_string()).into())
}

/// A path parameter whose rejection answers as an API error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Id<T>(pub T);

/// A query whose rejection answers as an API error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Q<T>(pub T);

fn membership_json(ctx: &Ctx, id: i64) -> anyhow::Result<MembershipView> {
    memberships::membership(ctx, id)
}

/// A JSON object with a key `T` does not have is refused (400) naming the key: the
/// known keys are those of `T`'s default serialised, flattened fields included.
fn reject_unknown<T: serde::Serialize + Default>(value: &Value) -> Result<(), ApiError> {
    let known = serde_json::to_value(T::default()).unwrap_or(Value::Null);
    let (Some(given), Some(known)) = (value.as_object(), known.as_object()) else {
        return Err(body_shape("expected a JSON object".to_string()));
    };
    match given.keys().find(|k| !known.contains_key(*k)) {
        // 422, as the typed JSON extractor answers a body of the wrong shape.
        Some(unknown) => Err(body_shape(format!("unknown field `{unknown}`"))),
        None => Ok(()),
    }
}

/// A JSON body that is well-formed but of the wrong shape: 422, field `body`.
fn body_shape(message: String) -> ApiError {
    let mut err = WebError::bad_field("body", message);
    err.status = StatusCode::UNPROCESSABLE_ENTITY;
    err.into()
}

/// Every membership (as `tuiding list --json`).
#[utoipa::path(get, path = "/api/v1/memberships", tag = "memberships",
    responses((status = 200, description = "Memberships as `tuiding list --json`", body = Object)))]
pub async fn list_memberships(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<Json<Value>> {
    let list = s
        .run(lang, |ctx| {
            Ok(serde_json::to_value(memberships::memberships(ctx, None)?)?)
        })
        .await?;
    Ok(Json(list))
}

fn problems_error(problems: Vec<(String, String)>) -> WebError {
    let problems: Vec<FieldProblem> = problems
        .into_iter()
        .map(|(field, message)| FieldProblem { field, message })
        .collect();
    let first = &problems[0];
    WebError {
        status: StatusCode::BAD_REQUEST,
        message: if first.field.is_empty() {
            first.message.clone()
        } else {
            format!("{}: {}", first.field, first.message)
        },
        field: Some(first.field.clone()).filter(|f| !f.is_empty()),
        problems,
    }
}

/// Adds a membership (as `tuiding add`); every field's problem is listed in one 400.
#[utoipa::path(post, path = "/api/v1/memberships", tag = "memberships", request_body = MembershipInput,
    responses((status = 201, description = "The new membership", body = Object),
              (status = 400, description = "Bad fields; nothing written", body = crate::error::ErrorBody)))]
pub async fn add_membership(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Body(input): Body<MembershipInput>,
) -> ApiResult<Response> {
    let view = s
        .run(lang, move |ctx| {
            let problems = input.problems(ctx);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            let id = tuiding_app::memberships::add::add(ctx, input, None)?;
            Ok(Ok(membership_json(ctx, id)?))
        })
        .await?
        .map_err(problems_error)?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// One membership (as `tuiding show --json`).
#[utoipa::path(get, path = "/api/v1/memberships/{id}", tag = "memberships", params(("id" = i64, Path)),
    responses((status = 200, description = "The membership", body = Object), (status = 404, description = "No such membership", body = crate::error::ErrorBody)))]
pub async fn get_membership(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
) -> ApiResult<Json<MembershipView>> {
    Ok(Json(
        s.run(lang, move |ctx| membership_json(ctx, id)).await?,
    ))
}

/// Changes a membership (as `tuiding edit`).
#[utoipa::path(patch, path = "/api/v1/memberships/{id}", tag = "memberships", params(("id" = i64, Path)), request_body = MembershipChange,
    responses((status = 200, description = "The membership after the change", body = Object),
              (status = 400, description = "Bad fields; nothing written", body = crate::error::ErrorBody),
              (status = 404, description = "No such membership", body = crate::error::ErrorBody)))]
pub async fn edit_membership(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    Body(body): Body<Value>,
) -> ApiResult<Json<MembershipView>> {
    reject_unknown::<MembershipChange>(&body)?;
    let mut change: MembershipChange =
        serde_json::from_value(body).map_err(|e| body_shape(e.to_string()))?;
    change.id = id;
    if !matches!(change.price_source.as_str(), "edit" | "notice") {
        return Err(WebError::bad_field("price_source", "edit | notice").into());
    }
    Ok(Json(
        s.run(lang, move |ctx| {
            change.save(ctx)?;
            membership_json(ctx, id)
        })
        .await?,
    ))
}

/// Removes a membership (as `tuiding rm`).
#[utoipa::path(delete, path = "/api/v1/memberships/{id}", tag = "memberships", params(("id" = i64, Path)),
    responses((status = 204, description = "Removed"), (status = 404, description = "No such membership", body = crate::error::ErrorBody)))]
pub async fn remove_membership(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
) -> ApiResult<StatusCode> {
    s.run(lang, move |ctx| {
        tuiding_app::memberships::edit::remove(ctx, id).map(drop)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?on=YYYY-MM-DD`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OnQuery {
    /// The day to check on; default today.
    pub on: Option<String>,
    /// `leaving` (the service left is worth nothing to you), `staying` or `undecided`.
    pub intent: Option<String>,
}

/// The rule check (as `tuiding check --json`).
#[utoipa::path(get, path = "/api/v1/memberships/{id}/check", tag = "memberships", params(("id" = i64, Path), OnQuery),
    responses((status = 200, description = "The rule check", body = Object), (status = 404, description = "No such membership", body = crate::error::ErrorBody)))]
pub async fn check(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    Q(q): Q<OnQuery>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        s.run(lang, move |ctx| {
            let on = match &q.on {
                Some(text) => tuiding_app::input::parse_date("--on", text, ctx.lang)?,
                None => ctx.today,
            };
            let intent = tuiding_app::check::parse_intent(q.intent.as_deref().unwrap_or(""));
            let (_, view) = tuiding_app::check::check_view(ctx, id, on, intent)?;
            Ok(serde_json::to_value(view)?)
        })
        .await?,
    ))
}

/// An agreement's text.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    /// The agreement (plain text or HTML).
    pub text: String,
    /// A name for where it came from (`iqiyi-vip.html`); default `agreement.txt`.
    #[serde(default)]
    pub name: Option<String>,
}

/// Reads an agreement (as `tuiding terms read --json`); stores nothing.
#[utoipa::path(post, path = "/api/v1/terms/read", tag = "terms", request_body = AgreementInput,
    responses((status = 200, description = "Findings with quotes and character offsets", body = Object), (status = 400, description = "Empty text", body = crate::error::ErrorBody)))]
pub async fn read_terms(
    ReqLang(lang): ReqLang,
    Body(input): Body<AgreementInput>,
) -> ApiResult<Json<tuiding_app::terms::Reading>> {
    if input.text.trim().is_empty() {
        return Err(WebError::bad_field(
            "text",
            lang.pick("协议文本为空", "the agreement is empty"),
        )
        .into());
    }
    // Reading a long agreement is CPU work: off the async threads.
    let reading = tokio::task::spawn_blocking(move || tuiding_app::terms::read_text(&input.text))
        .await
        .map_err(|e| WebError::internal(anyhow::anyhow!(e.to_string())))?;
    Ok(Json(reading))
}

/// Attaches an agreement's reading as a membership's policy (as `tuiding policy import`).
#[utoipa::path(put, path = "/api/v1/memberships/{id}/policy", tag = "terms", params(("id" = i64, Path)), request_body = AgreementInput,
    responses((status = 200, description = "The origin and the policy's TOML", body = Object),
              (status = 400, description = "Empty text", body = crate::error::ErrorBody), (status = 404, description = "No such membership", body = crate::error::ErrorBody)))]
pub async fn attach_policy(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    Body(input): Body<AgreementInput>,
) -> ApiResult<Json<Value>> {
    if input.text.trim().is_empty() {
        return Err(WebError::bad_field(
            "text",
            lang.pick("协议文本为空", "the agreement is empty"),
        )
        .into());
    }
    let name = crate::security::safe_file_name(input.name.as_deref().unwrap_or("agreement.txt"));
    Ok(Json(
        s.run(lang, move |ctx| {
            let reading = tuiding_app::terms::read_text(&input.text);
            let origin = tuiding_app::policy::attach_reading(ctx, id, &name, &reading)?;
            let toml = tuiding_app::policy::show(ctx, id)?.text;
            Ok(json!({"id": id, "origin": origin, "policy_toml": toml}))
        })
        .await?,
    ))
}

/// Monthly and yearly cost (as `tuiding summary --json`).
#[utoipa::path(get, path = "/api/v1/summary", tag = "overview", responses((status = 200, description = "Costs per currency and category", body = Object)))]
pub async fn get_summary(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<Json<summary::Summary>> {
    Ok(Json(s.run(lang, |ctx| summary::summary(ctx, false)).await?))
}

/// `?within=30d`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct WithinQuery {
    /// A window: `30`, `30d`, `2w`, `3m`, `1y`; default 30 days.
    pub within: Option<String>,
}

/// Renewals and service ends in a window (as `tuiding renewals --json`).
#[utoipa::path(get, path = "/api/v1/renewals", tag = "overview", params(WithinQuery), responses((status = 200, description = "Key dates in the window", body = Object), (status = 400, description = "Bad window", body = crate::error::ErrorBody)))]
pub async fn get_renewals(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Q(q): Q<WithinQuery>,
) -> ApiResult<Json<renewals::RenewalsReport>> {
    Ok(Json(
        s.run(lang, move |ctx| {
            let until = tuiding_app::input::parse_window(
                q.within.as_deref().unwrap_or("30d"),
                ctx.today,
                ctx.lang,
            )?;
            renewals::report(ctx, until)
        })
        .await?,
    ))
}

/// `?days=14`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DaysQuery {
    /// Days ahead for last safe cancel days; default each membership's longest lead.
    pub days: Option<u32>,
}

/// What needs action (as `tuiding due --json`).
#[utoipa::path(get, path = "/api/v1/due", tag = "overview", params(DaysQuery), responses((status = 200, description = "Items, soonest first", body = Object)))]
pub async fn get_due(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Q(q): Q<DaysQuery>,
) -> ApiResult<Json<Vec<due::DueItem>>> {
    Ok(Json(s.run(lang, move |ctx| due::items(ctx, q.days)).await?))
}

/// The reminders due today, whatever was sent (as `tuiding remind --dry-run`).
#[utoipa::path(get, path = "/api/v1/reminders", tag = "overview", responses((status = 200, description = "Reminders due today", body = Object)))]
pub async fn get_reminders(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<Json<Vec<remind::Reminder>>> {
    Ok(Json(s.run(lang, remind::pending).await?))
}

/// Stores bill exports (multipart, field `files`, several allowed; as `tuiding import`).
#[utoipa::path(post, path = "/api/v1/imports", tag = "bills",
    request_body(content_type = "multipart/form-data", description = "`files`: Alipay / WeChat Pay CSV or XLSX, bank CSV"),
    responses((status = 200, description = "Per file: read and added", body = Object),
              (status = 400, description = "No file, or a file that is no known export; nothing written", body = crate::error::ErrorBody),
              (status = 413, description = "Larger than 32 MiB", body = crate::error::ErrorBody)))]
pub async fn import_bills(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Json<Value>> {
    let up = upload::read(multipart?).await?;
    if up.files.is_empty() {
        return Err(WebError::bad_field(
            "files",
            lang.pick("请上传账单文件", "upload an export file"),
        )
        .into());
    }
    Ok(Json(
        s.run(lang, move |ctx| {
            let summaries = tuiding_app::bills::import(ctx, &up.files, &[])?;
            Ok(serde_json::to_value(summaries)?)
        })
        .await?,
    ))
}

/// Recurring charges in everything imported (as `tuiding streams --json`).
#[utoipa::path(get, path = "/api/v1/streams", tag = "bills", responses((status = 200, description = "Streams and alerts", body = Object)))]
pub async fn get_streams(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<Json<streams::Report>> {
    Ok(Json(s.run(lang, streams::report).await?))
}

/// Adopting a stream.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AdoptInput {
    /// A category for the new membership.
    pub category: Option<String>,
    /// The stream's `key` from `GET /api/v1/streams`: when given, a list that changed
    /// meanwhile (an import, a dismissal) is refused (422) instead of acting on another stream.
    pub key: Option<String>,
    /// Link the stream to this membership instead of creating one.
    pub into: Option<i64>,
    /// Create a membership even when one in the ledger looks the same.
    pub new: bool,
}

/// Adopts a stream as a membership, or links it to one (as `tuiding streams adopt ID
/// [--into M]`).
#[utoipa::path(post, path = "/api/v1/streams/{stream}/adopt", tag = "bills", params(("stream" = String, Path, description = "The stream's id in GET /api/v1/streams (or 4+ leading characters of it, or its number)")), request_body = AdoptInput,
    responses((status = 201, description = "The membership", body = Object), (status = 400, description = "No such stream", body = crate::error::ErrorBody), (status = 422, description = "Already adopted, or it looks like a membership in the ledger (link it with `into`, or send `new`)", body = crate::error::ErrorBody)))]
pub async fn adopt_stream(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(stream): Id<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let input = optional_body::<AdoptInput>(&body)?;
    let view = s
        .run(lang, move |ctx| {
            let key = input.key.as_deref();
            let which = streams::StreamRef::parse(&stream);
            let adoption = streams::adopt(ctx, &which, input.category, key, input.into, input.new)?;
            membership_json(ctx, adoption.id())
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Dismisses a stream (as `tuiding streams dismiss ID`).
#[utoipa::path(post, path = "/api/v1/streams/{stream}/dismiss", tag = "bills", params(("stream" = String, Path, description = "The stream's id (or its number)")), request_body = AdoptInput,
    responses((status = 200, description = "The dismissed stream's key and id", body = Object), (status = 400, description = "No such stream", body = crate::error::ErrorBody)))]
pub async fn dismiss_stream(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(stream): Id<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<streams::Dismissed>> {
    let key = optional_body::<AdoptInput>(&body)?.key;
    Ok(Json(
        s.run(lang, move |ctx| {
            let which = streams::StreamRef::parse(&stream);
            streams::dismiss(ctx, &which, key.as_deref())
        })
        .await?,
    ))
}

/// Every case (as `tuiding case list --json`).
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", responses((status = 200, description = "Cases", body = Object)))]
pub async fn list_cases(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<Json<Vec<case::ListItem>>> {
    Ok(Json(s.run(lang, case::list_items).await?))
}

/// Opening a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseInput {
    /// The membership to leave.
    pub membership_id: i64,
}

fn case_json(ctx: &Ctx, id: i64) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(case::show(ctx, id)?)?)
}

/// Opens a case (as `tuiding case open`).
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = OpenCaseInput,
    responses((status = 201, description = "The case", body = Object), (status = 404, description = "No such membership", body = crate::error::ErrorBody)))]
pub async fn open_case(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Body(input): Body<OpenCaseInput>,
) -> ApiResult<Response> {
    let view = s
        .run(lang, move |ctx| {
            let id = case::open(ctx, input.membership_id)?;
            case_json(ctx, id)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// One case (as `tuiding case show --json`).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = i64, Path)),
    responses((status = 200, description = "Steps, refund, completeness, evidence", body = Object), (status = 404, description = "No such case", body = crate::error::ErrorBody)))]
pub async fn get_case(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
) -> ApiResult<Json<Value>> {
    Ok(Json(s.run(lang, move |ctx| case_json(ctx, id)).await?))
}

/// A note for a step or a move.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NoteInput {
    /// A note kept with the record.
    pub note: Option<String>,
}

/// Marks a step done (as `tuiding case step ID STEP`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/steps/{step}", tag = "cases", params(("id" = i64, Path), ("step" = String, Path, description = "e.g. cancel:in_app, close:wechat_pay, request_refund")), request_body = NoteInput,
    responses((status = 200, description = "The case", body = Object), (status = 400, description = "No such step", body = crate::error::ErrorBody), (status = 404, description = "No such case", body = crate::error::ErrorBody)))]
pub async fn mark_step(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id((id, step)): Id<(i64, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let note = optional_body::<NoteInput>(&body)?.note;
    Ok(Json(
        s.run(lang, move |ctx| {
            case::mark_step(ctx, id, &step, note)?;
            case_json(ctx, id)
        })
        .await?,
    ))
}

/// Moving a case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// `escalated`, `resolved` or `closed`.
    pub to: String,
    #[serde(default)]
    /// A note kept with the record.
    pub note: Option<String>,
}

/// Escalates, resolves or closes a case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/move", tag = "cases", params(("id" = i64, Path)), request_body = MoveInput,
    responses((status = 200, description = "The case", body = Object), (status = 400, description = "Unknown state", body = crate::error::ErrorBody), (status = 422, description = "Not allowed from the current state", body = crate::error::ErrorBody)))]
pub async fn move_case(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    Body(input): Body<MoveInput>,
) -> ApiResult<Json<Value>> {
    let to = match input.to.as_str() {
        "escalated" => CaseState::Escalated,
        "resolved" => CaseState::Resolved,
        "closed" => CaseState::Closed,
        _ => return Err(WebError::bad_field("to", "escalated | resolved | closed").into()),
    };
    Ok(Json(
        s.run(lang, move |ctx| {
            case::move_case(ctx, id, to, input.note)?;
            case_json(ctx, id)
        })
        .await?,
    ))
}

/// A refund's progress: one of a request, a promise or a payment.
#[derive(Debug, Default, Deserialize, serde::Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RefundInput {
    /// The refund was requested (on `on`, default today).
    pub requested: bool,
    /// The amount promised (with `by`).
    pub promised: Option<String>,
    /// The day the refund was promised for.
    pub by: Option<String>,
    /// The amount received (on `on`, default today).
    pub received: Option<String>,
    /// The day of the request or the payment.
    pub on: Option<String>,
}

/// Records a refund's request, promise or payment (as `tuiding case refund`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/refund", tag = "cases", params(("id" = i64, Path)), request_body = RefundInput,
    responses((status = 200, description = "The case, with the refund's due day", body = Object),
              (status = 400, description = "Bad amount or date, or nothing to record", body = crate::error::ErrorBody),
              (status = 404, description = "No such case", body = crate::error::ErrorBody),
              (status = 422, description = "Not allowed in the case's state", body = crate::error::ErrorBody)))]
pub async fn record_refund(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    Body(input): Body<RefundInput>,
) -> ApiResult<Json<Value>> {
    let given = [
        input.requested,
        input.promised.is_some(),
        input.received.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(
            WebError::bad_field("body", "requested | promised | received: one at a time").into(),
        );
    }
    let facts = case::RefundFacts {
        requested: input.requested,
        promised: input.promised,
        by: input.by,
        received: input.received,
        on: input.on,
    };
    Ok(Json(
        s.run(lang, move |ctx| {
            case::record_refund(ctx, id, &facts)?;
            case_json(ctx, id)
        })
        .await?,
    ))
}

/// Stores evidence (multipart: `files`, `kind`, `step`, `note`; as `tuiding evidence add`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence", tag = "cases", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "`files` (several), `kind` (operation | communication | payment), `step`, `note`"),
    responses((status = 201, description = "The journal entries", body = Object), (status = 400, description = "No file, bad kind or step; nothing stored", body = crate::error::ErrorBody), (status = 404, description = "No such case", body = crate::error::ErrorBody)))]
pub async fn add_evidence(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let up = upload::read(multipart?).await?;
    let added = crate::pages::cases::store_evidence(&s, lang, id, up).await?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

/// `?mask=0` leaves numbers unmasked.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MaskQuery {
    /// `0`: do not mask ID, card and phone numbers.
    pub mask: Option<u8>,
}

/// The complaint dossier as a zip (as `tuiding case export`).
#[utoipa::path(get, path = "/api/v1/cases/{id}/dossier", tag = "cases", params(("id" = i64, Path), MaskQuery),
    responses((status = 200, description = "The dossier zip", content_type = "application/zip"), (status = 404, description = "No such case", body = crate::error::ErrorBody)))]
pub async fn dossier(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    Q(q): Q<MaskQuery>,
) -> ApiResult<Response> {
    Ok(crate::pages::cases::dossier_response(&s, lang, id, q.mask != Some(0)).await?)
}

/// Verifies the evidence vault (as `tuiding vault verify --json`).
#[utoipa::path(get, path = "/api/v1/vault/verify", tag = "cases", responses((status = 200, description = "`ok`, entries, objects, problems", body = Object)))]
pub async fn verify_vault(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        s.run(lang, |ctx| {
            let report = evidence::verify(ctx)?;
            let mut value = serde_json::to_value(&report)?;
            value["ok"] = Value::Bool(report.problems.is_empty());
            Ok(value)
        })
        .await?,
    ))
}

/// The password, to log in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    /// The password.
    pub password: String,
}

/// Logs in (only when a password is set): answers with the session cookie.
#[utoipa::path(post, path = "/api/v1/login", tag = "session", request_body = LoginInput,
    responses((status = 204, description = "Logged in; the session cookie is set"), (status = 401, description = "Wrong password", body = crate::error::ErrorBody), (status = 404, description = "No password is set", body = crate::error::ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Body(input): Body<LoginInput>,
) -> ApiResult<Response> {
    match crate::pages::login::start_session(&s, input.password).await {
        Ok(token) => Ok(crate::pages::login::with_session(
            StatusCode::NO_CONTENT.into_response(),
            &token,
        )),
        Err(refused) => {
            let (status, text) = crate::pages::login::refusal(refused, lang);
            Err(WebError::new(status, text).into())
        }
    }
}

/// Any other path under `/api`.
pub async fn not_found(ReqLang(lang): ReqLang) -> Response {
    WebError::new(
        StatusCode::NOT_FOUND,
        lang.pick(
            "没有这个 API，见 /api/v1/openapi.json",
            "no such API; see /api/v1/openapi.json",
        ),
    )
    .json()
}

/// The JSON API's routes (nested under `/api/v1`).
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/openapi.json", get(docs::openapi))
        .route("/login", post(login))
        .route("/memberships", get(list_memberships).post(add_membership))
        .route(
            "/memberships/{id}",
            get(get_membership)
                .patch(edit_membership)
                .delete(remove_membership),
        )
        .route("/memberships/{id}/check", get(check))
        .route(
            "/memberships/{id}/policy",
            axum::routing::put(attach_policy).patch(decision::policy_fields),
        )
        .route("/cases/{id}/messages/{kind}", get(decision::case_message))
        .route("/terms/read", post(read_terms))
        .route("/summary", get(get_summary))
        .route("/renewals", get(get_renewals))
        .route("/due", get(get_due))
        .route("/reminders", get(get_reminders))
        .route("/imports", post(import_bills))
        .route("/streams", get(get_streams))
        .route("/streams/{stream}/adopt", post(adopt_stream))
        .route("/streams/{stream}/dismiss", post(dismiss_stream))
        .route("/cases", get(list_cases).post(open_case))
        .route("/cases/{id}", get(get_case))
        .route("/cases/{id}/steps/{step}", post(mark_step))
        .route("/cases/{id}/move", post(move_case))
        .route("/cases/{id}/refund", post(record_refund))
        .route("/cases/{id}/evidence", post(add_evidence))
        .route("/cases/{id}/dossier", get(dossier))
        .route("/vault/verify", get(verify_vault))
        .fallback(not_found)
}
