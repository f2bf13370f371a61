//! Attachments (SPEC §9, `ResultCreate.attachments`). Upload: each attachment of a result goes
//! up first (`upload_attachment`, `POST /v1/attachment/{code}`, multipart, answered with
//! `MultipartUploadsResponse` `{result: [{hash, …}]}`), and the result waits — held, outside
//! the upload queue — until every one of its attachments has a hash or has failed; then the
//! hashes are added to its JSON and it joins the queue. A failed attachment never holds a
//! result back for good: after the retry budget, or when the host cannot read the file, the
//! result goes without it (one `warn` line). Local report: the files are copied (or written)
//! to `attachments/<result id>-<n>-<name>` and the result file lists them, the way the
//! official reporters write the Qase report.
//!
//! The session never reads a file: the host does, for the upload and for the copy.

use super::event::{FileEntry, HttpRequest, LogLevel, MultipartUpload};
use super::pipeline::Prepared;
use super::{Phase, Request, Session};
use crate::result::Attachment;
use serde::Serialize;
use serde_json::Value;

/// The payload results of one test, waiting for their attachments' hashes.
#[derive(Debug)]
pub(crate) struct Held {
    results: Vec<Prepared>,
    attachments: Vec<Attachment>,
    hashes: Vec<Option<String>>,
    pending: usize,
}

/// An attachment as the local report lists it.
#[derive(Serialize)]
struct LocalAttachment<'a> {
    id: String,
    file_name: String,
    mime_type: Option<&'a str>,
    file_path: String,
}

impl Session {
    /// Holds the payload results of one test until its attachments are uploaded.
    pub(super) fn hold(&mut self, results: Vec<Prepared>, attachments: &[Attachment]) {
        self.next_held += 1;
        let held = self.next_held;
        let (usable, unusable): (Vec<Attachment>, Vec<Attachment>) = attachments
            .iter()
            .cloned()
            .partition(|a| a.path.is_some() || a.content.is_some());
        for attachment in unusable {
            let message = format!(
                "attachment {} has neither a path nor content; ignored",
                attachment.name
            );
            self.log(LogLevel::Warn, message);
        }
        for index in 0..usable.len() {
            self.attachment_queue.push_back((held, index));
        }
        if usable.is_empty() {
            for prepared in results {
                self.enqueue(prepared);
            }
            return;
        }
        self.held.insert(
            held,
            Held {
                results,
                hashes: vec![None; usable.len()],
                pending: usable.len(),
                attachments: usable,
            },
        );
    }

    /// The answer to one attachment upload: its hash, or `None` (failed; `why` says how).
    pub(super) fn attachment_done(
        &mut self,
        held: u64,
        index: usize,
        hash: Option<String>,
        why: &str,
    ) {
        let Some(entry) = self.held.get_mut(held) else {
            return;
        };
        if hash.is_none() {
            let name = entry
                .attachments
                .get(index)
                .map_or("?", |a| a.name.as_str());
            let message = format!(
                "attachment {name} could not be uploaded ({why}); its result is sent without it"
            );
            self.log(LogLevel::Warn, message);
        }
        let Some(entry) = self.held.get_mut(held) else {
            return;
        };
        if let Some(slot) = entry.hashes.get_mut(index) {
            *slot = hash;
        }
        entry.pending = entry.pending.saturating_sub(1);
        if entry.pending == 0 {
            if let Some(entry) = self.held.remove(held) {
                self.release(entry);
            }
        }
    }

    /// Every attachment answered: the hashes go into the results, which join the queue.
    fn release(&mut self, entry: Held) {
        let hashes: Vec<String> = entry.hashes.into_iter().flatten().collect();
        let list = (!hashes.is_empty()).then(|| serde_json::to_string(&hashes).unwrap_or_default());
        for mut prepared in entry.results {
            if let Some(list) = &list {
                // The JSON object ends with `}`: the hashes become its last key.
                prepared.json.pop();
                prepared.json.push_str(",\"attachments\":");
                prepared.json.push_str(list);
                prepared.json.push('}');
            }
            self.enqueue(prepared);
        }
        if self.phase == Phase::Closing {
            self.close_batch();
        }
    }

    /// Stops every attachment upload (the run could not be opened, or the deadline passed):
    /// answers still to come are ignored, and the held results come back as they are (their
    /// local copies keep every attachment).
    pub(super) fn drop_attachment_uploads(&mut self) -> Vec<Prepared> {
        let ids: Vec<u64> = self
            .in_flight
            .iter()
            .filter(|(_, p)| matches!(p.request, Request::UploadAttachment { .. }))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.in_flight.remove(id);
            self.abandoned.insert(id);
        }
        self.scheduled
            .retain(|(_, p)| !matches!(p.request, Request::UploadAttachment { .. }));
        self.attachment_queue.clear();
        let held = self.held.take();
        held.into_iter().flat_map(|(_, h)| h.results).collect()
    }

    /// Attachment uploads in flight or waiting for a retry.
    pub(super) fn attachment_uploads_busy(&self) -> usize {
        self.in_flight
            .iter()
            .chain(&self.scheduled)
            .filter(|(_, p)| matches!(p.request, Request::UploadAttachment { .. }))
            .count()
    }

    /// The `upload_attachment` action of a request.
    pub(super) fn attachment_upload(
        &self,
        http: HttpRequest,
        held: u64,
        index: usize,
    ) -> MultipartUpload {
        let attachment = self
            .held
            .get(held)
            .and_then(|h| h.attachments.get(index))
            .cloned()
            .unwrap_or_default();
        MultipartUpload {
            request_id: http.request_id,
            purpose: http.purpose,
            method: http.method,
            url: http.url,
            path: http.path,
            headers: http.headers,
            field: "file".to_owned(),
            name: if attachment.name.is_empty() {
                "attachment".to_owned()
            } else {
                attachment.name
            },
            content_type: attachment.content_type,
            content: attachment.content.filter(|_| attachment.path.is_none()),
            file_path: attachment.path,
            timeout_ms: http.timeout_ms,
        }
    }
}

