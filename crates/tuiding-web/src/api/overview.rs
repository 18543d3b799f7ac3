//! The API of the overview: costs, renewals, what is due and the reminders of today.

use super::*;

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
