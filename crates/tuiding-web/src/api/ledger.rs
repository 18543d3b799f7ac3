//! The API of the ledger: memberships (list, add, show, change, remove), the rule check,
//! and agreements read and attached as policies.

use super::*;

/// Every membership (as `tuiding list --json`).
#[utoipa::path(get, path = "/api/v1/memberships", tag = "memberships",
    responses((status = 200, description = "Memberships as `tuiding list --json`", body = Object)))]
pub async fn list_memberships(
    State(s): State<AppState>,
    ReqLang(lang): ReqLang,
) -> ApiResult<Response> {
    let list = s.run(lang, memberships::all).await?;
    Ok(Json(list.as_slice()).into_response())
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
            match change.save(ctx)? {
                Some(view) => Ok(view),
                // Saved, but its figures cannot be computed: say why.
                None => membership_json(ctx, id),
            }
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
        tuiding_app::memberships::edit::remove(ctx, id)
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