/// `result[0].hash` of an `MultipartUploadsResponse`.
pub(crate) fn uploaded_hash(body: &str) -> Option<String> {
    let value: Value = crate::json::from_str(body).ok()?;
    let hash = value.get("result")?.get(0)?.get("hash")?.as_str()?;
    (!hash.is_empty()).then(|| hash.to_owned())
}

/// A result written locally with its attachments: the result's JSON listing them (in place
/// of any uploaded hashes) and the files to copy or write under `attachments/`.
pub(crate) fn local_copies(
    json: &str,
    id: &str,
    attachments: &[Attachment],
) -> (String, Vec<FileEntry>) {
    let mut files = Vec::new();
    let mut listed = Vec::new();
    for (n, attachment) in attachments.iter().enumerate() {
        let (source, content, encoding) = match (&attachment.path, &attachment.content) {
            (Some(path), _) => (Some(path.clone()), String::new(), None),
            (None, Some(content)) => (None, content.clone(), Some("base64".to_owned())),
            (None, None) => continue,
        };
        let file_name = safe_file_name(&attachment.name);
        let file_path = format!("attachments/{id}-{n}-{file_name}");
        listed.push(LocalAttachment {
            id: format!("{id}-{n}"),
            file_name,
            mime_type: attachment.content_type.as_deref(),
            file_path: file_path.clone(),
        });
        files.push(FileEntry {
            path: file_path,
            content,
            source,
            encoding,
        });
    }
    let Ok(mut value) = crate::json::from_str::<Value>(json) else {
        return (json.to_owned(), files);
    };
    if let Some(object) = value.as_object_mut() {
        match serde_json::to_value(&listed) {
            Ok(list) if !listed.is_empty() => {
                object.insert("attachments".to_owned(), list);
            }
            _ => {
                // Rebuilt without the key rather than `remove`d: insertion and iteration are
                // instantiated for this map type anyway, B-tree removal would only be here
                // (size of the WASM module).
                let mut kept = serde_json::Map::new();
                for (key, value) in std::mem::take(object) {
                    if key != "attachments" {
                        kept.insert(key, value);
                    }
                }
                *object = kept;
            }
        }
    }
    (serde_json::to_string(&value).unwrap_or_default(), files)
}

/// A file name that stays inside `attachments/`: characters outside `[A-Za-z0-9._-]` become
/// `_`, leading dots are dropped, at most 100 characters.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed: String = cleaned.trim_start_matches('.').chars().take(100).collect();
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_leave_the_attachments_folder() {
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("..."), "attachment");
        assert_eq!(safe_file_name("shot 1.png"), "shot_1.png");
        assert_eq!(safe_file_name("é"), "_");
    }

    #[test]
    fn local_copies_list_the_files_in_place_of_hashes() {
        let attachments = [
            Attachment {
                name: "shot.png".into(),
                content_type: Some("image/png".into()),
                path: Some("/tmp/shot.png".into()),
                content: None,
            },
            Attachment {
                name: "log".into(),
                content: Some("aGk=".into()),
                ..Attachment::default()
            },
            Attachment::default(),
        ];
        let (json, files) = local_copies(r#"{"id":"r1","attachments":["h"]}"#, "r1", &attachments);
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value["attachments"],
            serde_json::json!([
                {"id": "r1-0", "file_name": "shot.png", "mime_type": "image/png", "file_path": "attachments/r1-0-shot.png"},
                {"id": "r1-1", "file_name": "log", "mime_type": null, "file_path": "attachments/r1-1-log"}
            ])
        );
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].source.as_deref(), Some("/tmp/shot.png"));
        assert_eq!(
            (files[1].content.as_str(), files[1].encoding.as_deref()),
            ("aGk=", Some("base64"))
        );
        // Nothing to copy: the hashes go, every other key stays.
        let (json, files) = local_copies(
            r#"{"id":"r1","attachments":["h"],"title":"t"}"#,
            "r1",
            &[Attachment::default()],
        );
        assert_eq!(json, r#"{"id":"r1","title":"t"}"#);
        assert!(files.is_empty());
        assert_eq!(
            uploaded_hash(r#"{"status":true,"result":[{"hash":"abc"}]}"#).as_deref(),
            Some("abc")
        );
        assert_eq!(uploaded_hash(r#"{"status":true,"result":[]}"#), None);
    }
}
