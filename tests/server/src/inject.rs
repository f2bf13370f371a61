//! Applying a decided fault over HTTP: the injected answers, and the three ways of not
//! answering properly (drop the connection, hang on it, drip the answer).
//!
//! A hanging or dripping connection ends when its client closes it or when the server
//! stops, never later: a stopped server exits at once whatever its clients do.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use hyper::body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

use crate::app::{App, api_error};
use crate::faults::Fault;
use crate::serve::{BODY_LIMIT, ConnectionHandle};

/// The request a fault hits: not processed (nothing stored), or processed with this answer.
pub enum Hit {
    Unprocessed(Request),
    Answered(Response),
}

/// Answers `fault` instead of the normal answer (or never answers), and logs what was sent.
/// `uri` is the request's, for a same-origin redirect.
pub async fn apply(
    app: &App,
    seq: u64,
    fault: Fault,
    uri: &Uri,
    hit: Hit,
    connection: &ConnectionHandle,
) -> Response {
    let response = match fault {
        Fault::Outage { status: None } | Fault::Drop { .. } => {
            app.finish(seq, None);
            connection.kill();
            // The connection task drops the connection, and this future with it.
            return std::future::pending().await;
        }
        Fault::Hang { .. } => {
            if let Hit::Unprocessed(request) = hit {
                // Read the body, so the client waits for an answer rather than to send.
                let _ = axum::body::to_bytes(request.into_body(), BODY_LIMIT).await;
            }
            // The log keeps `status: null`, written when the request arrived.
            connection.stopping().await;
            connection.kill();
            return std::future::pending().await;
        }
        Fault::Drip { interval_ms, .. } => {
            let response = match hit {
                Hit::Answered(response) => response,
                Hit::Unprocessed(request) => app.dry_run(seq, request).await,
            };
            let interval = Duration::from_millis(interval_ms);
            drip(response, interval, connection.clone()).await
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

/// The same answer, its body sent one byte per `interval` after the head.
async fn drip(response: Response, interval: Duration, connection: ConnectionHandle) -> Response {
    let (parts, body) = response.into_parts();
    // Answers are built in memory: reading them cannot fail.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let stopping = Box::pin(async move { connection.stopping().await });
    let body = Drip {
        bytes,
        interval,
        tick: Box::pin(tokio::time::sleep(interval)),
        stopping,
    };
    Response::from_parts(parts, Body::new(body))
}

/// A body that yields one byte per interval, and fails (so the connection closes) when the
/// server stops.
struct Drip {
    bytes: Bytes,
    interval: Duration,
    tick: Pin<Box<Sleep>>,
    stopping: Pin<Box<dyn Future<Output = ()> + Send>>,
}

/// The error that ends a dripping answer when the server stops.
#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the server stopped during a dripping answer")
    }
}

impl std::error::Error for Stopped {}

impl hyper::body::Body for Drip {
    type Data = Bytes;
    type Error = Stopped;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Stopped>>> {
        let drip = self.get_mut();
        if drip.bytes.is_empty() {
            return Poll::Ready(None);
        }
        if drip.stopping.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Stopped)));
        }
        ready!(drip.tick.as_mut().poll(cx));
        // Counted from now, not from the last deadline: never a burst of bytes after the
        // client was slow to read.
        drip.tick.as_mut().reset(Instant::now() + drip.interval);
        Poll::Ready(Some(Ok(Frame::data(drip.bytes.split_to(1)))))
    }

    fn is_end_stream(&self) -> bool {
        self.bytes.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.bytes.len() as u64)
    }
}
