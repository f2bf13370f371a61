//! Every state change of the session (h11's rule: everything that changes state is in
//! here). `transition` is one `match (phase, event)`; `on_reply` is one match over
//! `(phase, request, answer)` for the HTTP answers it routes; `advance` runs the timers
//! (retries, the end deadline) and the dispatcher after every call. What a change asks
//! for goes out through `requests.rs` (HTTP actions, retries) and `local.rs` (file actions).
//!
//! Phases: `off` | `opening` → `open` → `closing` → [`completing`] → [`finishing`] →
//! `finished`; `local` (report mode, or the run could not be opened) → `finishing`.

use super::answers::{closed_run, result_id};
use super::attachments::uploaded_hash;
use super::configurations::{Lookup, Next, without_lookup};
use super::event::{Event, LogLevel};
use super::payload::create_run_json;
use super::pipeline::Prepared;
use super::report::run_file;
use super::requests::ENVELOPE_BYTES;
use super::retry::{self, Outcome};
use super::{Batch, Pending, Phase, Request, Session, Sink};
use crate::config::Mode;
use crate::error::Error;

impl Session {
    /// The first requests, from the mode.
    pub(super) fn start(&mut self, _now: u64) {
        match self.config.mode {
            Mode::Off => self.phase = Phase::Off,
            Mode::Report => {
                self.phase = Phase::Local;
                self.sink = Sink::Report;
            }
            Mode::Testops => {
                self.phase = Phase::Opening;
                if !self.config.testops.upload_attachments {
                    self.log(
                        LogLevel::Info,
                        "attachments stay local: testops.uploadAttachments is false, so none is read or sent"
                            .to_owned(),
                    );
                }
                if self.config.fallback == Mode::Off {
                    self.log(
                        LogLevel::Info,
                        format!(
                            "fallback: `off` is read as `report`: undelivered results are saved to {} because testrelay never drops a result",
                            self.config.report_path
                        ),
                    );
                }
                match self.config.testops.run_id {
                    Some(_) => self.send(Request::CheckRun),
                    None if self.config.testops.configurations.is_empty() => self.create_run(&[]),
                    None => self.send(Request::ListConfigurations),
                }
            }
        }
    }

    pub(super) fn check_accepts_results(&self, call: &'static str) -> Result<(), Error> {
        match self.phase {
            Phase::Off | Phase::Opening | Phase::Open | Phase::Local if self.deadline.is_none() => {
                Ok(())
            }
            phase => Err(Error::WrongState {
                call,
                state: phase.name(),
            }),
        }
    }

