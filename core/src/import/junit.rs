//! JUnit XML reader: Surefire (with `flakyFailure`/`flakyError`/`rerunFailure`/`rerunError`),
//! pytest (xunit1 and xunit2, including its teardown double entries), Playwright's `junit`
//! reporter and jest-junit.
//!
//! One pass of quick-xml events, no tree. Each `<testcase>` becomes one [`TestResult`] per
//! attempt with `outcome.framework = junit-xml` and `outcome.element` set to the deciding
//! element; `classify` turns that into a status (SPEC §2 rule 1). This file walks the XML;
//! `junit/case.rs` turns each finished test case into its results.
//! - Suite path: the names of the enclosing `<testsuite>`s (outermost first), then the
//!   `classname` when it adds something (it is not the innermost suite's name nor the test
//!   name, as jest-junit writes), then Playwright's describe titles (`name="a › b › test"`).
//! - Case ids: `<property name="qase_id" value="1,2"/>` (also `QaseID`, `testops_id`, …) on
//!   the test case; ids written in titles stay in the title for the pipeline to read.
//! - `time` is seconds (Surefire may write `1,234.5`); durations are milliseconds.
//! - Surefire reruns: `flakyFailure`/`flakyError` are failed attempts before the final,
//!   passing one (every attempt gets `fields.flaky = "true"`); `rerunFailure`/`rerunError`
//!   are failed attempts after the first `<failure>`/`<error>`. The `<testcase>`'s `time`
//!   belongs to the attempt its own status describes; a rerun element's `time`, if any, to
//!   its attempt.
//! - pytest writes a test that passed its call but failed in teardown twice (same classname
//!   and name, the second with `<error message="failed on teardown with …">`): the two become
//!   one result whose error is the teardown error with `phase = teardown`. A failed call is
//!   never replaced by a teardown error: that error is then added to `outcome.errors`.
//!   xunit1 also writes the test's `file`, from which the pytest node id is rebuilt.
//! - `[[ATTACHMENT|path]]` lines of a test case's `<system-out>` (Playwright) become
//!   attachments of its result; other output is not kept.
//!
//! DOCTYPE (and so any entity declaration) is rejected: nothing is ever expanded beyond the
//! five predefined entities and character references.

mod case;

use super::{Imported, Limits, line_at};
use crate::error::Error;
use crate::result::{ErrorInfo, JunitElement, Phase, TestResult};
use crate::warning::Warning;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::HashMap;

/// Playwright's junit reporter joins describe titles and the test title with this.
const TITLE_PATH_SEPARATOR: &str = " › ";
/// Separates the parts of a test's identity in the pytest double-entry index.
const KEY_SEPARATOR: char = '\u{1f}';

/// Reads a JUnit XML report with the default [`Limits`].
pub fn import_junit(xml: &str) -> Result<Imported, Error> {
    import_junit_with(xml, &Limits::default())
}

/// Reads a JUnit XML report within `limits`.
pub fn import_junit_with(xml: &str, limits: &Limits) -> Result<Imported, Error> {
    limits.check_size(xml.len())?;
    let text = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let mut reader = Reader::from_str(text);
    let mut state = State::new(text, *limits);
    loop {
        let start = to_usize(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|e| malformed(text, to_usize(reader.error_position()), e))?;
        match event {
            Event::Start(e) => state.open(&e, start)?,
            Event::Empty(e) => {
                state.open(&e, start)?;
                state.close(start)?;
            }
            Event::End(_) => state.close(start)?,
            Event::Text(t) => state.text(&t.xml10_content()),
            Event::CData(t) => state.text(&t.xml10_content()),
            Event::GeneralRef(r) => state.reference(&r, start)?,
            Event::DocType(_) => {
                return Err(malformed(
                    text,
                    start,
                    "DOCTYPE declarations are not accepted (no entity expansion)",
                ));
            }
            Event::Eof => return state.finish(),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

fn to_usize(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

fn malformed(text: &str, offset: usize, detail: impl ToString) -> Error {
    Error::MalformedReport {
        line: line_at(text, offset),
        detail: detail.to_string(),
    }
}

/// What an open element is, as far as the reader cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Testsuites,
    Testsuite,
    Testcase,
    Properties,
    /// A result element (`failure`, `flakyError`, …) of the open test case.
    Outcome,
    /// `<stackTrace>` inside a Surefire rerun element: its text is the stack.
    StackTrace,
    /// The test case's `<system-out>`: Playwright lists attachments there.
    SystemOut,
    Other,
}

/// The result elements of a `<testcase>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Failure,
    Error,
    Skipped,
    FlakyFailure,
    FlakyError,
    RerunFailure,
    RerunError,
}

impl Kind {
    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "failure" => Kind::Failure,
            "error" => Kind::Error,
            "skipped" => Kind::Skipped,
            "flakyFailure" => Kind::FlakyFailure,
            "flakyError" => Kind::FlakyError,
            "rerunFailure" => Kind::RerunFailure,
            "rerunError" => Kind::RerunError,
            _ => return None,
        })
    }

    fn element(self) -> JunitElement {
        match self {
            Kind::Failure | Kind::FlakyFailure | Kind::RerunFailure => JunitElement::Failure,
            Kind::Error | Kind::FlakyError | Kind::RerunError => JunitElement::Error,
            Kind::Skipped => JunitElement::Skipped,
        }
    }
}

