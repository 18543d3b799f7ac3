//! The OpenAPI document of `/api/v1`, generated from the handlers' annotations.

use utoipa::OpenApi;

use super::*;

/// `GET /api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "tuiding (退订) API",
        description = "The local API of tuiding: memberships, the rule check, bills, terms, cases and evidence. \
Responses carry the same JSON as the CLI's `--json` output. Errors are `{\"error\": {\"status\", \"message\", \"field\"}}` \
in the request's language (`Accept-Language`, or the `lang` cookie); bad input writes nothing. \
Cross-site requests are refused (Sec-Fetch-Site / Origin). When a password is set, log in first (`POST /api/v1/login`)."
    ),
    paths(
        list_memberships, add_membership, get_membership, edit_membership, remove_membership, check, attach_policy,
        read_terms, get_summary, get_renewals, get_due, get_reminders,
        import_bills, get_streams, adopt_stream, dismiss_stream,
        list_cases, open_case, get_case, mark_step, move_case, record_refund, add_evidence, list_evidence, accept_evidence, dossier, verify_vault,
        decision::policy_fields, decision::case_message,
        login,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::FieldProblem)),
    tags(
        (name = "memberships", description = "The ledger and the rule check"),
        (name = "overview", description = "Costs, renewals, what is due, reminders"),
        (name = "bills", description = "Bill exports and recurring charges"),
        (name = "terms", description = "Reading agreements"),
        (name = "cases", description = "Cancellation cases, evidence and dossiers"),
        (name = "session", description = "Login when a password is set"),
    )
)]
pub struct ApiDoc;

/// The document as JSON.
pub async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
