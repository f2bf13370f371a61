//! The configuration routes of the v1 API, in the paths and shapes of the official
//! `qase-api-client` (`ConfigurationsApi`): `GET /v1/configuration/{code}` →
//! `ConfigurationListResponse`, `POST /v1/configuration/{code}/group` `ConfigurationGroupCreate
//! {title}` → `IdResponse`, `POST /v1/configuration/{code}` `ConfigurationCreate {title,
//! group_id}` → `IdResponse`. A group may also be seeded by the control API.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::app::{App, api_error};
use crate::store::{Configuration, ConfigurationGroup};

/// `GET /v1/configuration/{code}`.
pub async fn list(State(app): State<Arc<App>>, Path(code): Path<String>) -> Response {
    if !app.project_exists(&code) {
        return api_error(StatusCode::NOT_FOUND, "Project not found.");
    }
    let inner = app.lock();
    let groups = inner
        .store
        .configurations
        .get(&code)
        .cloned()
        .unwrap_or_default();
    let count = groups.len();
    let result = json!({"total": count, "filtered": count, "count": count, "entities": groups});
    (
        StatusCode::OK,
        Json(json!({"status": true, "result": result})),
    )
        .into_response()
}

/// `POST /v1/configuration/{code}/group`.
pub async fn create_group(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let title = match title_in(&app, &code, &body) {
        Ok((title, _)) => title,
        Err(response) => return *response,
    };
    let id = add_group(&app, &code, &title);
    created(id)
}

/// `POST /v1/configuration/{code}`.
pub async fn create_value(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let (title, body) = match title_in(&app, &code, &body) {
        Ok(parsed) => parsed,
        Err(response) => return *response,
    };
    let Some(group_id) = body.get("group_id").and_then(Value::as_u64) else {
        return invalid("group_id", "is required and must be an integer");
    };
    match add_value(&app, &code, group_id, &title) {
        Some(id) => created(id),
        None => invalid("group_id", "names no configuration group of this project"),
    }
}

/// Adds a value to a group of the project (API or control); its id, `None` without the group.
pub fn add_value(app: &App, code: &str, group_id: u64, title: &str) -> Option<u64> {
    let mut inner = app.lock();
    let store = &mut inner.store;
    let group = store
        .configurations
        .get_mut(code)?
        .iter_mut()
        .find(|g| g.id == group_id)?;
    store.last_configuration_id += 1;
    let id = store.last_configuration_id;
    group.configurations.push(Configuration {
        id,
        title: title.to_owned(),
    });
    Some(id)
}

/// Adds a group (API or control); returns its id.
pub fn add_group(app: &App, code: &str, title: &str) -> u64 {
    let mut inner = app.lock();
    let store = &mut inner.store;
    store.last_configuration_id += 1;
    let id = store.last_configuration_id;
    store
        .configurations
        .entry(code.to_owned())
        .or_default()
        .push(ConfigurationGroup {
            id,
            title: title.to_owned(),
            configurations: Vec::new(),
        });
    id
}

/// The JSON object body of a create request in project `code` and its `title` (required,
/// 1..=255 characters).
fn title_in(app: &App, code: &str, body: &[u8]) -> Result<(String, Value), Box<Response>> {
    if !app.project_exists(code) {
        return Err(Box::new(api_error(
            StatusCode::NOT_FOUND,
            "Project not found.",
        )));
    }
    let body: Value = serde_json::from_slice(body).map_err(|e| {
        Box::new(api_error(
            StatusCode::BAD_REQUEST,
            &format!("The body is not valid JSON: {e}"),
        ))
    })?;
    match body.get("title").and_then(Value::as_str) {
        Some(title) if !title.is_empty() && title.chars().count() <= 255 => {
            Ok((title.to_owned(), body))
        }
        _ => Err(Box::new(invalid(
            "title",
            "is required, a string of 1 to 255 characters",
        ))),
    }
}

fn created(id: u64) -> Response {
    let body = json!({"status": true, "result": {"id": id}});
    (StatusCode::OK, Json(body)).into_response()
}

fn invalid(field: &str, error: &str) -> Response {
    let body = json!({"status": false, "errorMessage": "Data is invalid.",
                      "errorFields": [{"field": field, "error": error}]});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