    /// One finished test, once the phase was checked (`test_finished`, `add_results`).
    pub(super) fn accept(&mut self, result: &crate::result::TestResult) {
        // Read first in every mode: an ignored result is never seen, in mode off too.
        let Some(result) = self.read_facts(result) else {
            return;
        };
        if self.phase == Phase::Off {
            self.receipt.results_seen += 1;
            return;
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        self.prepare(&result, &mut scratch);
        let attachments = scratch.prepared.first().map(|p| p.attachments.clone());
        // With `testops.uploadAttachments` off nothing is uploaded: the result goes without its
        // attachments (a local copy, fallback or report, still keeps them).
        if let Some(attachments) = attachments.filter(|a| !a.is_empty())
            && matches!(self.phase, Phase::Opening | Phase::Open)
            && self.config.testops.upload_attachments
        {
            let prepared: Vec<Prepared> = scratch.prepared.drain(..).collect();
            self.hold(prepared, &attachments);
        }
        for one in scratch.prepared.drain(..) {
            self.enqueue(one);
        }
        self.scratch = scratch;
    }

    /// One fact. On `Err` nothing changed.
    pub(super) fn transition(&mut self, now: u64, event: Event) -> Result<(), Error> {
        match (self.phase, event) {
            // Late answers to requests abandoned at the deadline, even once finished.
            (_, Event::HttpResponse { request_id, .. } | Event::HttpFailed { request_id, .. })
                if self.abandoned.remove(&request_id) =>
            {
                if self.phase != Phase::Finished && self.config.debug {
                    self.log(
                        LogLevel::Debug,
                        format!("request {request_id} answered after it was given up; ignored"),
                    );
                }
                Ok(())
            }
            (Phase::Finished, _) => Err(Error::WrongState {
                call: "handle",
                state: Phase::Finished.name(),
            }),

            (_, Event::TestFinished { result }) => {
                self.check_accepts_results("test_finished")?;
                self.accept(&result);
                Ok(())
            }

            (_, Event::AllTestsDone {}) if self.deadline.is_some() => Err(Error::WrongState {
                call: "all_tests_done",
                state: self.phase.name(),
            }),
            (Phase::Off, Event::AllTestsDone {}) => {
                self.deadline = Some(now);
                self.finish(now);
                Ok(())
            }
            (Phase::Opening, Event::AllTestsDone {}) => {
                self.deadline = Some(now.saturating_add(self.config.testops.upload_deadline_ms));
                Ok(())
            }
            (Phase::Open, Event::AllTestsDone {}) => {
                self.deadline = Some(now.saturating_add(self.config.testops.upload_deadline_ms));
                self.close_batch();
                self.phase = Phase::Closing;
                Ok(())
            }
            (Phase::Local, Event::AllTestsDone {}) => {
                self.deadline = Some(now);
                self.flush_local();
                self.wrap_up(now);
                Ok(())
            }
            (phase, Event::AllTestsDone {}) => Err(Error::WrongState {
                call: "all_tests_done",
                state: phase.name(),
            }),

            (_, Event::RunInterrupted {}) => {
                self.interrupted = true;
                Ok(())
            }

            (Phase::Opening | Phase::Open | Phase::Closing, Event::CompleteRunRequested {}) => {
                self.complete_requested = true;
                Ok(())
            }
            (phase, Event::CompleteRunRequested {}) => Err(Error::WrongState {
                call: "complete_run_requested",
                state: phase.name(),
            }),

            (
                _,
                Event::HttpResponse {
                    request_id,
                    status,
                    body,
                    retry_after,
                    location,
                },
            ) => {
                let pending = self.take_request(request_id)?;
                if (300..400).contains(&status) {
                    self.on_redirect(now, pending, status, location.as_deref());
                    return Ok(());
                }
                let answer = retry::classify(Some(status), retry_after.as_deref());
                self.on_reply(now, pending, answer, &format!("HTTP {status}"), &body);
                Ok(())
            }
            (
                _,
                Event::HttpFailed {
                    request_id,
                    message,
                },
            ) => {
                // A host that aborted the request at the deadline the session set: the
                // session's own timers speak for it, so the outcome is the same whichever of
                // the two comes first.
                if self
                    .in_flight
                    .get(request_id)
                    .is_some_and(|p| p.expires <= now)
                {
                    self.run_timers(now);
                    return Ok(());
                }
                let pending = self.take_request(request_id)?;
                let answer = retry::classify(None, None);
                self.on_reply(
                    now,
                    pending,
                    answer,
                    &format!("no response ({message})"),
                    "",
                );
                Ok(())
            }

            (
                _,
                Event::AttachmentUnreadable {
                    request_id,
                    message,
                },
            ) => {
                let Some(Pending {
                    request: Request::UploadAttachment { held, index },
                    ..
                }) = self.in_flight.get(request_id)
                else {
                    return Err(Error::UnknownRequest(request_id));
                };
                let (held, index) = (*held, *index);
                self.in_flight.remove(request_id);
                self.attachment_done(held, index, None, &format!("unreadable: {message}"));
                Ok(())
            }

            (_, Event::ReportWritten { request_id }) => {
                self.files
                    .remove(&request_id)
                    .ok_or(Error::UnknownRequest(request_id))?;
                Ok(())
            }
            (
                _,
                Event::ReportFailed {
                    request_id,
                    message,
                },
            ) => {
                let job = self
                    .files
                    .remove(&request_id)
                    .ok_or(Error::UnknownRequest(request_id))?;
                match job.sink {
                    Sink::Report => self.receipt.reported -= job.count,
                    Sink::Fallback => self.receipt.in_fallback -= job.count,
                }
                self.receipt.lost += job.count;
                self.log(
                    LogLevel::Error,
                    format!(
                        "could not write {} results to {}: {message}",
                        job.count, self.config.report_path
                    ),
                );
                Ok(())
            }
        }
    }

    fn take_request(&mut self, request_id: u64) -> Result<Pending, Error> {
        self.in_flight
            .remove(request_id)
            .ok_or(Error::UnknownRequest(request_id))
    }

    /// An HTTP answer to a request this session sent.
    fn on_reply(&mut self, now: u64, pending: Pending, answer: Outcome, what: &str, body: &str) {
        let tries = pending.tries;
        let wait = match answer {
            Outcome::Retry { after_ms } => self.retry_wait(now, &pending, after_ms),
            _ => None,
        };
        let may_retry = wait.is_some();
        let wait = wait.unwrap_or_default();
        let Pending {
            request,
            first_sent,
            redirected_to,
            ..
        } = pending;
        // A request tried again keeps its first send time and where a redirect sent it.
        let again = |request| Pending {
            request,
            tries,
            first_sent,
            expires: 0,
            redirected_to: redirected_to.clone(),
        };
        match (self.phase, request, answer) {
            (Phase::Opening, Request::CreateRun(_), Outcome::Success) => match result_id(body) {
                Some(id) => self.run_opened(id, true),
                None => self.run_failed(now, "the create-run response had no `result.id`"),
            },
            (Phase::Opening, Request::CheckRun, Outcome::Success) => {
                let id = self.config.testops.run_id.unwrap_or_default();
                // SPEC §9: the run must exist AND be open; a closed run would refuse every
                // upload, so its results go straight to the fallback instead.
                match closed_run(body) {
                    Some(state) => self.run_failed(
                        now,
                        &format!("run {id} is already {state} and takes no more results; start a new run or unset the run id"),
                    ),
                    None => self.run_opened(id, false),
                }
            }
            (Phase::Opening, Request::ListConfigurations, Outcome::Success) => {
                let testops = &self.config.testops;
                let lookup =
                    Lookup::new(&testops.configurations, testops.configurations_create, body);
                match lookup {
                    Some(lookup) => {
                        self.lookup = Some(lookup);
                        self.configurations_next();
                    }
                    None => self.configurations_unavailable("the answer could not be read"),
                }
            }
            (Phase::Opening, Request::CreateConfigurationGroup(title), Outcome::Success) => {
                let id = result_id(body);
                if id.is_none() {
                    self.log(
                        LogLevel::Warn,
                        format!("could not create configuration group {title} (no `result.id` in the answer)"),
                    );
                }
                if let Some(lookup) = self.lookup.as_mut() {
                    lookup.group_created(&title, id);
                }
                self.configurations_next();
            }
            (Phase::Opening, Request::CreateConfiguration(..), Outcome::Success) => {
                self.configuration_created(result_id(body));
            }
            (
                Phase::Opening,
                request @ (Request::CreateRun(_)
                | Request::CheckRun
                | Request::ListConfigurations
                | Request::CreateConfigurationGroup(_)
                | Request::CreateConfiguration(..)),
                Outcome::Retry { .. },
            ) if may_retry => self.schedule(now, again(request), wait),
            (Phase::Opening, Request::ListConfigurations, _) => {
                self.configurations_unavailable(what);
            }
            (Phase::Opening, Request::CreateConfigurationGroup(title), _) => {
                self.log(
                    LogLevel::Warn,
                    format!("could not create configuration group {title} ({what})"),
                );
                if let Some(lookup) = self.lookup.as_mut() {
                    lookup.group_created(&title, None);
                }
                self.configurations_next();
            }
            (Phase::Opening, Request::CreateConfiguration(..), _) => {
                self.configuration_created(None);
            }
            (Phase::Opening, Request::CreateRun(_) | Request::CheckRun, _) => {
                self.run_failed(now, what)
            }

            (_, Request::UploadAttachment { held, index }, Outcome::Success) => {
                match uploaded_hash(body) {
                    Some(hash) => self.attachment_done(held, index, Some(hash), what),
                    None => {
                        self.attachment_done(held, index, None, "no `result[0].hash` in the answer")
                    }
                }
            }
            (_, request @ Request::UploadAttachment { .. }, Outcome::Retry { .. }) if may_retry => {
                self.schedule(now, again(request), wait)
            }
            (_, Request::UploadAttachment { held, index }, _) => {
                self.attachment_done(held, index, None, &format!("{what}, after {tries} tries"))
            }

            (_, Request::Upload(batch), Outcome::Success) => {
                self.receipt.acknowledged += batch.results.len() as u64;
            }
            (_, Request::Upload(mut batch), Outcome::Retry { .. }) if may_retry => {
                batch.resent = true;
                self.schedule(now, again(Request::Upload(batch)), wait);
            }
            (_, Request::Upload(mut batch), Outcome::TooLarge) if batch.results.len() > 1 => {
                let second = batch.results.split_off(batch.results.len() / 2);
                self.log(
                    LogLevel::Info,
                    format!(
                        "upload of {} results was too large (HTTP 413); sending it in two halves",
                        batch.results.len() + second.len()
                    ),
                );
                self.ready.push_front(Batch {
                    results: second,
                    resent: true,
                });
                self.ready.push_front(Batch {
                    results: batch.results,
                    resent: true,
                });
            }
            (_, Request::Upload(batch), _) => {
                self.log(
                    LogLevel::Warn,
                    format!(
                        "{} results not accepted ({what}, after {tries} {}); saving them to {}",
                        batch.results.len(),
                        if tries == 1 { "try" } else { "tries" },
                        self.config.report_path
                    ),
                );
                self.write_local(batch.results, Sink::Fallback);
            }

            (Phase::Completing, Request::Complete, Outcome::Success) => {
                self.receipt.completed = true;
                self.wrap_up(now);
            }
            (Phase::Completing, Request::Complete, Outcome::Retry { .. }) if may_retry => {
                self.schedule(now, again(Request::Complete), wait)
            }
            (Phase::Completing, Request::Complete, _) => {
                self.log(
                    LogLevel::Warn,
                    format!("could not complete the run ({what}); it was left open"),
                );
                self.wrap_up(now);
            }

            (phase, request, _) => {
                unreachable!("bug: {} answered in phase {}", request.kind(), phase.name())
            }
        }
    }

    /// Timers, then dispatch, then the end conditions. Runs after every call.
    pub(super) fn advance(&mut self, now: u64) {
        if self.phase == Phase::Finished {
            return;
        }
        self.run_timers(now);
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.scheduled)
            .into_iter()
            .partition(|(at, _)| *at <= now);
        self.scheduled = later;
        for (_, pending) in due {
            self.dispatch(pending);
        }
        if matches!(self.phase, Phase::Opening | Phase::Open | Phase::Closing) {
            let limit = self.config.testops.uploads_in_flight.max(1);
            while self.attachment_uploads_busy() < limit {
                let Some((held, index)) = self.attachment_queue.pop_front() else {
                    break;
                };
                self.send(Request::UploadAttachment { held, index });
            }
        }
        if matches!(self.phase, Phase::Open | Phase::Closing) {
            while self.uploads_busy() < self.config.testops.uploads_in_flight.max(1) {
                let Some(batch) = self.ready.pop_front() else {
                    break;
                };
                self.send(Request::Upload(batch));
            }
        }
        let uploads_done = self.ready.is_empty()
            && self.queue.is_empty()
            && self.held.is_empty()
            && self.uploads_busy() == 0;
        match self.phase {
            Phase::Closing if uploads_done => {
                if self.should_complete() {
                    self.phase = Phase::Completing;
                    self.send(Request::Complete);
                } else {
                    self.wrap_up(now);
                }
            }
            Phase::Finishing if self.files.is_empty() => self.finish(now),
            _ => {}
        }
    }

