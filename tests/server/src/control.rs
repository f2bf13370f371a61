//! The control API for tests, under `/__control/` (no token): read the recorded state, set
//! faults, reset, stop.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::app::{App, state_json};
use crate::configurations;
use crate::faults::FaultConfig;
use crate::validate;

/// `GET /__control/state`: everything recorded, the seed and the installed faults.
pub async fn state(State(app): State<Arc<App>>) -> Json<Value> {
    Json(state_json(&app))
}

/// `GET /__control/faults`.
pub async fn get_faults(State(app): State<Arc<App>>) -> Json<FaultConfig> {
    Json(app.lock().faults.clone())
}

/// `PUT /__control/faults` (or POST): replaces the faults; their request numbers count
/// again from 1. An invalid config answers 400 and leaves the old one in place.
pub async fn set_faults(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let faults = match parse_faults(&body) {
        Ok(faults) => faults,
        Err(message) => return control_error(&message),
    };
    let mut inner = app.lock();
    inner.install_faults(faults);
    Json(json!({"ok": true, "seed": inner.seed})).into_response()
}

/// `POST /__control/runs` `{"project": "DEMO", "run": {RunCreate}, "completed": false}`:
/// creates a run as if a job had created it (already completed with `"completed": true`),
/// without a token and without a line in the request log (for tests that name a run id up
/// front, like sharded CI jobs).
pub async fn create_run(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return control_error(&format!("invalid JSON: {e}")),
    };
    let Some(project) = request.get("project").and_then(Value::as_str) else {
        return control_error("\"project\" (a string) is required");
    };
    let run = request
        .get("run")
        .cloned()
        .unwrap_or_else(|| json!({"title": "Run"}));
    let title = match validate::run_create(&run) {
        Ok(title) => title,
        Err(errors) => {
            let fields: Vec<String> = errors
                .iter()
                .map(|e| format!("run.{} {}", e.field, e.error))
                .collect();
            return control_error(&fields.join("; "));
        }
    };
    let completed = request.get("completed").and_then(Value::as_bool) == Some(true);
    let mut inner = app.lock();
    let id = inner.store.create_run(project, &title, run);
    if let Some(run) = inner.store.run_mut(project, id).filter(|_| completed) {
        run.completed = true;
    }
    Json(json!({"ok": true, "id": id})).into_response()
}

/// `POST /__control/configurations` `{"project": "DEMO", "groups": {"Browser": ["Chrome"]}}`:
/// adds configuration groups and their values as if made in the app (no token, not in the
/// request log); answers the ids `{"ok": true, "groups": {"Browser": {"id": 1, "values":
/// {"Chrome": 2}}}}`.
pub async fn add_configurations(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return control_error(&format!("invalid JSON: {e}")),
    };
    let Some(project) = request.get("project").and_then(Value::as_str) else {
        return control_error("\"project\" (a string) is required");
    };
    let Some(groups) = request.get("groups").and_then(Value::as_object) else {
        return control_error("\"groups\" (an object of lists of value titles) is required");
    };
    let mut answer = serde_json::Map::new();
    for (title, values) in groups {
        let group_id = configurations::add_group(&app, project, title);
        let mut ids = serde_json::Map::new();
        for value in values
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let id = configurations::add_value(&app, project, group_id, value);
            ids.insert(value.to_owned(), json!(id));
        }
        answer.insert(title.clone(), json!({"id": group_id, "values": ids}));
    }
    Json(json!({"ok": true, "groups": answer})).into_response()
}

/// `POST /__control/reset`: forgets runs, results and the request log, and removes every
/// fault. The seed stays; run ids keep counting.
pub async fn reset(State(app): State<Arc<App>>) -> Json<Value> {
    let mut inner = app.lock();
    inner.store.reset();
    inner.install_faults(FaultConfig::default());
    Json(json!({"ok": true}))
}

/// `POST /__control/stop`: answers, then the server shuts down and the process exits 0.
pub async fn stop(State(app): State<Arc<App>>) -> Json<Value> {
    app.stop.notify_one();
    Json(json!({"ok": true}))
}

/// Parses and checks a fault config (JSON text of `--faults` or a control request).
pub fn parse_faults(text: &[u8]) -> Result<FaultConfig, String> {
    let faults: FaultConfig =
        serde_json::from_slice(text).map_err(|e| format!("invalid fault config: {e}"))?;
    faults
        .validate()
        .map_err(|e| format!("invalid fault config: {e}"))?;
    Ok(faults)
}

fn control_error(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"ok": false, "error": message})),
    )
        .into_response()
}
