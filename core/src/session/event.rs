//! The session's inputs ([`Event`], facts in the past tense) and outputs ([`Action`],
//! commands). One serde shape in every language: `{"event": "…", …}` / `{"action": "…", …}`,
//! snake_case (docs/api.md).

use super::receipt::Receipt;
use crate::result::TestResult;
use serde::{Deserialize, Serialize};

/// A fact the host reports to the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A test finished (one attempt of it).
    TestFinished {
        /// What the host knows about it.
        result: Box<TestResult>,
    },
    /// Any HTTP response to a request action, whatever its status.
    HttpResponse {
        /// The `request_id` of the action.
        request_id: u64,
        /// The HTTP status.
        status: u16,
        /// The response body text (may be empty).
        #[serde(default)]
        body: String,
        /// The `Retry-After` header text, if any.
        #[serde(default)]
        retry_after: Option<String>,
        /// The `Location` header text, if any. A host MUST NOT follow redirects itself (it
        /// would carry the token to wherever the server points): it feeds the 3xx answer
        /// with its location, and the session follows it only within the API's origin.
        #[serde(default)]
        location: Option<String>,
    },
    /// A request got no response (connection refused or reset, timeout).
    HttpFailed {
        /// The `request_id` of the action.
        request_id: u64,
        /// What happened, for the log.
        #[serde(default)]
        message: String,
    },
    /// Every file of a `write_report` / `save_fallback` action was written.
    ReportWritten {
        /// The `request_id` of the action.
        request_id: u64,
    },
    /// A `write_report` / `save_fallback` action could not be performed.
    ReportFailed {
        /// The `request_id` of the action.
        request_id: u64,
        /// What happened, for the log.
        #[serde(default)]
        message: String,
    },
    /// The host could not read the file (or decode the content) of an `upload_attachment`
    /// action; the result is sent without that attachment.
    AttachmentUnreadable {
        /// The `request_id` of the action.
        request_id: u64,
        /// What happened, for the log.
        #[serde(default)]
        message: String,
    },
    /// This session must complete the run at the end even if it joined an existing run
    /// (the final step of a sharded CI job). Still only when every result was acknowledged.
    CompleteRunRequested {},
    /// The test run was interrupted (Ctrl-C, a runner abort): tests that should have run did
    /// not, so the run is left open whatever was delivered. Before `all_tests_done`.
    RunInterrupted {},
    /// The runner finished: flush, wait (bounded) for uploads, end.
    AllTestsDone {},
}

/// The placeholder a header value carries where the host MUST put the API token
/// (`session.token()`): the token itself never sits in an action, so no action a host logs
/// or a test prints can show it.
pub const TOKEN_PLACEHOLDER: &str = "{{token}}";

/// An HTTP request the host MUST send as given — method, url, every header (the token put in
/// for [`TOKEN_PLACEHOLDER`]), body — then feed back `http_response` (any status, 3xx
/// included: a host MUST NOT follow redirects) or `http_failed`. The host SHOULD abort it
/// after `timeout_ms`; the session gives up on it then anyway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// Names this request in the event that answers it.
    pub request_id: u64,
    /// What the request is for, for logs and tests (`create_run`, `upload_results`, …).
    /// A host MUST NOT branch on it.
    pub purpose: String,
    /// `GET` or `POST`.
    pub method: String,
    /// The full URL (API base + path).
    pub url: String,
    /// The path alone, e.g. `/v1/run/DEMO`.
    pub path: String,
    /// Every header to send, as `[name, value]`, in order.
    pub headers: Vec<[String; 2]>,
    /// The JSON body text, or `""` (no body).
    pub body: String,
    /// For `upload_results`: how many results the body carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The whole time the request may take (ms), connection to last byte.
    pub timeout_ms: u64,
}

/// One file to write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the action's `dir`, `/`-separated (`results/<id>.json`).
    pub path: String,
    /// The full text of the file (base64 of its bytes when `encoding` is `base64`; empty
    /// when `source` is set).
    pub content: String,
    /// A file on the host's disk to copy to `path` instead of writing `content` (an
    /// attachment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `base64` when `content` is base64-encoded bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// A file the host MUST send as `multipart/form-data` — one part named `field`, with `name`
/// as its file name and `content_type` as its type (or `application/octet-stream`) — with
/// every header given (the token put in for [`TOKEN_PLACEHOLDER`]; the host adds the
/// multipart `Content-Type` itself), then feed back `http_response` / `http_failed`, or
/// `attachment_unreadable` when the file cannot be read. As [`HttpRequest`]: no redirects
/// followed, aborted after `timeout_ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartUpload {
    /// Names this request in the event that answers it.
    pub request_id: u64,
    /// What the upload is for (`upload_attachment`), for logs and tests.
    pub purpose: String,
    /// `POST`.
    pub method: String,
    /// The full URL (API base + path).
    pub url: String,
    /// The path alone.
    pub path: String,
    /// Every header to send, as `[name, value]`.
    pub headers: Vec<[String; 2]>,
    /// The form field of the file part (`file`).
    pub field: String,
    /// The file name to send.
    pub name: String,
    /// The MIME type, when known (else the host may send `application/octet-stream`).
    pub content_type: Option<String>,
    /// The file to read, or `null` when `content` carries the bytes.
    pub file_path: Option<String>,
    /// The bytes, base64-encoded, when there is no file.
    pub content: Option<String>,
    /// As [`HttpRequest::timeout_ms`].
    pub timeout_ms: u64,
}

