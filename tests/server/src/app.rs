//! The shared server state and the gate every API request passes: it numbers the request,
//! decides its fault, checks the token, and logs the answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Json;
use axum::extract::{Extension, Request, State};
use axum::http::{Extensions, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;
use tower::ServiceExt;

use crate::faults::{Count, Decision, Endpoint, FaultConfig};
use crate::inject::{self, Hit};
use crate::serve::{self, ConnectionHandle};
use crate::store::{RequestRecord, Store};

/// Options fixed at start-up.
#[derive(Debug, Clone)]
pub struct Options {
    pub token: String,
    /// Named clients `(name, token)`, each also accepted; the `--token` one is `default`.
    pub clients: Vec<(String, String)>,
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
    /// Request counts since the faults were installed, server-wide.
    counters: Counters,
    /// The same per client name.
    client_counters: HashMap<String, Counters>,
}

/// Requests per endpoint (fault request numbers) and in all (outage window).
#[derive(Debug, Default, Clone, Copy)]
struct Counters {
    per_endpoint: [u64; Endpoint::ALL.len()],
    total: u64,
}

impl Counters {
    fn count(&mut self, endpoint: Endpoint) -> Count {
        let slot = &mut self.per_endpoint[endpoint as usize];
        *slot += 1;
        self.total += 1;
        Count {
            n: *slot,
            total: self.total,
        }
    }
}

impl Inner {
    /// Installs a fault config; request numbers for faults count again from 1.
    pub fn install_faults(&mut self, faults: FaultConfig) {
        if let Some(seed) = faults.seed {
            self.seed = seed;
        }
        self.faults = faults;
        self.counters = Counters::default();
        self.client_counters.clear();
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
            counters: Counters::default(),
            client_counters: HashMap::new(),
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

    /// The client whose token a request carries: `default` for `--token`, a `--client` name,
    /// or none (missing or wrong token).
    fn client_of(&self, request: &Request) -> Option<String> {
        let token = request.headers().get("Token")?.as_bytes();
        if token == self.options.token.as_bytes() {
            return Some("default".to_owned());
        }
        let clients = &self.options.clients;
        let (name, _) = clients.iter().find(|(_, t)| t.as_bytes() == token)?;
        Some(name.clone())
    }

    /// Whether a request carries a `Token` header at all (logged, never its value).
    fn has_token(request: &Request) -> bool {
        request.headers().contains_key("Token")
    }

    /// Numbers a request, decides its fault and logs it (answer still unknown).
    fn begin(
        &self,
        endpoint: Endpoint,
        request: &Request,
        client: Option<&str>,
    ) -> (u64, Decision) {
        let mut inner = self.lock();
        let server = inner.counters.count(endpoint);
        let own = client.map(|name| {
            let counters = inner.client_counters.entry(name.to_owned()).or_default();
            (name, counters.count(endpoint))
        });
        let decision = inner.faults.decide(inner.seed, endpoint, server, own);
        let seq = inner.store.log_request(RequestRecord {
            seq: 0,
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            endpoint: Some(endpoint),
            n: Some(server.n),
            client: client.map(str::to_owned),
            client_n: own.map(|(_, count)| count.n),
            token: Self::has_token(request),
            status: None,
            faults: decision.labels(),
            delay_ms: decision.delay_ms,
            results: None,
        });
        (seq, decision)
    }

    /// Logs a request that no API route took (unknown path or method).
    pub fn log_unknown(&self, request: &Request, status: StatusCode) {
        self.lock().store.log_request(RequestRecord {
            seq: 0,
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            endpoint: None,
            n: None,
            client: None,
            client_n: None,
            token: Self::has_token(request),
            status: Some(status.as_u16()),
            faults: Vec::new(),
            delay_ms: None,
            results: None,
        });
    }

    /// Records the answer given to a request.
    pub fn finish(&self, seq: u64, status: Option<StatusCode>) {
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

    /// The answer a request would get, computed by a copy of this server (same options and
    /// store, no faults) that is then thrown away: nothing the request does is kept, except
    /// the number of results it carried, noted in the log entry `seq`.
    pub async fn dry_run(&self, seq: u64, request: Request) -> Response {
        let inner = {
            let inner = self.lock();
            Inner {
                store: inner.store.clone(),
                faults: FaultConfig::default(),
                seed: inner.seed,
                counters: Counters::default(),
                client_counters: HashMap::new(),
            }
        };
        let copy = Arc::new(App {
            options: self.options.clone(),
            inner: Mutex::new(inner),
            stop: Notify::new(),
        });
        // The copy routes the request afresh: what this routing attached (path parameters
        // above all) must not reach it, only the connection.
        let (mut parts, body) = request.into_parts();
        let connection = parts.extensions.remove::<ConnectionHandle>();
        parts.extensions = Extensions::new();
        if let Some(connection) = connection {
            parts.extensions.insert(connection);
        }
        let response = serve::router(copy.clone())
            .oneshot(Request::from_parts(parts, body))
            .await
            .unwrap_or_else(|never| match never {});
        let results = copy.lock().store.last_request().and_then(|r| r.results);
        if let Some(count) = results {
            self.note_results(seq, count);
        }
        response
    }
}

/// An error answer in the API's shape.
pub fn api_error(status: StatusCode, message: &str) -> Response {
    let body = json!({"status": false, "errorMessage": message});
    (status, Json(body)).into_response()
}

/// What the gate of one route needs: the server and which endpoint the route is.
#[derive(Debug, Clone)]
pub struct Gate {
    pub app: Arc<App>,
    pub endpoint: Endpoint,
}

/// The gate of every API route (a `route_layer` per route).
pub async fn gate(
    State(Gate { app, endpoint }): State<Gate>,
    Extension(connection): Extension<ConnectionHandle>,
    mut request: Request,
    next: Next,
) -> Response {
    let client = app.client_of(&request);
    let (seq, decision) = app.begin(endpoint, &request, client.as_deref());
    if let Some(delay) = decision.delay_ms {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let uri = request.uri().clone();
    let fault = match decision.fault {
        Some(fault) if !fault.after_store() => {
            let hit = Hit::Unprocessed(request);
            return inject::apply(&app, seq, fault, &uri, hit, &connection).await;
        }
        fault => fault,
    };
    let response = if client.is_some() {
        request.extensions_mut().insert(RequestSeq(seq));
        next.run(request).await
    } else {
        api_error(StatusCode::UNAUTHORIZED, "Unauthenticated.")
    };
    match fault {
        Some(fault) => {
            inject::apply(&app, seq, fault, &uri, Hit::Answered(response), &connection).await
        }
        None => {
            app.finish(seq, Some(response.status()));
            response
        }
    }
}

/// The state as `GET /__control/state` answers it.
pub fn state_json(app: &App) -> Value {
    let inner = app.lock();
    let mut state = inner.store.snapshot();
    state["seed"] = json!(inner.seed);
    state["faults"] = serde_json::to_value(&inner.faults).unwrap_or(Value::Null);
    state
}
