//! The shared server state and the gate every API request passes: it numbers the request,
//! decides its fault, checks the token, and logs the answer.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Json;
use axum::extract::{Extension, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::faults::{Decision, Endpoint, Fault, FaultConfig};
use crate::serve::ConnectionKiller;
use crate::store::{RequestRecord, Store};

/// Options fixed at start-up.
#[derive(Debug, Clone)]
pub struct Options {
    pub token: String,
    pub seed: u64,
    /// Project codes that exist; empty: every code exists.
    pub projects: Vec<String>,
}

/// State behind the lock.
#[derive(Debug)]
pub struct Inner {
    pub store: Store,
    pub faults: FaultConfig,
    pub seed: u64,
    /// Requests per endpoint since the faults were installed (fault request numbers).
    counters: [u64; Endpoint::ALL.len()],
    /// API requests since the faults were installed (outage window).
    total: u64,
}

impl Inner {
    /// Installs a fault config; request numbers for faults count again from 1.
    pub fn install_faults(&mut self, faults: FaultConfig) {
        if let Some(seed) = faults.seed {
            self.seed = seed;
        }
        self.faults = faults;
        self.counters = [0; Endpoint::ALL.len()];
        self.total = 0;
    }
}

/// The server: options, state and the stop signal.
#[derive(Debug)]
pub struct App {
    pub options: Options,
    inner: Mutex<Inner>,
    pub stop: Notify,
}

/// The `seq` of the current request in the log, for handlers to add details.
#[derive(Debug, Clone, Copy)]
pub struct RequestSeq(pub u64);

impl App {
    /// A server with nothing received yet and the given faults installed.
    pub fn new(options: Options, faults: FaultConfig) -> Arc<Self> {
        let mut inner = Inner {
            store: Store::default(),
            faults: FaultConfig::default(),
            seed: options.seed,
            counters: [0; Endpoint::ALL.len()],
            total: 0,
        };
        inner.install_faults(faults);
        Arc::new(App {
            options,
            inner: Mutex::new(inner),
            stop: Notify::new(),
        })
    }

    /// Locks the state; a poisoned lock (a panic elsewhere) still gives the data.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a project code exists.
    pub fn project_exists(&self, code: &str) -> bool {
        self.options.projects.is_empty() || self.options.projects.iter().any(|p| p == code)
    }

    /// Numbers a request, decides its fault and logs it (answer still unknown).
    fn begin(&self, endpoint: Endpoint, method: &Method, path: &str) -> (u64, u64, Decision) {
        let mut inner = self.lock();
        let slot = &mut inner.counters[endpoint as usize];
        *slot += 1;
        let n = *slot;
        inner.total += 1;
        let decision = inner.faults.decide(inner.seed, endpoint, n, inner.total);
        let seq = inner.store.log_request(RequestRecord {
            seq: 0,
            method: method.to_string(),
            path: path.to_owned(),
            endpoint: Some(endpoint),
            n: Some(n),
            status: None,
            faults: decision.labels(),
            delay_ms: decision.delay_ms,
            results: None,
        });
        (seq, n, decision)
    }

    /// Logs a request to a path the API does not know.
    pub fn log_unknown(&self, method: &Method, path: &str, status: StatusCode) {
        self.lock().store.log_request(RequestRecord {
            seq: 0,
            method: method.to_string(),
            path: path.to_owned(),
            endpoint: None,
            n: None,
            status: Some(status.as_u16()),
            faults: Vec::new(),
            delay_ms: None,
            results: None,
        });
    }

    /// Records the answer given to a request.
    fn finish(&self, seq: u64, status: Option<StatusCode>) {
        if let Some(record) = self.lock().store.request_mut(seq) {
            record.status = status.map(|s| s.as_u16());
        }
    }

    /// Records how many results an upload carried.
    pub fn note_results(&self, seq: u64, count: usize) {
        if let Some(record) = self.lock().store.request_mut(seq) {
            record.results = Some(count);
        }
    }
}

/// Which endpoint a matched route is.
fn endpoint_of(method: &Method, route: &str) -> Option<Endpoint> {
    match (method.as_str(), route) {
        ("GET", "/v1/project/{code}") => Some(Endpoint::Project),
        ("POST", "/v1/run/{code}") => Some(Endpoint::CreateRun),
        ("GET", "/v1/run/{code}/{id}") => Some(Endpoint::GetRun),
        ("POST", "/v2/{code}/run/{id}/results") => Some(Endpoint::Upload),
        ("POST", "/v1/run/{code}/{id}/complete") => Some(Endpoint::Complete),
        _ => None,
    }
}

/// An error answer in the API's shape.
pub fn api_error(status: StatusCode, message: &str) -> Response {
    let body = json!({"status": false, "errorMessage": message});
    (status, Json(body)).into_response()
}

/// The gate of every API route (a `route_layer`, so the route is known).
pub async fn gate(
    State(app): State<Arc<App>>,
    route: MatchedPath,
    Extension(killer): Extension<ConnectionKiller>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(endpoint) = endpoint_of(request.method(), route.as_str()) else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_owned();
    let (seq, _, decision) = app.begin(endpoint, request.method(), &path);
    if let Some(delay) = decision.delay_ms {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if let Some(fault) = decision.fault.filter(|f| !f.after_store()) {
        return answer_fault(&app, seq, fault, killer).await;
    }
    let response = if authorized(&request, &app.options.token) {
        request.extensions_mut().insert(RequestSeq(seq));
        next.run(request).await
    } else {
        api_error(StatusCode::UNAUTHORIZED, "Unauthenticated.")
    };
    if let Some(fault) = decision.fault {
        return answer_fault(&app, seq, fault, killer).await;
    }
    app.finish(seq, Some(response.status()));
    response
}

fn authorized(request: &Request, token: &str) -> bool {
    request
        .headers()
        .get("Token")
        .is_some_and(|value| value.as_bytes() == token.as_bytes())
}

/// Answers a fault (or drops the connection) and logs it.
async fn answer_fault(app: &App, seq: u64, fault: Fault, killer: ConnectionKiller) -> Response {
    let response = match fault {
        Fault::Outage { status: None } | Fault::Drop { .. } => {
            app.finish(seq, None);
            // Never answers: the connection task drops the connection, and this future.
            killer.kill();
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
    };
    app.finish(seq, Some(response.status()));
    response
}

/// The state as `GET /__control/state` answers it.
pub fn state_json(app: &App) -> Value {
    let inner = app.lock();
    let mut state = inner.store.snapshot();
    state["seed"] = json!(inner.seed);
    state["faults"] = serde_json::to_value(&inner.faults).unwrap_or(Value::Null);
    state
}
