//! The API of issue 13: a policy filled in field by field (no TOML), and the ready-to-send
//! messages of a case.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::Value;
use tuiding_app::{case, policy_form};
use utoipa::ToSchema;

use super::{Body, Id, Q};
use crate::error::{ApiResult, FieldProblem, WebError};
use crate::state::{AppState, ReqLang};

/// Policy fields by their dotted keys (see `tuiding policy fields`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyFieldsInput {
    /// e.g. `{"refund.discount_ratio": "0.9", "timing.refund_working_days": "3-7"}`; an
    /// empty value removes the field.
    pub fields: BTreeMap<String, String>,
    /// Start from this catalogue template instead of the current policy.
    pub template: Option<String>,
}

/// Sets policy fields without TOML (as `tuiding policy set ID --set KEY=VALUE`).
#[utoipa::path(patch, path = "/api/v1/memberships/{id}/policy", tag = "memberships", params(("id" = i64, Path)), request_body = PolicyFieldsInput,
    responses((status = 200, description = "The policy form: every field with its value and source, and what is still missing", body = Object),
              (status = 422, description = "Every field's problem; nothing written", body = crate::error::ErrorBody),
              (status = 404, description = "No such membership", body = crate::error::ErrorBody)))]
pub async fn policy_fields(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id<i64>,
    Body(input): Body<PolicyFieldsInput>,
) -> ApiResult<Json<Value>> {
    let outcome = s
        .run(lang, move |ctx| {
            let values: Vec<(String, String)> = input.fields.into_iter().collect();
            let saved = policy_form::save(ctx, id, input.template.as_deref(), &values)?;
            Ok(match saved {
                Ok(_) => Ok(serde_json::to_value(policy_form::form(ctx, id, None)?)?),
                Err(form) => Err(form),
            })
        })
        .await?;
    match outcome {
        Ok(view) => Ok(Json(view)),
        Err(form) => {
            let problems: Vec<FieldProblem> = form
                .fields
                .iter()
                .filter_map(|f| {
                    f.error.as_ref().map(|e| FieldProblem {
                        field: f.key.to_string(),
                        message: e.clone(),
                    })
                })
                .collect();
            let mut err = WebError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            err.field = problems.first().map(|p| p.field.clone());
            err.problems = problems;
            Err(err.into())
        }
    }
}

/// `?order=…`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MessageQuery {
    /// The order number to quote.
    pub order: Option<String>,
}

/// A ready-to-send message of a case (as `tuiding case message ID --kind KIND --json`).
#[utoipa::path(get, path = "/api/v1/cases/{id}/messages/{kind}", tag = "cases",
    params(("id" = i64, Path), ("kind" = String, Path, description = "refund_request, written_confirmation, follow_up or complaint_notice"), MessageQuery),
    responses((status = 200, description = "`{kind, text, amount, currency, due}`", body = Object),
              (status = 400, description = "No such kind", body = crate::error::ErrorBody),
              (status = 404, description = "No such case", body = crate::error::ErrorBody)))]
pub async fn case_message(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
    Id((id, kind)): Id<(i64, String)>,
    Q(q): Q<MessageQuery>,
) -> ApiResult<Json<Value>> {
    if !case::message::KINDS.contains(&kind.as_str()) {
        return Err(WebError::bad_field(
            "kind",
            format!("{kind:?}: {}", case::message::KINDS.join(", ")),
        )
        .into());
    }
    Ok(Json(
        s.run(lang, move |ctx| {
            let msg = case::message(ctx, id, &kind, q.order.as_deref())?;
            Ok(serde_json::to_value(msg)?)
        })
        .await?,
    ))
}