    /// The deadlines that have passed: the end's, the start bound, each request's own.
    fn run_timers(&mut self, now: u64) {
        if self.deadline.is_some_and(|d| now >= d) && self.phase != Phase::Finishing {
            self.abandon_all(now);
        }
        if self.phase == Phase::Opening && now >= self.start_deadline() {
            self.abandon_opening(now);
        }
        self.expire_requests(now);
    }

    /// Requests whose answer did not come within their timeout: given up (a late answer is
    /// ignored) and answered as no response, which the retry rules then judge.
    fn expire_requests(&mut self, now: u64) {
        loop {
            let expired = self.in_flight.iter().find(|(_, p)| p.expires <= now);
            let Some(id) = expired.map(|(id, _)| *id) else {
                break;
            };
            let Some(pending) = self.in_flight.remove(id) else {
                break;
            };
            self.abandoned.insert(id);
            let what = format!(
                "no answer within {} s",
                self.config.testops.request_timeout_ms.div_ceil(1_000)
            );
            self.on_reply(now, pending, Outcome::Retry { after_ms: None }, &what, "");
        }
    }

    /// The run was not open by the start deadline: whatever opening request is in flight or
    /// waiting is given up, and the results go to the fallback.
    fn abandon_opening(&mut self, now: u64) {
        let in_flight = self.in_flight.take();
        let (opening, others): (Vec<_>, Vec<_>) = in_flight
            .into_iter()
            .partition(|(_, p)| !matches!(p.request, Request::UploadAttachment { .. }));
        self.abandoned.extend(opening.iter().map(|(id, _)| *id));
        for (id, pending) in others {
            self.in_flight.insert(id, pending);
        }
        self.scheduled
            .retain(|(_, p)| matches!(p.request, Request::UploadAttachment { .. }));
        self.lookup = None;
        let why = format!(
            "no answer within {} s of the start (testops.startTimeoutMs)",
            self.config.testops.start_timeout_ms.div_ceil(1_000)
        );
        self.run_failed(now, &why);
    }

