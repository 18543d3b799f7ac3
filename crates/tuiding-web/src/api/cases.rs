//! The API of cases: opening, steps, moves, refunds, evidence, the dossier and the vault.

use super::*;

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

/// A case's evidence with the text read from each screenshot (masked), what it proposes
/// and what accepting does (as `tuiding evidence read CASE --json` shows, without reading:
/// screenshots are read when stored; `ocr` is null with `ocr_missing` until then).
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence", tag = "cases", params(("id" = i64, Path)),
    responses((status = 200, description = "Every piece of evidence with `ocr`, `proposals` and `offers`", body = Object), (status = 404, description = "No such case", body = crate::error::ErrorBody)))]
pub async fn list_evidence(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
) -> ApiResult<Json<Vec<tuiding_app::evidence::reading::Readout>>> {
    Ok(Json(
        s.run(lang, move |ctx| {
            Ok(tuiding_app::case::page(ctx, id)?.2.clone())
        })
        .await?,
    ))
}

/// Takes what a screenshot proposes (as `tuiding evidence accept SEQ`): the steps it
/// confirms marked done, then its refund promise recorded as `case refund --promised`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence/{seq}/accept", tag = "cases", params(("id" = i64, Path), ("seq" = u64, Path)),
    responses((status = 200, description = "Each offer taken, or `refused` with why", body = Object), (status = 404, description = "No such case, or the case has no such evidence", body = crate::error::ErrorBody)))]
pub async fn accept_evidence(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id((id, seq)): Id<(i64, u64)>,
) -> ApiResult<Json<Vec<tuiding_app::evidence::reading::Accepted>>> {
    Ok(Json(
        s.run(lang, move |ctx| {
            tuiding_app::evidence::reading::accept_in_case(ctx, id, seq)
        })
        .await?,
    ))
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
