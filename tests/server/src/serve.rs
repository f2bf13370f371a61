//! Routes and the accept loop. The loop is hand-made (hyper's HTTP/1 connection, not
//! `axum::serve`) because faults need a handle on each connection: one may drop it without
//! any answer, and a hanging or dripping answer must end when the server stops instead of
//! holding up its exit. Every request carries a [`ConnectionHandle`] for its connection;
//! killing drops the connection future, which closes the socket.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::app::{App, Gate, api_error, gate};
use crate::faults::Endpoint;
use crate::{api, attachments, configurations, control};

/// Largest request body read (a bigger body answers 413, like a real front proxy would).
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// How long open connections may take to finish once the server stops.
const DRAIN: Duration = Duration::from_secs(2);

/// The connection a request came on, as faults need it.
#[derive(Debug, Clone)]
pub struct ConnectionHandle {
    kill: Arc<Notify>,
    stopping: watch::Receiver<bool>,
}

impl ConnectionHandle {
    /// Drops the connection without (the rest of) an answer.
    pub fn kill(&self) {
        self.kill.notify_one();
    }

    /// Resolves once the server has begun to stop.
    pub async fn stopping(&self) {
        let mut stopping = self.stopping.clone();
        // An error means the accept loop is gone: stopped all the same.
        let _ = stopping.wait_for(|stopping| *stopping).await;
    }
}

/// The API routes behind the gate, and the control routes.
pub fn router(app: Arc<App>) -> Router {
    let gated = |endpoint, route: MethodRouter<Arc<App>>| {
        let gate_state = Gate {
            app: app.clone(),
            endpoint,
        };
        route.route_layer(middleware::from_fn_with_state(gate_state, gate))
    };
    let api = Router::new()
        .route(
            "/v1/project/{code}",
            gated(Endpoint::Project, get(api::get_project)),
        )
        .route(
            "/v1/run/{code}",
            gated(Endpoint::CreateRun, post(api::create_run)),
        )
        .route(
            "/v1/run/{code}/{id}",
            gated(Endpoint::GetRun, get(api::get_run)),
        )
        .route(
            "/v2/{code}/run/{id}/results",
            gated(Endpoint::Upload, post(api::upload_results)),
        )
        .route(
            "/v1/run/{code}/{id}/complete",
            gated(Endpoint::Complete, post(api::complete_run)),
        )
        .route(
            "/v1/configuration/{code}",
            gated(
                Endpoint::Configuration,
                get(configurations::list).post(configurations::create_value),
            ),
        )
        .route(
            "/v1/configuration/{code}/group",
            gated(Endpoint::Configuration, post(configurations::create_group)),
        )
        .route(
            "/v1/attachment/{code}",
            gated(Endpoint::Attachment, post(attachments::upload)),
        );
    let control = Router::new()
        .route("/__control/state", get(control::state))
        .route(
            "/__control/faults",
            get(control::get_faults)
                .put(control::set_faults)
                .post(control::set_faults),
        )
        .route("/__control/runs", post(control::create_run))
        .route(
            "/__control/configurations",
            post(control::add_configurations),
        )
        .route("/__control/reset", post(control::reset))
        .route("/__control/stop", post(control::stop));
    api.merge(control)
        .fallback(unknown_path)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app)
}

async fn unknown_path(State(app): State<Arc<App>>, request: Request) -> Response {
    log_unknown(&app, &request, StatusCode::NOT_FOUND);
    api_error(StatusCode::NOT_FOUND, "Not found.")
}

/// A known path with a method it does not take: outside the gate, so logged here.
async fn method_not_allowed(State(app): State<Arc<App>>, request: Request) -> Response {
    log_unknown(&app, &request, StatusCode::METHOD_NOT_ALLOWED);
    api_error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.")
}

/// Logs a request that no API route took, so the log shows every request that arrived
/// (control requests excepted, as everywhere).
fn log_unknown(app: &App, request: &Request, status: StatusCode) {
    if !request.uri().path().starts_with("/__control/") {
        app.log_unknown(request, status);
    }
}

/// Serves until `shutdown` resolves, then lets open connections finish (bounded).
pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    let (stopping_tx, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                // Accept errors (e.g. too many open files) are transient; keep serving.
                if let Ok((stream, _)) = accepted {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection(stream, router.clone(), stopping.clone()));
                }
            }
            () = &mut shutdown => break,
        }
        while connections.try_join_next().is_some() {}
    }
    let _ = stopping_tx.send(true);
    let drained = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(DRAIN, drained).await;
}

/// One HTTP/1 connection, dropped when a request kills it.
async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    mut stopping: watch::Receiver<bool>,
) {
    let handle = ConnectionHandle {
        kill: Arc::new(Notify::new()),
        stopping: stopping.clone(),
    };
    let killed = handle.kill.clone();
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(handle.clone());
        router.clone().oneshot(request)
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let mut graceful = false;
    loop {
        tokio::select! {
            _ = connection.as_mut() => return,
            () = killed.notified() => return,
            changed = stopping.changed(), if !graceful => {
                graceful = true;
                if changed.is_ok() {
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}