    /// A 3xx answer. Followed only to the API's own origin (the token is never sent
    /// elsewhere), as a new try of the same request; anywhere else it is a refusal.
    fn on_redirect(&mut self, now: u64, mut pending: Pending, status: u16, location: Option<&str>) {
        const MAX_REDIRECTS: u32 = 5;
        let sent_to = pending
            .redirected_to
            .clone()
            .unwrap_or_else(|| self.config.testops.api_base());
        let target = location.and_then(|l| crate::url::resolve_location(&sent_to, l));
        let api = crate::url::origin(&self.config.testops.api_base());
        let method_kept = matches!(status, 307 | 308)
            || matches!(
                pending.request,
                Request::CheckRun | Request::ListConfigurations
            );
        match target {
            Some(url)
                if method_kept
                    && api.is_some()
                    && crate::url::origin(&url) == api
                    && pending.tries <= MAX_REDIRECTS =>
            {
                pending.redirected_to = Some(url);
                self.dispatch(pending);
            }
            target => {
                let why = match target.as_deref().map(crate::url::origin) {
                    None | Some(None) => "to an unreadable location".to_owned(),
                    Some(origin) if origin != api => format!(
                        "to {}; not followed: the token is only sent to {}",
                        origin.unwrap_or_default(),
                        api.as_deref().unwrap_or("the configured API host")
                    ),
                    Some(_) if !method_kept => {
                        "that may change the method; not followed".to_owned()
                    }
                    Some(_) => format!("more than {MAX_REDIRECTS} times; not followed"),
                };
                if !self.warned_redirect {
                    self.warned_redirect = true;
                    self.log(
                        LogLevel::Warn,
                        format!("the server redirected a request (HTTP {status}) {why}"),
                    );
                }
                let what = format!("HTTP {status} redirect, not followed");
                self.on_reply(now, pending, Outcome::Rejected, &what, "");
            }
        }
    }

