//! `POST /v1/attachment/{code}` (multipart, parts named `file`), answered in the shape of the
//! official `qase-api-client` `AttachmentUploadsResponse`: `{status, result: [{hash, filename,
//! mime, extension, url}]}`. The hash is derived from the content, so the same bytes give
//! the same hash.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app::{App, api_error};
use crate::store::StoredAttachment;

/// `POST /v1/attachment/{code}`.
pub async fn upload(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    mut multipart: Multipart,
) -> Response {
    if !app.project_exists(&code) {
        return api_error(StatusCode::NOT_FOUND, "Project not found.");
    }
    let mut stored = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return api_error(StatusCode::BAD_REQUEST, &format!("Bad multipart body: {e}"));
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("file").to_owned();
        let mime = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => {
                return api_error(StatusCode::BAD_REQUEST, &format!("Bad multipart body: {e}"));
            }
        };
        stored.push(StoredAttachment {
            hash: content_hash(&bytes),
            filename,
            mime,
            size: bytes.len(),
        });
    }
    if stored.is_empty() {
        return api_error(StatusCode::BAD_REQUEST, "No file part named `file`.");
    }
    let result: Vec<_> = stored
        .iter()
        .map(|a| {
            let extension = a.filename.rsplit_once('.').map_or("", |(_, e)| e);
            json!({"hash": a.hash, "filename": a.filename, "mime": a.mime, "extension": extension,
                   "url": format!("/attachment/{}/{}", a.hash, a.filename)})
        })
        .collect();
    app.lock().store.attachments.extend(stored);
    (
        StatusCode::OK,
        Json(json!({"status": true, "result": result})),
    )
        .into_response()
}

/// 40 hex characters from the content (two seeded std hashes and the length).
fn content_hash(bytes: &[u8]) -> String {
    let part = |seed: u64| {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        seed.hash(&mut hasher);
        bytes.hash(&mut hasher);
        hasher.finish()
    };
    format!("{:016x}{:016x}{:08x}", part(1), part(2), bytes.len() as u32)
}
