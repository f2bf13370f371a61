//! The Qase API subset (SPEC §9), answering in the shapes of the official clients' models
//! (`ProjectResponse`, `IdResponse`, `RunResponse`, `BaseResponse`,
//! `ResultCreateBulkResponse`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::app::{App, RequestSeq, api_error};
use crate::store::Run;
use crate::validate::{self, FieldError, UploadError};

/// `GET /v1/project/{code}`.
pub async fn get_project(State(app): State<Arc<App>>, Path(code): Path<String>) -> Response {
    if !app.project_exists(&code) {
        return project_not_found();
    }
    let (total, open) = app.lock().store.run_counts(&code);
    let project = json!({
        "title": code,
        "code": code,
        "counts": {
            "cases": 0,
            "suites": 0,
            "milestones": 0,
            "runs": {"total": total, "active": open},
            "defects": {"total": 0, "open": 0},
        },
    });
    ok(StatusCode::OK, Some(project))
}

/// `POST /v1/run/{code}`.
pub async fn create_run(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    if !app.project_exists(&code) {
        return project_not_found();
    }
    let body = match parse_json(&body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let title = match validate::run_create(&body) {
        Ok(title) => title,
        Err(errors) => return invalid(errors),
    };
    let id = app.lock().store.create_run(&code, &title, body);
    ok(StatusCode::OK, Some(json!({"id": id})))
}

/// `GET /v1/run/{code}/{id}`.
pub async fn get_run(
    State(app): State<Arc<App>>,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    if !app.project_exists(&code) {
        return project_not_found();
    }
    let inner = app.lock();
    match id.parse().ok().and_then(|id| inner.store.run(&code, id)) {
        Some(run) => ok(StatusCode::OK, Some(run_json(run))),
        None => run_not_found(),
    }
}

/// `POST /v2/{code}/run/{id}/results`.
pub async fn upload_results(
    State(app): State<Arc<App>>,
    Path((code, id)): Path<(String, String)>,
    Extension(RequestSeq(seq)): Extension<RequestSeq>,
    body: Bytes,
) -> Response {
    if !app.project_exists(&code) {
        return project_not_found();
    }
    let id: Option<u64> = id.parse().ok();
    if id
        .and_then(|id| app.lock().store.run(&code, id).map(|_| ()))
        .is_none()
    {
        return run_not_found();
    }
    let body = match parse_json(&body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let results = match validate::upload(body) {
        Ok(results) => results,
        Err(UploadError::TooMany(count)) => {
            app.note_results(seq, count);
            let message = format!(
                "At most {} results per request, got {count}.",
                validate::MAX_RESULTS_PER_UPLOAD
            );
            return api_error(StatusCode::PAYLOAD_TOO_LARGE, &message);
        }
        Err(UploadError::Invalid(errors)) => return invalid(errors),
    };
    app.note_results(seq, results.len());
    let mut inner = app.lock();
    let known = &inner.store.attachments;
    let unknown = results
        .iter()
        .filter_map(|r| r.get("attachments").and_then(Value::as_array))
        .flatten()
        .filter(|hash| !known.iter().any(|a| hash.as_str() == Some(a.hash.as_str())))
        .count() as u64;
    // A reset may have removed the run meanwhile.
    let Some(run) = id.and_then(|id| inner.store.run_mut(&code, id)) else {
        return run_not_found();
    };
    if run.completed {
        run.uploads_after_complete += 1;
        return api_error(StatusCode::BAD_REQUEST, "Run is already completed.");
    }
    run.unknown_attachments += unknown;
    run.store_results(seq, results);
    ok(StatusCode::ACCEPTED, None)
}

/// `POST /v1/run/{code}/{id}/complete`. Completing again answers 200 too (and is counted
/// in `complete_calls`), so a retry after a lost answer does not turn into an error.
pub async fn complete_run(
    State(app): State<Arc<App>>,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    if !app.project_exists(&code) {
        return project_not_found();
    }
    let mut inner = app.lock();
    let Some(run) = id
        .parse()
        .ok()
        .and_then(|id| inner.store.run_mut(&code, id))
    else {
        return run_not_found();
    };
    run.completed = true;
    run.complete_calls += 1;
    ok(StatusCode::OK, None)
}

/// A run in the shape of the v1 `Run` model.
fn run_json(run: &Run) -> Value {
    let body = &run.body;
    let start_time = body
        .get("start_time")
        .and_then(Value::as_str)
        .map(|t| format!("{}+00:00", t.replacen(' ', "T", 1)));
    let tags: Vec<Value> = body
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .map(|title| json!({"title": title, "internal_id": null}))
                .collect()
        })
        .unwrap_or_default();
    let counts = run.status_counts();
    let count = |status: &str| counts.get(status).copied().unwrap_or(0);
    json!({
        "id": run.id,
        "title": run.title,
        "description": body.get("description").cloned().unwrap_or(Value::Null),
        "status": u8::from(run.completed),
        "status_text": if run.completed { "complete" } else { "active" },
        "start_time": start_time,
        "end_time": null,
        "public": false,
        "stats": {
            "total": run.results.len(),
            "statuses": counts,
            "untested": 0,
            "passed": count("passed"),
            "failed": count("failed"),
            "blocked": count("blocked"),
            "skipped": count("skipped"),
            "retest": 0,
            "in_progress": 0,
            "invalid": count("invalid"),
        },
        "time_spent": 0,
        "elapsed_time": 0,
        "environment": null,
        "milestone": null,
        "custom_fields": [],
        "tags": tags,
        "cases": [],
        "plan_id": body.get("plan_id").cloned().unwrap_or(Value::Null),
        "configurations": body.get("configurations").cloned().unwrap_or(json!([])),
    })
}

fn ok(status: StatusCode, result: Option<Value>) -> Response {
    let body = match result {
        Some(result) => json!({"status": true, "result": result}),
        None => json!({"status": true}),
    };
    (status, Json(body)).into_response()
}

fn parse_json(body: &[u8]) -> Result<Value, Box<Response>> {
    serde_json::from_slice(body).map_err(|e| {
        let message = format!("The body is not valid JSON: {e}");
        Box::new(api_error(StatusCode::BAD_REQUEST, &message))
    })
}

fn invalid(errors: Vec<FieldError>) -> Response {
    let body = json!({"status": false, "errorMessage": "Data is invalid.", "errorFields": errors});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

fn project_not_found() -> Response {
    api_error(StatusCode::NOT_FOUND, "Project not found.")
}

fn run_not_found() -> Response {
    api_error(StatusCode::NOT_FOUND, "Run not found.")
}
