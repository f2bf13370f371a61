//! Requests out: a retry waits in `scheduled` until its time; `send` turns a request into the
//! host's HTTP action (method, path, body) and keeps it in flight until its answer comes.

use super::event::{Action, HttpRequest, TOKEN_PLACEHOLDER};
use super::retry;
use super::{Pending, Phase, Request, Session};

/// `{"results":[` + `]}`.
pub(super) const ENVELOPE_BYTES: usize = 14;

impl Session {
    /// How long to wait before trying `pending` again, or `None` when its patience is spent:
    /// the try cap (when configured), the retry budget in time counted from its first send,
    /// and, for the requests that open the run, the start deadline.
    pub(super) fn retry_wait(
        &self,
        now: u64,
        pending: &Pending,
        after_ms: Option<u64>,
    ) -> Option<u64> {
        let testops = &self.config.testops;
        let wait = after_ms.unwrap_or_else(|| retry::backoff_ms(pending.tries));
        let at = now.saturating_add(wait);
        let within_cap = testops
            .upload_retries
            .is_none_or(|cap| pending.tries < cap.max(1));
        let within_budget = at <= pending.first_sent.saturating_add(testops.retry_budget_ms);
        let within_start = self.phase != Phase::Opening || at < self.start_deadline();
        (within_cap && within_budget && within_start).then_some(wait)
    }

    /// When the run must be open by (`testops.startTimeoutMs` after the session started).
    pub(super) fn start_deadline(&self) -> u64 {
        self.started_at
            .saturating_add(self.config.testops.start_timeout_ms)
    }

    pub(super) fn schedule(&mut self, now: u64, pending: Pending, wait: u64) {
        if let Request::Upload(batch) = &pending.request {
            self.receipt.retried += batch.results.len() as u64;
        }
        self.scheduled.push((now.saturating_add(wait), pending));
    }

    /// Sends a new request.
    pub(super) fn send(&mut self, request: Request) {
        let mut pending = Pending::new(request);
        pending.first_sent = self.now;
        self.dispatch(pending);
    }

    /// Sends a request, new or tried before.
    pub(super) fn dispatch(&mut self, mut pending: Pending) {
        let request = &pending.request;
        self.next_request += 1;
        let request_id = self.next_request;
        let testops = &self.config.testops;
        let project = crate::url::encode_segment(testops.project.as_deref().unwrap_or_default());
        let run_id = self.run_id.unwrap_or_default();
        let (method, path, body, count) = match &request {
            Request::CreateRun(body) => ("POST", format!("/v1/run/{project}"), body.clone(), None),
            Request::CheckRun => (
                "GET",
                format!("/v1/run/{project}/{run_id}"),
                String::new(),
                None,
            ),
            Request::ListConfigurations => (
                "GET",
                format!("/v1/configuration/{project}"),
                String::new(),
                None,
            ),
            Request::CreateConfigurationGroup(title) => (
                "POST",
                format!("/v1/configuration/{project}/group"),
                serde_json::to_string(&serde_json::json!({ "title": title })).unwrap_or_default(),
                None,
            ),
            Request::CreateConfiguration(title, group_id) => (
                "POST",
                format!("/v1/configuration/{project}"),
                serde_json::to_string(&serde_json::json!({ "title": title, "group_id": group_id }))
                    .unwrap_or_default(),
                None,
            ),
            Request::Upload(batch) => {
                let mut body = String::with_capacity(
                    ENVELOPE_BYTES
                        + batch
                            .results
                            .iter()
                            .map(|p| p.json.len() + 1)
                            .sum::<usize>(),
                );
                body.push_str("{\"results\":[");
                for (i, prepared) in batch.results.iter().enumerate() {
                    if i > 0 {
                        body.push(',');
                    }
                    body.push_str(&prepared.json);
                }
                body.push_str("]}");
                (
                    "POST",
                    format!("/v2/{project}/run/{run_id}/results"),
                    body,
                    Some(batch.results.len()),
                )
            }
            Request::Complete => (
                "POST",
                format!("/v1/run/{project}/{run_id}/complete"),
                String::new(),
                None,
            ),
            Request::UploadAttachment { .. } => (
                "POST",
                format!("/v1/attachment/{project}"),
                String::new(),
                None,
            ),
        };
        let mut timeout_ms = testops.request_timeout_ms;
        if self.phase == Phase::Opening {
            timeout_ms = timeout_ms.min(self.start_deadline().saturating_sub(self.now).max(1));
        }
        let multipart = matches!(request, Request::UploadAttachment { .. });
        let mut headers = vec![
            ["Token".to_owned(), TOKEN_PLACEHOLDER.to_owned()],
            ["Accept".to_owned(), "application/json".to_owned()],
        ];
        if !multipart {
            headers.push(["Content-Type".to_owned(), "application/json".to_owned()]);
        }
        let http = HttpRequest {
            request_id,
            purpose: request.kind().to_owned(),
            method: method.to_owned(),
            url: pending
                .redirected_to
                .clone()
                .unwrap_or_else(|| format!("{}{path}", testops.api_base())),
            path,
            headers,
            body,
            count,
            timeout_ms,
        };
        if let Request::Upload(batch) = request {
            if !batch.resent {
                self.receipt.sent += batch.results.len() as u64;
            }
        }
        self.out.push_back(match request {
            Request::UploadAttachment { held, index } => {
                Action::Multipart(self.attachment_upload(http, *held, *index))
            }
            _ => Action::Http(http),
        });
        pending.tries += 1;
        pending.expires = self.now.saturating_add(timeout_ms);
        self.in_flight.insert(request_id, pending);
    }

    /// When `poll` should be called again without an event.
    pub(super) fn next_timer(&self) -> Option<u64> {
        let retry = self
            .scheduled
            .iter()
            .map(|(at, _)| *at)
            .chain(self.in_flight.iter().map(|(_, p)| p.expires))
            .chain((self.phase == Phase::Opening).then(|| self.start_deadline()))
            .min();
        let deadline = self.deadline.filter(|_| {
            matches!(
                self.phase,
                Phase::Opening | Phase::Closing | Phase::Completing
            )
        });
        match (retry, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}
