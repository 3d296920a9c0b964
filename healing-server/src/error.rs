//! The API's error type and its JSON envelope.
//!
//! Every failure leaves the server as `{"error": "…", "code": "MACHINE_CODE",
//! "status": N}`. Client errors (4xx) carry a message meant for the user;
//! server errors (5xx) carry a fixed generic message, and the detail goes to
//! the log (never patient data: callers put only ids and kinds in `detail`).

use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The error envelope's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Human-readable message (generic for 5xx).
    pub error: String,
    /// Stable machine code, e.g. `VALIDATION_FAILED`.
    pub code: String,
    /// The HTTP status, repeated for clients that lose it.
    pub status: u16,
}

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after_seconds: Option<i64>,
}

impl ApiError {
    /// A client error with a user-facing message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after_seconds: None,
        }
    }

    /// 400 with a validation message.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "VALIDATION_FAILED", message)
    }

    /// 401: no valid session.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "sign in to continue",
        )
    }

    /// 403: signed in but not allowed.
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "you do not have access to this resource",
        )
    }

    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("{what} not found"),
        )
    }

    /// 409.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "CONFLICT", message)
    }

    /// 422: well formed, but its clinical content is refused (an unknown problem
    /// descriptor, a score outside its measure's range).
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "UNPROCESSABLE", message)
    }

    /// 429 with `Retry-After`.
    pub fn too_many_attempts(retry_after_seconds: i64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "TOO_MANY_ATTEMPTS",
            message: format!("too many attempts; try again in {retry_after_seconds} seconds"),
            retry_after_seconds: Some(retry_after_seconds.max(1)),
        }
    }

    /// The same error, answered with `Retry-After` (a 429 of a limit other than
    /// the sign-in throttles, such as the community's posting limit).
    pub fn with_retry_after(mut self, retry_after_seconds: i64) -> Self {
        self.retry_after_seconds = Some(retry_after_seconds.max(1));
        self
    }

    /// 500: logs `detail` (which must hold no patient data) and answers a generic body.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(detail = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "internal server error",
        )
    }

    /// 503: a dependency (database) is unavailable.
    pub fn unavailable(detail: impl std::fmt::Display) -> Self {
        tracing::error!(detail = %detail, "service unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAVAILABLE",
            "service temporarily unavailable",
        )
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The machine code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message shown to the client.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message,
            code: self.code.to_owned(),
            status: self.status.as_u16(),
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after_seconds
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// Middleware giving the JSON error envelope to the errors that layers below
/// the handlers answer with a bare body: 405 (axum's method router), 408
/// (the time limit) and 413 (the body limit, when `Content-Length` is too
/// large). Other answers pass through untouched, and so does any error that
/// already carries JSON. `Allow` on a 405 is kept.
pub async fn envelope_bare_errors(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if is_json {
        return response;
    }
    let error = match response.status() {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "this route does not accept that method",
        ),
        StatusCode::REQUEST_TIMEOUT => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            "the request took too long",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "request body is too large",
        ),
        _ => return response,
    };
    let mut enveloped = error.into_response();
    if let Some(allow) = response.headers().get(header::ALLOW) {
        enveloped.headers_mut().insert(header::ALLOW, allow.clone());
    }
    enveloped
}

/// The `data` of an answer that has nothing to say beyond its message: `{}`.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct NoData {}

/// The success envelope: `{"success": true, "data": …, "message": …}`.
#[derive(Debug, Clone, Serialize)]
pub struct Envelope<T> {
    /// Always `true`.
    pub success: bool,
    /// The payload.
    pub data: T,
    /// Optional human-readable note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Wraps data in the success envelope with status 200.
pub fn ok<T: Serialize>(data: T) -> Response {
    axum::Json(Envelope {
        success: true,
        data,
        message: None,
    })
    .into_response()
}

/// Wraps data in the success envelope with a status and message.
pub fn ok_with<T: Serialize>(status: StatusCode, data: T, message: &str) -> Response {
    (
        status,
        axum::Json(Envelope {
            success: true,
            data,
            message: Some(message.to_owned()),
        }),
    )
        .into_response()
}

/// JSON request body whose rejections become 400/413/415 envelopes, never 500.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "expected a request body with content-type application/json",
        ),
        JsonRejection::JsonSyntaxError(_) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "MALFORMED_JSON",
            "request body is not valid json",
        ),
        JsonRejection::JsonDataError(error) => {
            // serde's message names the field and expected type, never echoes values at length.
            ApiError::new(StatusCode::BAD_REQUEST, "INVALID_BODY", error.body_text())
        }
        JsonRejection::BytesRejection(_) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BODY_UNREADABLE",
            "request body could not be read or is too large",
        ),
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
            "request body was rejected",
        ),
    }
}

/// Path parameters whose rejections become 400 envelopes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PathParams<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for PathParams<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(_) => Err(ApiError::validation("a path parameter is malformed")),
        }
    }
}

/// Query parameters whose rejections become 400 envelopes.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryParams<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for QueryParams<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(error) => Err(ApiError::validation(format!(
                "query string rejected: {}",
                error.body_text()
            ))),
        }
    }
}
