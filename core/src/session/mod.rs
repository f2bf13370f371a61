//! The run session (SPEC §5): the whole reporter lifecycle as a sans-IO state machine.
//!
//! # Theory of operation
//!
//! The host feeds facts in ([`Event`]: a test finished, an HTTP response arrived, a file was
//! written, all tests are done) and drains commands out ([`Action`]: create the run, upload
//! a batch, complete the run, write files, print a line). The session never does IO, never
//! reads a clock and never waits: time is the `now` (ms since the Unix epoch) the host
//! passes first, and request ids are counters.
//!
//! - Start: a configured run id is checked (`check_run`: it exists and is not completed),
//!   otherwise a run is created (`create_run`). Results that arrive meanwhile queue up. A
//!   run that cannot be opened (refused, unreachable, already completed) sends every result
//!   to the fallback report, with one error line naming the reason. Before create-run,
//!   configuration values are looked up by name (and created when asked), one request at a
//!   time (`configurations.rs`); a failed lookup only leaves values out of the run.
//! - Attachments: a result with attachments is held while they upload (`upload_attachment`;
//!   `attachments.rs`), then joins the queue with their hashes; a failed attachment is left
//!   out with a warning, never the result. Local reports get copies instead.
//! - Results: case ids → classify → map → filter → payload, one payload result per case id
//!   with a deterministic UUID-shaped idempotency id (from the host's `instance` and a
//!   counter). A batch leaves at the batch size or the byte budget; at most
//!   `testops.uploads_in_flight` uploads are in flight; adding results never waits.
//! - Answers: 2xx acknowledges; no response, 408, 429 (`Retry-After` seconds), 500, 502,
//!   503, 504 retry with capped exponential backoff; 413 splits the batch in two; any other
//!   status, or the retry budget spent, sends those results to the fallback report.
//! - End (`all_tests_done`): flush, wait for uploads until `now + upload_deadline_ms`, then
//!   complete the run only if completion is enabled, every result was acknowledged, the run
//!   was not interrupted, and this job is the one that completes it: it created the run or was
//!   given it by id, and is no shard of several, hands no receipt on and is no worker — or it
//!   was told to (`complete_run_requested`, the `complete-run` step).
//!   Anything not delivered by the deadline is saved to the fallback. A `finished` action
//!   with the [`Receipt`] ends every session.
//!
//! Every state change is in `state.rs`, one `match (phase, event)`.
//!
//! # Host loop
//!
//! ```
//! use testrelay::session::{Action, Event, Session, SessionOptions};
//! use testrelay::{Config, TestResult};
//!
//! let config = Config::default(); // report mode: results go to the local report
//! let options = SessionOptions::new("worker-1");
//! let mut session = Session::new(config, options, 1_000).unwrap();
//! session.add_results(1_010, vec![TestResult { title: "works".into(), ..Default::default() }]).unwrap();
//! session.handle(1_020, Event::AllTestsDone {}).unwrap();
//! let mut now = 1_020;
//! let receipt = loop {
//!     match session.poll(now) {
//!         Action::WriteFiles(w) => {
//!             // write w.files under w.dir, then:
//!             session.handle(now, Event::ReportWritten { request_id: w.request_id }).unwrap();
//!         }
//!         Action::Log { .. } => {} // print it
//!         Action::Wait { until } => now = until.unwrap_or(now + 1), // or wait for an event
//!         Action::Finished { receipt } => break receipt,
//!         other => unreachable!("report mode sends no HTTP: {other:?}"),
//!     }
//! };
//! assert_eq!(receipt.reported, 1);
//! assert_eq!(receipt.lost, 0);
//! ```

mod answers;
mod attachments;
mod by_id;
mod configurations;
mod event;
mod json;
mod local;
mod payload;
mod pipeline;
mod receipt;
mod report;
mod requests;
mod result_body;
pub mod retry;
mod state;

pub use event::{
    Action, Event, FileEntry, FileWrite, HttpRequest, LogLevel, MultipartUpload, TOKEN_PLACEHOLDER,
};
use payload::ResultIds;
pub use payload::{api_time, iso8601, result_uuid};
pub use receipt::Receipt;

use crate::config::{Config, Mode};
use crate::error::Error;
use crate::result::TestResult;
use crate::warning::Warning;
use by_id::ById;
use pipeline::{Prepared, Scratch};
use report::Summary;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

