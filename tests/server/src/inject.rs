//! Applying a decided fault over HTTP: the injected answers, and dropping the connection.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::app::{App, api_error};
use crate::faults::Fault;
use crate::serve::ConnectionKiller;

/// Answers `fault` instead of the normal answer (or never answers), and logs what was sent.
/// `uri` is the request's, for a same-origin redirect.
pub async fn apply(
    app: &App,
    seq: u64,
    fault: Fault,
    uri: &Uri,
    killer: &ConnectionKiller,
) -> Response {
    let response = match fault {
        Fault::Outage { status: None } | Fault::Drop { .. } => {
            app.finish(seq, None);
            killer.kill();
            // The connection task drops the connection, and this future with it.
            return std::future::pending().await;
        }
        Fault::Outage {
            status: Some(status),
        }
        | Fault::Error { status, .. } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            api_error(status, "Injected server error.")
        }
        Fault::RateLimit { retry_after } => {
            let mut response = api_error(StatusCode::TOO_MANY_REQUESTS, "Too Many Attempts.");
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Fault::TooLarge => api_error(StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large."),
        Fault::Redirect { status, location } => {
            let own = || uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
            let location = location.map_or_else(own, |l| l.to_string());
            redirect(status, &location)
        }
    };
    app.finish(seq, Some(response.status()));
    response
}

/// A 3xx with a `Location`, and no body.
fn redirect(status: u16, location: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::TEMPORARY_REDIRECT);
    // The config check lets only header-safe locations through; a path always is one.
    let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    (status, [(header::LOCATION, location)]).into_response()
}
