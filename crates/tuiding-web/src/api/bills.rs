//! The API of bills: imports (multipart, as bytes) and the recurring streams found in them.

use super::*;

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
            let summaries = tuiding_app::bills::import(ctx, &up.input_files(str::to_string), &[])?;
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
