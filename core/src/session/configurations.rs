//! Configuration values by name (SPEC §4, §5), as the official reporters resolve them: the
//! groups of the project are listed (`GET /v1/configuration/{code}`), each picked
//! `group = value` is looked up by title, and with `createIfNotExists` a missing group
//! (`POST /v1/configuration/{code}/group` `{title}`) or value (`POST /v1/configuration/{code}`
//! `{title, group_id}`) is created; the ids go into create-run. Paths and bodies are those of
//! the official `qase-api-client` (`ConfigurationsApi`, `ConfigurationGroupCreate`,
//! `ConfigurationCreate`, `ConfigurationListResponse`).
//!
//! Pure bookkeeping: the session sends the requests this asks for, one at a time, and feeds
//! the answers back. Nothing here can lose a result: a value that cannot be resolved is left
//! out of the run with a warning.

use crate::config::ConfigurationValue;
use serde::Deserialize;

/// One configuration group as listed, with its values `(id, title)`.
#[derive(Debug, Default, Deserialize)]
struct Group {
    #[serde(default)]
    id: u64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    configurations: Vec<Value>,
}

/// One configuration value as listed.
#[derive(Debug, Default, Deserialize)]
struct Value {
    #[serde(default)]
    id: u64,
    #[serde(default)]
    title: String,
}

#[derive(Deserialize)]
struct ListResponse {
    result: ListResult,
}

#[derive(Deserialize)]
struct ListResult {
    #[serde(default)]
    entities: Vec<Group>,
}

/// The next request the lookup needs, or the end.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Create the group with this title.
    CreateGroup(String),
    /// Create the value `title` in the group `group_id`.
    CreateValue {
        /// The value's title.
        title: String,
        /// Its group.
        group_id: u64,
    },
    /// Every picked value was resolved or skipped: these ids go into create-run.
    Done(Vec<u64>),
}

/// Where the lookup of the picked values stands.
#[derive(Debug)]
pub(crate) struct Lookup {
    wanted: Vec<ConfigurationValue>,
    cursor: usize,
    create: bool,
    groups: Vec<Group>,
    /// Groups whose creation failed: their values are skipped.
    failed_groups: Vec<String>,
    ids: Vec<u64>,
}

impl Lookup {
    /// A lookup of `wanted` over the body of a `GET /v1/configuration/{code}` answer; `None`
    /// when the body cannot be read.
    pub(crate) fn new(wanted: &[ConfigurationValue], create: bool, body: &str) -> Option<Lookup> {
        let listed: ListResponse = crate::json::from_str(body).ok()?;
        Some(Lookup {
            wanted: wanted.to_vec(),
            cursor: 0,
            create,
            groups: listed.result.entities,
            failed_groups: Vec::new(),
            ids: Vec::new(),
        })
    }

    /// What to do next; `warnings` gets one line per value left out.
    pub(crate) fn next(&mut self, warnings: &mut Vec<String>) -> Next {
        while let Some(pick) = self.wanted.get(self.cursor) {
            let group = self.groups.iter().find(|g| g.title == pick.name);
            let found = group.and_then(|g| g.configurations.iter().find(|v| v.title == pick.value));
            match (group, found) {
                (_, Some(value)) => {
                    let id = value.id;
                    self.resolved(id);
                }
                _ if self.failed_groups.contains(&pick.name) => {
                    warnings.push(skipped(pick, "its group could not be created"));
                    self.cursor += 1;
                }
                (None, None) if self.create => return Next::CreateGroup(pick.name.clone()),
                (Some(group), None) if self.create => {
                    return Next::CreateValue {
                        title: pick.value.clone(),
                        group_id: group.id,
                    };
                }
                (group, None) => {
                    // A number not found by name is read as a configuration id (the
                    // behaviour before names were looked up).
                    match pick.value.parse::<u64>().ok().filter(|&id| id > 0) {
                        Some(id) => self.resolved(id),
                        None => {
                            let why = if group.is_some() {
                                "no such value in the project and createIfNotExists is off"
                            } else {
                                "no such group in the project and createIfNotExists is off"
                            };
                            warnings.push(skipped(pick, why));
                            self.cursor += 1;
                        }
                    }
                }
            }
        }
        Next::Done(std::mem::take(&mut self.ids))
    }

    /// The answer to [`Next::CreateGroup`]: the new group's id, or `None` when it failed.
    pub(crate) fn group_created(&mut self, title: &str, id: Option<u64>) {
        match id {
            Some(id) => self.groups.push(Group {
                id,
                title: title.to_owned(),
                configurations: Vec::new(),
            }),
            None => self.failed_groups.push(title.to_owned()),
        }
    }