    fn uploads_busy(&self) -> usize {
        self.in_flight
            .iter()
            .chain(&self.scheduled)
            .filter(|(_, p)| matches!(p.request, Request::Upload(_)))
            .count()
    }

    /// The deadline passed: nothing more goes over the network.
    fn abandon_all(&mut self, now: u64) {
        let in_flight = self.in_flight.take();
        self.abandoned.extend(in_flight.iter().map(|(id, _)| *id));
        let scheduled = std::mem::take(&mut self.scheduled);
        let pending = in_flight.into_iter().chain(scheduled).map(|(_, p)| p);
        let mut undelivered = Vec::new();
        for p in pending {
            match p.request {
                Request::Upload(batch) => undelivered.extend(batch.results),
                Request::CreateRun(_)
                | Request::CheckRun
                | Request::ListConfigurations
                | Request::CreateConfigurationGroup(_)
                | Request::CreateConfiguration(..)
                | Request::UploadAttachment { .. } => {}
                Request::Complete => self.log(
                    LogLevel::Warn,
                    "completing the run did not finish before the deadline; it was left open"
                        .to_owned(),
                ),
            }
        }
        // Results still waiting for attachments go without them (their local copies keep
        // every attachment).
        let held = self.drop_attachment_uploads();
        match self.phase {
            // Only the run request was pending; `run_failed` saves the queued results.
            Phase::Opening => {
                self.queue.extend(held);
                self.run_failed(now, "no answer before the deadline")
            }
            Phase::Closing | Phase::Completing => {
                undelivered.extend(held);
                undelivered.extend(self.ready.drain(..).flat_map(|b| b.results));
                undelivered.append(&mut self.queue);
                self.queue_bytes = 0;
                if !undelivered.is_empty() {
                    self.log(
                        LogLevel::Warn,
                        format!(
                            "{} results were not acknowledged before the deadline; saving them to {}",
                            undelivered.len(),
                            self.config.report_path
                        ),
                    );
                    self.write_local(undelivered, Sink::Fallback);
                }
                self.wrap_up(now);
            }
            Phase::Off | Phase::Open | Phase::Local | Phase::Finishing | Phase::Finished => {
                self.write_local(held, Sink::Fallback)
            }
        }
    }