/// One result element read in full.
#[derive(Debug)]
struct Found {
    kind: Kind,
    type_name: Option<String>,
    message: Option<String>,
    text: String,
    duration: Option<f64>,
}

impl Found {
    fn error_info(&self) -> ErrorInfo {
        let stack = self.text.trim();
        let message = self.message.clone().or_else(|| {
            stack
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned)
        });
        ErrorInfo {
            type_name: self.type_name.clone(),
            message,
            stack: (!stack.is_empty()).then(|| stack.to_owned()),
            ..ErrorInfo::default()
        }
    }

    /// pytest names the phase of an error in its message: "failed on setup with …".
    fn pytest_phase(&self) -> Phase {
        match self.message.as_deref() {
            Some(m) if m.starts_with("failed on setup") => Phase::Setup,
            Some(m) if m.starts_with("failed on teardown") => Phase::Teardown,
            _ => Phase::Call,
        }
    }
}

/// The `<testcase>` being read.
#[derive(Debug, Default)]
struct Case {
    name: String,
    classname: String,
    /// pytest xunit1's `file` attribute (`tests/test_shop.py`).
    file: Option<String>,
    line: u64,
    duration: Option<f64>,
    ids: Vec<i64>,
    found: Vec<Found>,
    system_out: String,
}

#[derive(Debug)]
struct State<'a> {
    text: &'a str,
    limits: Limits,
    stack: Vec<Node>,
    suites: Vec<String>,
    case: Option<Case>,
    pending: Option<Found>,
    results: Vec<TestResult>,
    warnings: Vec<Warning>,
    /// suite + classname + name → index of the result, for pytest's double entries.
    seen: HashMap<String, usize>,
    saw_root: bool,
    /// Byte offset and line of the last position whose line was computed.
    cursor: (usize, u64),
}

impl<'a> State<'a> {
    fn new(text: &'a str, limits: Limits) -> Self {
        State {
            text,
            limits,
            stack: Vec::new(),
            suites: Vec::new(),
            case: None,
            pending: None,
            results: Vec::new(),
            warnings: Vec::new(),
            seen: HashMap::new(),
            saw_root: false,
            cursor: (0, 1),
        }
    }

    /// The 1-based line of `offset`; offsets arrive in increasing order, so counting is
    /// linear over the whole report.
    fn line(&mut self, offset: usize) -> u64 {
        let (from, line) = self.cursor;
        let offset = offset.min(self.text.len());
        if offset < from {
            return line_at(self.text, offset);
        }
        let newlines = self.text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.cursor = (offset, line + newlines);
        line + newlines
    }