/// What the host tells the session about itself: facts, from which the session decides which
/// run it completes (SPEC §5).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct SessionOptions {
    /// A unique id of this host process (e.g. a UUID the host made). Idempotency ids are
    /// derived from it, so shards and workers sharing a run MUST pass different values.
    pub instance: String,
    /// The runner's shard, when the run is split (`--shard i/N`).
    pub shard: Option<crate::host::Shard>,
    /// True when the host writes the job's receipt for the `complete-run` step
    /// (`$TESTRELAY_RECEIPTS_DIR` is set).
    pub receipts: bool,
    /// True for a worker of a runner whose controller completes the run (pytest-xdist).
    pub worker: bool,
}

impl SessionOptions {
    /// The options of a host process with nothing to say but its id.
    pub fn new(instance: impl Into<String>) -> SessionOptions {
        SessionOptions {
            instance: instance.into(),
            ..SessionOptions::default()
        }
    }

    /// Why this job leaves the completion to another step, if it does: one shard of several,
    /// a job that hands its receipt on, or a worker.
    fn completed_elsewhere(&self) -> Option<&'static str> {
        if self.shard.is_some_and(|s| s.total > 1) {
            Some("one shard of several: the complete-run step completes the run")
        } else if self.receipts {
            Some("the job's receipt goes to the complete-run step, which completes the run")
        } else if self.worker {
            Some("a worker: the run is completed by its controller")
        } else {
            None
        }
    }
}

/// Where the session is in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Mode `off`: nothing is sent or written.
    Off,
    /// Creating or checking the run.
    Opening,
    /// The run is known; uploading.
    Open,
    /// Results go to local files (report mode, or the run could not be opened).
    Local,
    /// All tests done; waiting for uploads.
    Closing,
    /// `complete_run` in flight.
    Completing,
    /// Waiting for the last file writes.
    Finishing,
    /// Over.
    Finished,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Off => "off",
            Phase::Opening => "opening",
            Phase::Open => "open",
            Phase::Local => "local",
            Phase::Closing => "closing",
            Phase::Completing => "completing",
            Phase::Finishing => "finishing",
            Phase::Finished => "finished",
        }
    }
}

/// Which local folder role a write has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sink {
    /// Report mode: the report itself.
    Report,
    /// Results that could not be delivered.
    Fallback,
}

#[derive(Debug)]
pub(crate) struct Batch {
    results: Vec<Prepared>,
    /// True once these results were sent (a retry or a 413 half).
    resent: bool,
}

#[derive(Debug)]
pub(crate) enum Request {
    CreateRun(String),
    CheckRun,
    ListConfigurations,
    /// A configuration group, by title.
    CreateConfigurationGroup(String),
    /// A configuration value: title, group id.
    CreateConfiguration(String, u64),
    /// Attachment `index` of the held results `held`.
    UploadAttachment {
        held: u64,
        index: usize,
    },
    Upload(Batch),
    Complete,
}

impl Request {
    /// What the request is for: the `purpose` of its action, and the name in the message of
    /// the bug "answered in the wrong phase" (not its `Debug` text: that would keep every
    /// `Debug` of a batch's results in the WASM module).
    fn kind(&self) -> &'static str {
        match self {
            Request::CreateRun(_) => "create_run",
            Request::CheckRun => "check_run",
            Request::ListConfigurations => "get_configurations",
            Request::CreateConfigurationGroup(_) => "create_configuration_group",
            Request::CreateConfiguration(..) => "create_configuration",
            Request::UploadAttachment { .. } => "upload_attachment",
            Request::Upload(_) => "upload_results",
            Request::Complete => "complete_run",
        }
    }
}

#[derive(Debug)]
pub(crate) struct Pending {
    request: Request,
    /// Sends so far.
    tries: u32,
    /// When it was first sent: the retry budget counts from here.
    first_sent: u64,
    /// While in flight, when the session gives up waiting for its answer.
    expires: u64,
    /// Where a same-origin redirect sent it; later tries go there too.
    redirected_to: Option<String>,
}