/// Files the host MUST write under `dir` (creating folders), then feed back
/// `report_written` or `report_failed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileWrite {
    /// Names this write in the event that answers it.
    pub request_id: u64,
    /// What the files are (`write_report`: the local report; `save_fallback`: results that
    /// could not be delivered), for logs and tests.
    pub purpose: String,
    /// The report folder (`report.connection.local.path`).
    pub dir: String,
    /// The files.
    pub files: Vec<FileEntry>,
}

/// How loud a log line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Only emitted when `debug` is on.
    Debug,
    /// Progress, failure links, the summary of a good run.
    Info,
    /// Configuration warnings, undelivered results.
    Warn,
    /// Something failed for good.
    Error,
}

/// What the host must do next: one of six cases, whatever the endpoint or the target, so a
/// new request needs no host change.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Send an HTTP request.
    Http(HttpRequest),
    /// Send a file as `multipart/form-data`.
    Multipart(MultipartUpload),
    /// Write files.
    WriteFiles(FileWrite),
    /// Print a line. Never contains the token.
    Log {
        /// How loud.
        level: LogLevel,
        /// The line.
        message: String,
    },
    /// Nothing to do until `until` (ms), or until the next event when `null`.
    Wait {
        /// When to poll again.
        until: Option<u64>,
    },
    /// The session is over; every later `poll` answers the same.
    Finished {
        /// What happened.
        receipt: Receipt,
    },
}

impl Action {
    /// The HTTP request of an action that is one (the host sends it), else `None`.
    pub fn http_request(&self) -> Option<&HttpRequest> {
        match self {
            Action::Http(r) => Some(r),
            _ => None,
        }
    }

    /// The action's wire name, its serde tag (`http`, `write_files`, …); a test holds the two
    /// equal.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Http(_) => "http",
            Action::Multipart(_) => "multipart",
            Action::WriteFiles(_) => "write_files",
            Action::Log { .. } => "log",
            Action::Wait { .. } => "wait",
            Action::Finished { .. } => "finished",
        }
    }

    /// What the action is for: the purpose of a request or a write (`upload_results`,
    /// `save_fallback`, …), else its name.
    pub fn purpose(&self) -> &str {
        match self {
            Action::Http(r) => &r.purpose,
            Action::Multipart(m) => &m.purpose,
            Action::WriteFiles(w) => &w.purpose,
            other => other.name(),
        }
    }

    /// The request or write id of an action that is answered by an event.
    pub fn request_id(&self) -> Option<u64> {
        match self {
            Action::Http(r) => Some(r.request_id),
            Action::Multipart(m) => Some(m.request_id),
            Action::WriteFiles(w) => Some(w.request_id),
            Action::Log { .. } | Action::Wait { .. } | Action::Finished { .. } => None,
        }
    }

    /// True for `wait` and `finished`: the host stops draining.
    pub fn ends_drain(&self) -> bool {
        matches!(self, Action::Wait { .. } | Action::Finished { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_the_serde_tag() {
        let http = HttpRequest {
            request_id: 1,
            purpose: "create_run".into(),
            method: "POST".into(),
            url: "https://api.qase.io/v1/run/DEMO".into(),
            path: "/v1/run/DEMO".into(),
            headers: vec![["Token".into(), TOKEN_PLACEHOLDER.into()]],
            body: String::new(),
            count: None,
            timeout_ms: 1_000,
        };
        let actions = [
            Action::Http(http),
            Action::Multipart(MultipartUpload {
                request_id: 3,
                purpose: "upload_attachment".into(),
                method: "POST".into(),
                url: String::new(),
                path: String::new(),
                headers: Vec::new(),
                field: "file".into(),
                name: "a".into(),
                content_type: None,
                file_path: None,
                content: None,
                timeout_ms: 1_000,
            }),
            Action::WriteFiles(FileWrite {
                request_id: 2,
                purpose: "write_report".into(),
                dir: "report".into(),
                files: Vec::new(),
            }),
            Action::Log {
                level: LogLevel::Info,
                message: "m".into(),
            },
            Action::Wait { until: None },
            Action::Finished {
                receipt: Receipt::default(),
            },
        ];
        for action in actions {
            let value = serde_json::to_value(&action).unwrap();
            assert_eq!(value["action"], action.name(), "{action:?}");
        }
    }
}