    fn attributes(
        &self,
        e: &BytesStart<'_>,
        offset: usize,
    ) -> Result<Vec<(String, String)>, Error> {
        e.attributes()
            .map(|attr| {
                let attr = attr.map_err(|err| malformed(self.text, offset, err))?;
                let value = attr
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|err| malformed(self.text, offset, err))?;
                let key = attr.key.local_name().as_ref().to_owned();
                Ok((key, value.into_owned()))
            })
            .collect()
    }

    fn open(&mut self, e: &BytesStart<'_>, offset: usize) -> Result<(), Error> {
        let line = self.line(offset);
        self.limits.check_depth(self.stack.len() + 1, line)?;
        let local = e.local_name();
        let name = local.as_ref();
        let parent = self.stack.last().copied();
        let node = match (parent, name) {
            (None, "testsuites") => Node::Testsuites,
            (None, "testsuite") | (Some(Node::Testsuites | Node::Testsuite), "testsuite") => {
                let attrs = self.attributes(e, offset)?;
                self.suites
                    .push(attr(&attrs, "name").unwrap_or_default().to_owned());
                Node::Testsuite
            }
            (None, _) => {
                return Err(Error::MalformedReport {
                    line,
                    detail: format!(
                        "not a JUnit report: the root element is <{}>, expected <testsuites> or <testsuite>",
                        name
                    ),
                });
            }
            (Some(Node::Testsuites | Node::Testsuite), "testcase") => {
                let attrs = self.attributes(e, offset)?;
                self.case = Some(self.new_case(&attrs, line));
                Node::Testcase
            }
            (Some(Node::Testcase), "properties") => Node::Properties,
            (Some(Node::Testcase), "system-out") => Node::SystemOut,
            (Some(Node::Properties), "property") if self.case.is_some() => {
                let attrs = self.attributes(e, offset)?;
                self.property(&attrs, line);
                Node::Other
            }
            (Some(Node::Testcase), _) => match Kind::from_name(name) {
                Some(kind) => {
                    let attrs = self.attributes(e, offset)?;
                    let duration = self.duration(&attrs, line);
                    self.pending = Some(Found {
                        kind,
                        type_name: attr(&attrs, "type").map(str::to_owned),
                        message: attr(&attrs, "message").map(str::to_owned),
                        text: String::new(),
                        duration,
                    });
                    Node::Outcome
                }
                None => Node::Other,
            },
            (Some(Node::Outcome), "stackTrace") => Node::StackTrace,
            _ => Node::Other,
        };
        self.saw_root = true;
        self.stack.push(node);
        Ok(())
    }

    fn close(&mut self, offset: usize) -> Result<(), Error> {
        let Some(node) = self.stack.pop() else {
            return Err(malformed(
                self.text,
                offset,
                "closing tag without an open element",
            ));
        };
        match node {
            Node::Testsuite => {
                self.suites.pop();
            }
            Node::Outcome => {
                if let (Some(case), Some(found)) = (self.case.as_mut(), self.pending.take()) {
                    case.found.push(found);
                }
            }
            Node::Testcase => {
                if let Some(case) = self.case.take() {
                    self.finish_case(case)?;
                }
            }
            Node::Testsuites
            | Node::Properties
            | Node::StackTrace
            | Node::SystemOut
            | Node::Other => {}
        }
        Ok(())
    }

    fn text(&mut self, content: &str) {
        match self.stack.last() {
            Some(Node::Outcome | Node::StackTrace) => {
                if let Some(found) = self.pending.as_mut() {
                    found.text.push_str(content);
                }
            }
            Some(Node::SystemOut) => {
                if let Some(case) = self.case.as_mut() {
                    case.system_out.push_str(content);
                }
            }
            _ => {}
        }
    }

    fn reference(&mut self, r: &BytesRef<'_>, offset: usize) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        let resolved: &str = match r.resolve_char_ref() {
            Ok(Some(c)) => c.encode_utf8(&mut buf),
            Ok(None) => quick_xml::escape::resolve_predefined_entity(r).ok_or_else(|| {
                malformed(
                    self.text,
                    offset,
                    format!(
                        "unknown entity &{}; (only the five predefined entities are read)",
                        &**r
                    ),
                )
            })?,
            Err(e) => return Err(malformed(self.text, offset, e)),
        };
        self.text(resolved);
        Ok(())
    }

    fn finish(mut self) -> Result<Imported, Error> {
        if let Some(open) = self.stack.last() {
            let end = self.text.len();
            return Err(malformed(
                self.text,
                end,
                format!(
                    "the report ends inside an open <{}> element",
                    node_name(*open)
                ),
            ));
        }
        if !self.saw_root {
            let end = self.text.len();
            return Err(malformed(
                self.text,
                end,
                "not a JUnit report: no <testsuites> or <testsuite> element",
            ));
        }
        self.warnings.shrink_to_fit();
        Ok((self.results, self.warnings))
    }
}

fn attr<'s>(attrs: &'s [(String, String)], name: &str) -> Option<&'s str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn node_name(node: Node) -> &'static str {
    match node {
        Node::Testsuites => "testsuites",
        Node::Testsuite => "testsuite",
        Node::Testcase => "testcase",
        Node::Properties => "properties",
        Node::Outcome => "failure/error/skipped",
        Node::StackTrace => "stackTrace",
        Node::SystemOut => "system-out",
        Node::Other => "…",
    }
}