    fn create_run(&mut self, configurations: &[u64]) {
        let body = create_run_json(&self.config, self.started_at, configurations);
        self.send(Request::CreateRun(body));
    }

    /// The next configuration request, or create-run once every picked value is resolved.
    fn configurations_next(&mut self) {
        let mut warnings = Vec::new();
        let next = match self.lookup.as_mut() {
            Some(lookup) => lookup.next(&mut warnings),
            None => Next::Done(Vec::new()),
        };
        for warning in warnings {
            self.log(LogLevel::Warn, warning);
        }
        match next {
            Next::CreateGroup(title) => self.send(Request::CreateConfigurationGroup(title)),
            Next::CreateValue { title, group_id } => {
                self.send(Request::CreateConfiguration(title, group_id))
            }
            Next::Done(ids) => {
                self.lookup = None;
                self.create_run(&ids);
            }
        }
    }

    fn configuration_created(&mut self, id: Option<u64>) {
        let mut warnings = Vec::new();
        if let Some(lookup) = self.lookup.as_mut() {
            lookup.value_created(id, &mut warnings);
        }
        for warning in warnings {
            self.log(LogLevel::Warn, warning);
        }
        self.configurations_next();
    }

    /// The groups could not be listed: the run is created without the values that are names.
    fn configurations_unavailable(&mut self, what: &str) {
        self.log(
            LogLevel::Warn,
            format!("could not read the project's configurations ({what})"),
        );
        let mut warnings = Vec::new();
        let ids = without_lookup(&self.config.testops.configurations, &mut warnings);
        for warning in warnings {
            self.log(LogLevel::Warn, warning);
        }
        self.create_run(&ids);
    }

    /// SPEC §5: a job completes the run it created or was given by id, unless another step
    /// does (one shard of several, a receipt handed on, a worker), and only when everything
    /// arrived, completion is on and the run was not interrupted. `complete_run_requested`
    /// (the complete-run step itself) completes a joined run whatever the job is.
    fn should_complete(&self) -> bool {
        let r = &self.receipt;
        !self.interrupted
            && self.config.testops.run_complete
            && (self.complete_requested || self.completed_elsewhere.is_none())
            && r.in_fallback == 0
            && r.lost == 0
            && self.local.is_empty()
    }

