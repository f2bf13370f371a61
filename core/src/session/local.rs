//! Results to local files: the report (report mode) or the fallback (results that could not
//! be delivered), in the Qase local report layout (`report.rs`). Each write is one
//! `write_report` / `save_fallback` action; the host answers it with `report_written` or
//! `report_failed`.

use super::attachments::local_copies;
use super::event::{Action, FileEntry, FileWrite};
use super::pipeline::Prepared;
use super::report::{Summary, result_file};
use super::{FileJob, Session, Sink};

impl Session {
    pub(super) fn flush_local(&mut self) {
        let results = std::mem::take(&mut self.queue);
        self.write_local(results, self.sink);
    }

    /// Results to local files (report, or fallback).
    pub(super) fn write_local(&mut self, results: Vec<Prepared>, sink: Sink) {
        if results.is_empty() {
            return;
        }
        let count = results.len() as u64;
        let mut files = Vec::with_capacity(results.len());
        for prepared in results {
            let summary = match prepared.summary {
                Some(summary) => {
                    debug_assert_eq!(summary, Summary::of(&prepared.json));
                    summary
                }
                None => Summary::of(&prepared.json),
            };
            if prepared.attachments.is_empty() {
                files.push(result_file(&summary.id, prepared.json));
            } else {
                let (json, copies) =
                    local_copies(&prepared.json, &summary.id, &prepared.attachments);
                files.push(result_file(&summary.id, json));
                files.extend(copies);
            }
            self.local.push(summary);
        }
        match sink {
            Sink::Report => self.receipt.reported += count,
            Sink::Fallback => self.receipt.in_fallback += count,
        }
        self.write_files(files, sink, count);
    }

    pub(super) fn write_files(&mut self, files: Vec<FileEntry>, sink: Sink, count: u64) {
        self.next_request += 1;
        let write = FileWrite {
            request_id: self.next_request,
            purpose: match sink {
                Sink::Report => "write_report",
                Sink::Fallback => "save_fallback",
            }
            .to_owned(),
            dir: self.config.report_path.clone(),
            files,
        };
        self.files
            .insert(self.next_request, FileJob { count, sink });
        self.out.push_back(Action::WriteFiles(write));
    }
}