    /// The answer to [`Next::CreateValue`]: the new value's id, or `None` when it failed
    /// (`warnings` then names it).
    pub(crate) fn value_created(&mut self, id: Option<u64>, warnings: &mut Vec<String>) {
        let Some(pick) = self.wanted.get(self.cursor) else {
            return;
        };
        match id {
            Some(id) => {
                if let Some(group) = self.groups.iter_mut().find(|g| g.title == pick.name) {
                    group.configurations.push(Value {
                        id,
                        title: pick.value.clone(),
                    });
                }
                self.resolved(id);
            }
            None => {
                warnings.push(skipped(pick, "it could not be created"));
                self.cursor += 1;
            }
        }
    }

    fn resolved(&mut self, id: u64) {
        if !self.ids.contains(&id) {
            self.ids.push(id);
        }
        self.cursor += 1;
    }
}

/// The ids to use when the groups cannot be listed: numeric values only (read as ids).
pub(crate) fn without_lookup(
    wanted: &[ConfigurationValue],
    warnings: &mut Vec<String>,
) -> Vec<u64> {
    let mut ids = Vec::new();
    for pick in wanted {
        match pick.value.parse::<u64>().ok().filter(|&id| id > 0) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => warnings.push(skipped(
                pick,
                "the project's configurations could not be read",
            )),
        }
    }
    ids
}

fn skipped(pick: &ConfigurationValue, why: &str) -> String {
    format!(
        "configuration {} = {} left out of the run: {why}",
        pick.name, pick.value
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picks(pairs: &[(&str, &str)]) -> Vec<ConfigurationValue> {
        pairs
            .iter()
            .map(|(name, value)| ConfigurationValue {
                name: (*name).to_owned(),
                value: (*value).to_owned(),
            })
            .collect()
    }

    const LISTED: &str = r#"{"status":true,"result":{"total":1,"entities":[
        {"id":3,"title":"Browser","configurations":[{"id":10,"title":"Chrome"},{"id":11,"title":"Firefox"}]}]}}"#;

    #[test]
    fn found_values_resolve_without_requests() {
        let wanted = picks(&[
            ("Browser", "Firefox"),
            ("Browser", "Chrome"),
            ("Browser", "Firefox"),
        ]);
        let mut lookup = Lookup::new(&wanted, false, LISTED).unwrap();
        let mut warnings = Vec::new();
        assert_eq!(lookup.next(&mut warnings), Next::Done(vec![11, 10]));
        assert!(warnings.is_empty());
    }

    #[test]
    fn missing_values_are_skipped_with_a_warning_unless_created() {
        let wanted = picks(&[
            ("Browser", "Safari"),
            ("OS", "Linux"),
            ("OS", "42"),
            ("Browser", "Chrome"),
        ]);
        let mut warnings = Vec::new();
        let mut off = Lookup::new(&wanted, false, LISTED).unwrap();
        assert_eq!(off.next(&mut warnings), Next::Done(vec![42, 10]));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("Browser = Safari") && warnings[1].contains("OS = Linux"));

        let mut warnings = Vec::new();
        let mut on = Lookup::new(&wanted, true, LISTED).unwrap();
        assert_eq!(
            on.next(&mut warnings),
            Next::CreateValue {
                title: "Safari".into(),
                group_id: 3
            }
        );
        on.value_created(Some(12), &mut warnings);
        assert_eq!(on.next(&mut warnings), Next::CreateGroup("OS".into()));
        on.group_created("OS", Some(4));
        assert_eq!(
            on.next(&mut warnings),
            Next::CreateValue {
                title: "Linux".into(),
                group_id: 4
            }
        );
        on.value_created(None, &mut warnings);
        assert_eq!(
            on.next(&mut warnings),
            Next::CreateValue {
                title: "42".into(),
                group_id: 4
            }
        );
        on.value_created(Some(13), &mut warnings);
        assert_eq!(on.next(&mut warnings), Next::Done(vec![12, 13, 10]));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("OS = Linux") && warnings[0].contains("could not be created"));
    }

    #[test]
    fn a_group_that_cannot_be_created_skips_its_values() {
        let wanted = picks(&[("OS", "Linux"), ("OS", "macOS")]);
        let mut warnings = Vec::new();
        let mut lookup = Lookup::new(&wanted, true, LISTED).unwrap();
        assert_eq!(lookup.next(&mut warnings), Next::CreateGroup("OS".into()));
        lookup.group_created("OS", None);
        assert_eq!(lookup.next(&mut warnings), Next::Done(vec![]));
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn unreadable_listings_fall_back_to_numeric_ids() {
        assert!(Lookup::new(&[], true, "<html>").is_none());
        let mut warnings = Vec::new();
        let ids = without_lookup(&picks(&[("A", "7"), ("B", "x"), ("C", "7")]), &mut warnings);
        assert_eq!(ids, [7]);
        assert_eq!(warnings.len(), 1);
    }
}