    /// Why a run all of whose results arrived was left open.
    fn left_open_because(&self) -> Option<&'static str> {
        if self.interrupted {
            Some("the test run was interrupted")
        } else if !self.config.testops.run_complete {
            Some("testops.run.complete is false")
        } else if self.complete_requested {
            None
        } else {
            self.completed_elsewhere
        }
    }

    fn run_opened(&mut self, run_id: u64, created: bool) {
        self.run_id = Some(run_id);
        self.run_created = created;
        self.receipt.run_id = Some(run_id);
        self.receipt.run_created = created;
        self.log(
            LogLevel::Info,
            format!(
                "{} run {run_id}",
                if created { "created" } else { "reporting to" }
            ),
        );
        for (ids, title) in std::mem::take(&mut self.waiting_links) {
            self.print_links(run_id, &ids, &title);
        }
        self.phase = if self.deadline.is_some() {
            self.close_batch();
            Phase::Closing
        } else {
            Phase::Open
        };
    }

    /// The run cannot be created or checked: every result goes to the fallback.
    fn run_failed(&mut self, now: u64, why: &str) {
        self.waiting_links.clear();
        self.log(
            LogLevel::Error,
            format!(
                "could not open the test run ({why}); results are saved to {}",
                self.config.report_path
            ),
        );
        self.phase = Phase::Local;
        self.sink = Sink::Fallback;
        let mut results: Vec<Prepared> = self.ready.drain(..).flat_map(|b| b.results).collect();
        results.append(&mut self.queue);
        results.extend(self.drop_attachment_uploads());
        self.queue_bytes = 0;
        self.write_local(results, Sink::Fallback);
        if self.deadline.is_some() {
            self.wrap_up(now);
        }
    }

    /// One payload result into the current batch (or file batch).
    pub(super) fn enqueue(&mut self, prepared: Prepared) {
        let batch_size = self.config.testops.batch_size.max(1);
        if self.phase == Phase::Local {
            self.queue.push(prepared);
            if self.queue.len() >= batch_size {
                self.flush_local();
            }
            return;
        }
        let size = prepared.json.len() + 1;
        if !self.queue.is_empty()
            && self.queue_bytes + size + ENVELOPE_BYTES > self.config.testops.batch_bytes
        {
            self.close_batch();
        }
        self.queue_bytes += size;
        self.queue.push(prepared);
        if self.queue.len() >= batch_size {
            self.close_batch();
        }
    }

    pub(super) fn close_batch(&mut self) {
        if !self.queue.is_empty() {
            self.ready.push_back(Batch {
                results: std::mem::take(&mut self.queue),
                resent: false,
            });
            self.queue_bytes = 0;
        }
    }

    /// Network work is over: write `run.json` for what went to local files, then finish.
    fn wrap_up(&mut self, now: u64) {
        if !self.local.is_empty() {
            let sink = if self.config.mode == Mode::Report {
                Sink::Report
            } else {
                Sink::Fallback
            };
            let run = run_file(
                &self.local,
                self.started_at,
                now,
                self.config.environment.as_deref(),
            );
            self.write_files(vec![run], sink, 0);
        }
        self.phase = Phase::Finishing;
        if self.files.is_empty() {
            self.finish(now);
        }
    }

    fn finish(&mut self, _now: u64) {
        let left_open_because = self.left_open_because();
        let r = &mut self.receipt;
        let dir = &self.config.report_path;
        let undelivered = r.in_fallback + r.lost;
        let total = r.acknowledged + undelivered;
        let run = self
            .run_id
            .map_or_else(|| "the run".to_owned(), |id| format!("run {id}"));
        let (level, summary) = match self.config.mode {
            Mode::Off => (
                LogLevel::Info,
                format!(
                    "testrelay: mode off; {} results not reported",
                    r.results_seen
                ),
            ),
            Mode::Report => (
                if r.lost == 0 {
                    LogLevel::Info
                } else {
                    LogLevel::Error
                },
                format!(
                    "testrelay: {} results written to {dir} ({} not written)",
                    r.reported, r.lost
                ),
            ),
            Mode::Testops if undelivered == 0 => (
                LogLevel::Info,
                format!(
                    "testrelay: {} results delivered to {run}; {}",
                    r.acknowledged,
                    match (r.completed, left_open_because) {
                        (true, _) => "run completed".to_owned(),
                        (false, Some(why)) => format!("run left open ({why})"),
                        (false, None) => "run left open".to_owned(),
                    }
                ),
            ),
            Mode::Testops => (
                LogLevel::Warn,
                format!(
                    "testrelay: {undelivered} of {total} results were NOT delivered to {run}; {} saved to {dir}{}; run left open",
                    r.in_fallback,
                    if r.lost > 0 {
                        format!(", {} could not be saved", r.lost)
                    } else {
                        String::new()
                    }
                ),
            ),
        };
        if r.in_fallback > 0 {
            r.fallback_dir = Some(dir.clone());
        }
        r.summary = summary.clone();
        let ignored = r.ignored;
        self.phase = Phase::Finished;
        // Said in every mode, just before the summary (which stays the last line).
        if ignored > 0 {
            self.log(
                LogLevel::Info,
                format!("{ignored} result(s) not reported: qase.ignore()"),
            );
        }
        // Mode off: no action but the receipt (which carries the summary).
        if self.config.mode != Mode::Off {
            self.log(level, summary);
        }
    }
}
