//! What the server received: runs, their results (unique by result id) and the request log.
//! `GET /__control/state` serializes this as it is.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::faults::Endpoint;

/// One created run and everything uploaded into it.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub id: u64,
    pub project: String,
    pub title: String,
    /// The create-run request body as received.
    pub body: Value,
    pub completed: bool,
    pub complete_calls: u64,
    /// Unique results in order of first arrival.
    pub results: Vec<StoredResult>,
    /// Results received again with an id already stored (not stored twice).
    pub duplicates: u64,
    /// Of those, the ones whose payload differed from the stored one.
    pub conflicting_duplicates: u64,
    /// Upload requests accepted into this run.
    pub uploads: u64,
    /// Upload requests refused because the run was already completed.
    pub uploads_after_complete: u64,
    /// Attachment hashes in stored results that no attachment upload returned.
    pub unknown_attachments: u64,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// A configuration group and its values, as the v1 `ConfigurationGroup` model.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigurationGroup {
    pub id: u64,
    pub title: String,
    pub configurations: Vec<Configuration>,
}

/// A configuration value, as the v1 `ConfigurationModel`.
#[derive(Debug, Clone, Serialize)]
pub struct Configuration {
    pub id: u64,
    pub title: String,
}

/// One uploaded attachment (its bytes are not kept).
#[derive(Debug, Clone, Serialize)]
pub struct StoredAttachment {
    pub hash: String,
    pub filename: String,
    pub mime: String,
    pub size: usize,
}

/// One stored result with its payload as received.
#[derive(Debug, Clone, Serialize)]
pub struct StoredResult {
    pub id: Option<String>,
    /// `seq` of the upload request that brought it.
    pub request: u64,
    pub payload: Value,
}

/// One API request as answered.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    /// 1-based position among all API requests since start or reset.
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// `null` for a path the API does not know.
    pub endpoint: Option<Endpoint>,
    /// 1-based number among the requests of this endpoint since faults were installed.
    pub n: Option<u64>,
    /// The client named by the token (`default` for `--token`); `null` without a valid one.
    pub client: Option<String>,
    /// 1-based number among this client's requests of this endpoint (its own faults).
    pub client_n: Option<u64>,
    /// Whether the request carried a `Token` header at all, right or wrong (never its value):
    /// a server that is a redirect's target shows whether a token reached it.
    pub token: bool,
    /// `null` when no answer was sent: the connection was dropped, or hangs.
    pub status: Option<u16>,
    pub faults: Vec<&'static str>,
    pub delay_ms: Option<u64>,
    /// For uploads with a valid body: the number of results in it.
    pub results: Option<usize>,
}

/// Outcome of storing an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub stored: usize,
    pub duplicates: usize,
}

/// Everything received. Run ids keep counting across resets so a stale id never names a
/// new run.
#[derive(Debug, Default, Clone)]
pub struct Store {
    last_run_id: u64,
    runs: BTreeMap<u64, Run>,
    /// Configuration groups per project code.
    pub configurations: BTreeMap<String, Vec<ConfigurationGroup>>,
    /// The last id given to a configuration group or value (one counter for both).
    pub last_configuration_id: u64,
    /// Uploaded attachments, in order of arrival.
    pub attachments: Vec<StoredAttachment>,
    requests: Vec<RequestRecord>,
}

impl Store {
    /// Forgets everything received (not the run id counter).
    pub fn reset(&mut self) {
        self.runs.clear();
        self.configurations.clear();
        self.attachments.clear();
        self.requests.clear();
    }

    /// Creates a run and returns its id.
    pub fn create_run(&mut self, project: &str, title: &str, body: Value) -> u64 {
        self.last_run_id += 1;
        let id = self.last_run_id;
        self.runs.insert(
            id,
            Run {
                id,
                project: project.to_owned(),
                title: title.to_owned(),
                body,
                completed: false,
                complete_calls: 0,
                results: Vec::new(),
                duplicates: 0,
                conflicting_duplicates: 0,
                uploads: 0,
                uploads_after_complete: 0,
                unknown_attachments: 0,
                index: HashMap::new(),
            },
        );
        id
    }

    /// The run with this id in this project.
    pub fn run(&self, project: &str, id: u64) -> Option<&Run> {
        self.runs.get(&id).filter(|r| r.project == project)
    }

    /// The run with this id in this project, mutable.
    pub fn run_mut(&mut self, project: &str, id: u64) -> Option<&mut Run> {
        self.runs.get_mut(&id).filter(|r| r.project == project)
    }

