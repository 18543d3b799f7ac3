//! Errors of a request: an operation's error becomes a status and a message in the
//! user's language, as JSON for the API and as a page for the browser.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tuiding_app::error::UserError;

/// An error answered to a request.
#[derive(Debug)]
pub struct WebError {
    /// 400 bad input, 401/403 login and CSRF, 404 unknown record, 413 too large, 422 a
    /// refused operation (an illegal case move, say), 503 a busy database (with
    /// `Retry-After`), 500 anything else.
    pub status: StatusCode,
    /// The message for the user.
    pub message: String,
    /// The input field at fault, if one is (`price`, `start`, `file`).
    pub field: Option<String>,
    /// Every field's problem, when there were several.
    pub problems: Vec<FieldProblem>,
}

/// The JSON body of an API error: `{"error": {"status": 400, "message": "…", "field": "price"}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// See [`ErrorBody`].
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status.
    pub status: u16,
    /// What was wrong and what to do, in the request's language.
    pub message: String,
    /// The input field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field's problem, when a form had several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
}

/// One problem of one field.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// The field (`price`, `start`, …).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl WebError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            message: message.into(),
            field: None,
            problems: vec![],
        }
    }

    /// Bad input in a named field (400).
    pub fn bad_field(field: &str, message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            field: Some(field.to_string()),
            problems: vec![],
        }
    }

    /// Something that should not happen (500); the details (paths, SQLite messages) go to
    /// the server's log, not to the client.
    pub fn internal(err: anyhow::Error) -> WebError {
        eprintln!("tuiding serve: internal error: {err:#}");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "内部错误，详情见服务器日志 / internal error; the server's log has the details",
        )
    }

    /// The error as the API answers it.
    pub fn json(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                message: self.message,
                field: self.field,
                problems: self.problems,
            },
        };
        with_retry_after(self.status, (self.status, Json(body)).into_response())
    }
}

/// Seconds a client should wait before retrying a request the busy database refused.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// Adds `Retry-After` to a 503 (the database was busy: a long import in another process).
pub fn with_retry_after(status: StatusCode, mut response: Response) -> Response {
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(RETRY_AFTER_SECONDS),
        );
    }
    response
}

impl From<anyhow::Error> for WebError {
    fn from(err: anyhow::Error) -> WebError {
        let Some(user) = err.downcast_ref::<UserError>() else {
            return WebError::internal(err);
        };
        use tuiding_app::error::ErrorKind;
        let status = match user.kind() {
            ErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Invalid { .. } => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict | ErrorKind::Refused | ErrorKind::Failure => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
        let field = user.field().map(str::to_string);
        WebError {
            status,
            message: match &field {
                Some(field) => format!("{field}: {}", user.reason()),
                None => format!("{err:#}"),
            },
            field,
            problems: vec![],
        }
    }
}

macro_rules! from_rejection {
    ($($rejection:ty => $field:expr),* $(,)?) => {$(
        impl From<$rejection> for ApiError {
            fn from(r: $rejection) -> ApiError {
                ApiError(WebError {
                    status: r.status(),
                    message: r.body_text(),
                    field: Some($field.to_string()),
                    problems: vec![],
                })
            }
        }
    )*};
}

from_rejection!(
    axum::extract::rejection::JsonRejection => "body",
    axum::extract::rejection::PathRejection => "path",
    axum::extract::rejection::QueryRejection => "query",
    axum::extract::multipart::MultipartRejection => "body",
);

/// An API handler's result: errors answer as JSON.
pub struct ApiError(pub WebError);

impl From<WebError> for ApiError {
    fn from(err: WebError) -> ApiError {
        ApiError(err)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> ApiError {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.json()
    }
}

/// An API result.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_is_503_with_retry_after() {
        let err: WebError = UserError::busy("数据库正忙").into();
        assert_eq!(err.status, StatusCode::SERVICE_UNAVAILABLE);
        let response = err.json();
        assert_eq!(response.headers()[axum::http::header::RETRY_AFTER], "5");
        let refused: WebError = UserError::failure("no").into();
        assert!(
            !refused
                .json()
                .headers()
                .contains_key(axum::http::header::RETRY_AFTER)
        );
    }
}
