//! The JSON API under `/api/v1`: the same operations as the pages and the CLI, with the
//! JSON of the CLI's `--json` output. Bad input answers 4xx with
//! `{"error": {"status", "message", "field"}}` and writes nothing.

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

mod bills;
mod cases;
pub mod decision;
pub mod docs;
mod ledger;
mod overview;

pub use bills::*;
pub use cases::*;
pub use ledger::*;
pub use overview::*;

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

/// The password, to log in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    /// The account (a server of accounts; absent on a single-user app).
    #[serde(default)]
    pub name: String,
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
    match crate::pages::login::start_session(&s, &input.name, input.password).await {
        Ok(signed) => Ok(signed.on(StatusCode::NO_CONTENT.into_response())),
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
pub fn router() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/openapi.json", docs::openapi)
        .post("/login", login)
        .get("/memberships", list_memberships)
        .post("/memberships", add_membership)
        .get("/memberships/{id}", get_membership)
        .patch("/memberships/{id}", edit_membership)
        .delete("/memberships/{id}", remove_membership)
        .get("/memberships/{id}/check", check)
        .put("/memberships/{id}/policy", attach_policy)
        .patch("/memberships/{id}/policy", decision::policy_fields)
        .get("/cases/{id}/messages/{kind}", decision::case_message)
        .post("/terms/read", read_terms)
        .get("/summary", get_summary)
        .get("/renewals", get_renewals)
        .get("/due", get_due)
        .get("/reminders", get_reminders)
        .post("/imports", import_bills)
        .get("/streams", get_streams)
        .post("/streams/{stream}/adopt", adopt_stream)
        .post("/streams/{stream}/dismiss", dismiss_stream)
        .get("/cases", list_cases)
        .post("/cases", open_case)
        .get("/cases/{id}", get_case)
        .post("/cases/{id}/steps/{step}", mark_step)
        .post("/cases/{id}/move", move_case)
        .post("/cases/{id}/refund", record_refund)
        .post("/cases/{id}/evidence", add_evidence)
        .get("/cases/{id}/evidence", list_evidence)
        .post("/cases/{id}/evidence/{seq}/accept", accept_evidence)
        .get("/cases/{id}/dossier", dossier)
        .get("/vault/verify", verify_vault)
        .fallback(not_found)
}