impl Pending {
    fn new(request: Request) -> Pending {
        Pending {
            request,
            tries: 0,
            first_sent: 0,
            expires: 0,
            redirected_to: None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct FileJob {
    count: u64,
    sink: Sink,
}

/// The run session. See the module docs for the theory of operation and the host loop.
#[derive(Debug)]
pub struct Session {
    config: Config,
    result_ids: ResultIds,
    phase: Phase,
    sink: Sink,
    started_at: u64,
    /// Why this job leaves the run's completion to another step, when it does.
    completed_elsewhere: Option<&'static str>,
    /// The latest `now` a call passed in: when a request goes out.
    now: u64,
    deadline: Option<u64>,
    /// The runner said the test run was interrupted: the run is never completed.
    interrupted: bool,
    /// A redirect to another origin was refused (said once).
    warned_redirect: bool,
    complete_requested: bool,
    next_request: u64,
    next_result: u64,
    run_id: Option<u64>,
    run_created: bool,
    /// Configuration values being looked up before create-run.
    lookup: Option<configurations::Lookup>,
    queue: Vec<Prepared>,
    /// Buffers reused by every result (no allocation per test).
    scratch: Scratch,
    queue_bytes: usize,
    /// Results waiting for their attachments' hashes, by a counter.
    held: ById<attachments::Held>,
    next_held: u64,
    /// Attachment uploads not sent yet: (held, index).
    attachment_queue: VecDeque<(u64, usize)>,
    ready: VecDeque<Batch>,
    in_flight: ById<Pending>,
    scheduled: Vec<(u64, Pending)>,
    /// File writes in flight and request ids given up on. Hashed, not ordered: neither is
    /// ever iterated, and `FxHashSet<u64>` is `failed_attempts`' type already (one
    /// instantiation less of the B-tree code each in the WASM page module).
    /// Fx, not std's `RandomState`: the core takes no randomness. The keys are the session's
    /// own request counters here, and in `failed_attempts` a fixed-key hash of a signature.
    files: FxHashMap<u64, FileJob>,
    abandoned: FxHashSet<u64>,
    local: Vec<Summary>,
    waiting_links: Vec<(Vec<u64>, String)>,
    failed_attempts: FxHashSet<u64>,
    /// Warnings of reading results' runner facts already said (a fixed-key hash of the line):
    /// each is said once, however many tests repeat it.
    said: FxHashSet<u64>,
    out: VecDeque<Action>,
    receipt: Receipt,
}

impl Session {
    /// A session for a resolved configuration. Errors (`INVALID_INPUT`) when `instance` is
    /// empty, or mode is testops without a token or a project.
    pub fn new(config: Config, options: SessionOptions, now: u64) -> Result<Session, Error> {
        Session::with_warnings(config, Vec::new(), options, now)
    }

    /// [`Session::new`] with the warnings of configuration resolution: each comes out once
    /// as a `log` action (level `warn`, or `info` for notes) before anything else.
    pub fn with_warnings(
        config: Config,
        warnings: Vec<Warning>,
        options: SessionOptions,
        now: u64,
    ) -> Result<Session, Error> {
        if options.instance.trim().is_empty() {
            return Err(Error::invalid("instance", "must be a non-empty unique id"));
        }
        if config.mode == Mode::Testops {
            if config.testops.api_token.is_none() {
                return Err(Error::invalid(
                    "testops.api.token",
                    "required when mode is testops",
                ));
            }
            if config.testops.project.is_none() {
                return Err(Error::invalid(
                    "testops.project",
                    "required when mode is testops",
                ));
            }
        }
        let mut session = Session {
            result_ids: ResultIds::new(&options.instance),
            phase: Phase::Off,
            sink: Sink::Report,
            started_at: now,
            completed_elsewhere: options.completed_elsewhere(),
            now,
            deadline: None,
            interrupted: false,
            warned_redirect: false,
            complete_requested: false,
            next_request: 0,
            next_result: 0,
            run_id: config.testops.run_id,
            run_created: false,
            lookup: None,
            queue: Vec::new(),
            scratch: Scratch::default(),
            queue_bytes: 0,
            held: ById::default(),
            next_held: 0,
            attachment_queue: VecDeque::new(),
            ready: VecDeque::new(),
            in_flight: ById::default(),
            scheduled: Vec::new(),
            files: FxHashMap::default(),
            abandoned: FxHashSet::default(),
            local: Vec::new(),
            waiting_links: Vec::new(),
            failed_attempts: FxHashSet::default(),
            said: FxHashSet::default(),
            out: VecDeque::new(),
            receipt: Receipt {
                mode: config.mode,
                ..Receipt::default()
            },
            config,
        };
        for warning in warnings {
            let level = if warning.is_warning() {
                LogLevel::Warn
            } else {
                LogLevel::Info
            };
            // Most messages name their key already; the others get it in front.
            let line = if warning.message.starts_with(warning.key.as_str()) {
                warning.message
            } else {
                format!("{}: {}", warning.key, warning.message)
            };
            session.log(level, line);
        }
        session.start(now);
        Ok(session)
    }

    /// Feeds one fact in. A call the current phase does not allow (`WRONG_STATE`) or an
    /// unknown request id (`UNKNOWN_REQUEST`) is an error and changes nothing.
    pub fn handle(&mut self, now: u64, event: Event) -> Result<(), Error> {
        self.tick(now);
        self.transition(now, event)?;
        self.advance(now);
        Ok(())
    }

    /// Many `test_finished` events in one call (one crossing per batch for bindings).
    /// All or nothing: refused as a whole (`WRONG_STATE`) when results are not accepted.
    pub fn add_results(&mut self, now: u64, results: Vec<TestResult>) -> Result<(), Error> {
        self.check_accepts_results("add_results")?;
        self.tick(now);
        // The same as one `test_finished` per result, without boxing each one.
        for result in &results {
            self.accept(result);
        }
        self.advance(now);
        Ok(())
    }

    /// `test_finished`.
    pub fn handle_test_finished(&mut self, now: u64, result: TestResult) -> Result<(), Error> {
        self.handle(
            now,
            Event::TestFinished {
                result: Box::new(result),
            },
        )
    }

    /// `http_response`.
    pub fn handle_http_response(
        &mut self,
        now: u64,
        request_id: u64,
        status: u16,
        body: String,
        retry_after: Option<String>,
    ) -> Result<(), Error> {
        self.handle(
            now,
            Event::HttpResponse {
                request_id,
                status,
                body,
                retry_after,
                location: None,
            },
        )
    }

    /// `http_failed`.
    pub fn handle_http_failed(
        &mut self,
        now: u64,
        request_id: u64,
        message: String,
    ) -> Result<(), Error> {
        self.handle(
            now,
            Event::HttpFailed {
                request_id,
                message,
            },
        )
    }

    /// `report_written`.
    pub fn handle_report_written(&mut self, now: u64, request_id: u64) -> Result<(), Error> {
        self.handle(now, Event::ReportWritten { request_id })
    }

    /// `report_failed`.
    pub fn handle_report_failed(
        &mut self,
        now: u64,
        request_id: u64,
        message: String,
    ) -> Result<(), Error> {
        self.handle(
            now,
            Event::ReportFailed {
                request_id,
                message,
            },
        )
    }

    /// `complete_run_requested`: complete the run at the end even if this session joined it.
    pub fn handle_complete_run_requested(&mut self, now: u64) -> Result<(), Error> {
        self.handle(now, Event::CompleteRunRequested {})
    }

    /// `all_tests_done`.
    pub fn handle_all_tests_done(&mut self, now: u64) -> Result<(), Error> {
        self.handle(now, Event::AllTestsDone {})
    }

    /// The next action. The host MUST call it after every `handle*`/`add_results` until it
    /// answers `wait` or `finished`, and again once `wait.until` has passed.
    pub fn poll(&mut self, now: u64) -> Action {
        self.tick(now);
        self.advance(now);
        if let Some(action) = self.out.pop_front() {
            return action;
        }
        if self.phase == Phase::Finished {
            return Action::Finished {
                receipt: self.receipt.clone(),
            };
        }
        Action::Wait {
            until: self.next_timer(),
        }
    }

    /// The run id, once known (configured, or created). Hosts export it so that parallel
    /// workers join the same run.
    pub fn run_id(&self) -> Option<u64> {
        self.run_id
    }

    /// The API token, for the `Token` header only. Hosts MUST NOT log it.
    pub fn token(&self) -> Option<&str> {
        self.config.testops.api_token.as_ref().map(|t| t.expose())
    }

    /// True once the session has finished.
    pub fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }

    /// A host clock may step back (NTP); the session's time never does.
    fn tick(&mut self, now: u64) {
        self.now = self.now.max(now);
    }

    fn log(&mut self, level: LogLevel, message: String) {
        self.out.push_back(Action::Log { level, message });
    }
}