    /// Number of runs of a project, and how many of them are still open.
    pub fn run_counts(&self, project: &str) -> (usize, usize) {
        let runs = self.runs.values().filter(|r| r.project == project);
        let (mut total, mut open) = (0, 0);
        for run in runs {
            total += 1;
            open += usize::from(!run.completed);
        }
        (total, open)
    }

    /// Appends a request to the log and returns its `seq`.
    pub fn log_request(&mut self, mut record: RequestRecord) -> u64 {
        record.seq = self.requests.len() as u64 + 1;
        let seq = record.seq;
        self.requests.push(record);
        seq
    }

    /// The logged request with this `seq`, to fill in its answer.
    pub fn request_mut(&mut self, seq: u64) -> Option<&mut RequestRecord> {
        let index = usize::try_from(seq).ok()?.checked_sub(1)?;
        self.requests.get_mut(index)
    }

    /// The last logged request.
    pub fn last_request(&self) -> Option<&RequestRecord> {
        self.requests.last()
    }

    /// Everything recorded, as `GET /__control/state` shows it.
    pub fn snapshot(&self) -> Value {
        let runs: Vec<&Run> = self.runs.values().collect();
        let results: usize = runs.iter().map(|r| r.results.len()).sum();
        let duplicates: u64 = runs.iter().map(|r| r.duplicates).sum();
        serde_json::json!({
            "runs": runs,
            "configurations": self.configurations,
            "attachments": self.attachments,
            "requests": self.requests,
            "totals": {
                "runs": runs.len(),
                "requests": self.requests.len(),
                "results": results,
                "duplicates": duplicates,
                "complete_calls": runs.iter().map(|r| r.complete_calls).sum::<u64>(),
            },
        })
    }
}

impl Run {
    /// Stores the results whose id was not seen in this run before; results without an id
    /// cannot be recognised again and are always stored.
    pub fn store_results(&mut self, request: u64, results: Vec<Value>) -> Stored {
        self.uploads += 1;
        let mut outcome = Stored {
            stored: 0,
            duplicates: 0,
        };
        for payload in results {
            let id = payload.get("id").and_then(Value::as_str).map(str::to_owned);
            if let Some(known) = id.as_ref().and_then(|id| self.index.get(id)) {
                self.duplicates += 1;
                outcome.duplicates += 1;
                if self.results[*known].payload != payload {
                    self.conflicting_duplicates += 1;
                }
                continue;
            }
            if let Some(id) = &id {
                self.index.insert(id.clone(), self.results.len());
            }
            self.results.push(StoredResult {
                id,
                request,
                payload,
            });
            outcome.stored += 1;
        }
        outcome
    }

    /// Counts per status of the stored results, for the run's `stats`.
    pub fn status_counts(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for result in &self.results {
            let status = result
                .payload
                .pointer("/execution/status")
                .and_then(Value::as_str)
                .unwrap_or("invalid");
            *counts.entry(status.to_owned()).or_insert(0) += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_result_id_is_stored_once_and_conflicts_are_counted() {
        let mut store = Store::default();
        let id = store.create_run("DEMO", "t", json!({}));
        let run = store.run_mut("DEMO", id).unwrap();
        let a = json!({"id": "a", "title": "A", "execution": {"status": "passed"}});
        let a2 = json!({"id": "a", "title": "A2", "execution": {"status": "passed"}});
        let anon = json!({"title": "B", "execution": {"status": "failed"}});
        let first = run.store_results(1, vec![a.clone(), anon.clone()]);
        let second = run.store_results(2, vec![a, a2, anon]);
        assert_eq!(
            first,
            Stored {
                stored: 2,
                duplicates: 0
            }
        );
        assert_eq!(
            second,
            Stored {
                stored: 1,
                duplicates: 2
            }
        );
        assert_eq!(run.results.len(), 3);
        assert_eq!(run.duplicates, 2);
        assert_eq!(run.conflicting_duplicates, 1);
        assert!(store.run("OTHER", id).is_none());
    }

    #[test]
    fn run_ids_keep_counting_after_reset() {
        let mut store = Store::default();
        let first = store.create_run("DEMO", "t", json!({}));
        store.reset();
        let second = store.create_run("DEMO", "t", json!({}));
        assert!(store.run("DEMO", first).is_none());
        assert_eq!(second, first + 1);
    }
}
