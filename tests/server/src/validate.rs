//! Checks request bodies against the official client models (`qase-api-client` `RunCreate`,
//! `qase-api-v2-client` `ResultCreate`): required fields and the JSON type of every known
//! field, so a reporter sending a wrong shape fails its tests here instead of at Qase.

use serde::Serialize;
use serde_json::{Map, Value};

/// Results per upload request the API accepts.
pub const MAX_RESULTS_PER_UPLOAD: usize = 200;

/// One invalid field, in the shape of the API's `errorFields`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub error: String,
}

/// JSON types of the model fields (pydantic strict types: no coercion).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Str,
    Int,
    PositiveInt,
    Number,
    Bool,
    Object,
    StrList,
    IntList,
    StrMap,
    StrListList,
    ObjectList,
}

impl Kind {
    fn accepts(self, value: &Value) -> bool {
        match self {
            Kind::Str => value.is_string(),
            Kind::Int => value.is_i64() || value.is_u64(),
            Kind::PositiveInt => value.as_u64().is_some_and(|n| n >= 1),
            Kind::Number => value.is_number(),
            Kind::Bool => value.is_boolean(),
            Kind::Object => value.is_object(),
            Kind::StrList => list_of(value, Value::is_string),
            Kind::IntList => list_of(value, |v| v.is_i64() || v.is_u64()),
            Kind::StrMap => value
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string)),
            Kind::StrListList => list_of(value, |v| list_of(v, Value::is_string)),
            Kind::ObjectList => list_of(value, Value::is_object),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Int => "an integer",
            Kind::PositiveInt => "an integer >= 1",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Object => "an object",
            Kind::StrList => "a list of strings",
            Kind::IntList => "a list of integers",
            Kind::StrMap => "an object of strings",
            Kind::StrListList => "a list of lists of strings",
            Kind::ObjectList => "a list of objects",
        }
    }
}

fn list_of(value: &Value, item: impl Fn(&Value) -> bool) -> bool {
    value.as_array().is_some_and(|items| items.iter().all(item))
}

/// Collects the errors of one object.
struct Checker<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
    errors: &'a mut Vec<FieldError>,
}

impl<'a> Checker<'a> {
    fn new(
        object: &'a Map<String, Value>,
        prefix: String,
        errors: &'a mut Vec<FieldError>,
    ) -> Self {
        Checker {
            object,
            prefix,
            errors,
        }
    }

    /// A string field, when present, must be one of `allowed`.
    fn one_of(&mut self, key: &str, allowed: &[&str]) {
        if let Some(text) = self.object.get(key).and_then(Value::as_str) {
            if !allowed.contains(&text) {
                self.error(key, format!("must be one of {}", allowed.join(", ")));
            }
        }
    }

    fn error(&mut self, key: &str, error: String) {
        self.errors.push(FieldError {
            field: format!("{}{key}", self.prefix),
            error,
        });
    }

    fn required(&mut self, key: &str, kind: Kind) {
        match self.object.get(key) {
            None | Some(Value::Null) => self.error(key, "is required".to_owned()),
            Some(_) => self.optional(key, kind),
        }
    }

    fn optional(&mut self, key: &str, kind: Kind) {
        match self.object.get(key) {
            Some(value) if !value.is_null() && !kind.accepts(value) => {
                self.error(key, format!("must be {}", kind.name()));
            }
            _ => {}
        }
    }

    fn all_optional(&mut self, fields: &[(&str, Kind)]) {
        for (key, kind) in fields {
            self.optional(key, *kind);
        }
    }

    fn max_chars(&mut self, key: &str, max: usize) {
        if let Some(text) = self.object.get(key).and_then(Value::as_str) {
            if text.chars().count() > max {
                self.error(key, format!("must be at most {max} characters"));
            }
        }
    }
}

/// Validates a `POST /v1/run/{code}` body; returns the title.
pub fn run_create(body: &Value) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let Some(object) = body.as_object() else {
        return Err(vec![FieldError {
            field: String::new(),
            error: "the body must be a JSON object".to_owned(),
        }]);
    };
    let mut check = Checker::new(object, String::new(), &mut errors);
    check.required("title", Kind::Str);
    check.max_chars("title", 255);
    check.max_chars("description", 10_000);
    check.all_optional(&[
        ("description", Kind::Str),
        ("include_all_cases", Kind::Bool),
        ("cases", Kind::IntList),
        ("is_autotest", Kind::Bool),
        ("environment_id", Kind::PositiveInt),
        ("milestone_id", Kind::PositiveInt),
        ("plan_id", Kind::PositiveInt),
        ("author_id", Kind::PositiveInt),
        ("environment_slug", Kind::Str),
        ("tags", Kind::StrList),
        ("configurations", Kind::IntList),
        ("custom_field", Kind::StrMap),
        ("start_time", Kind::Str),
        ("end_time", Kind::Str),
    ]);
    for key in ["start_time", "end_time"] {
        if let Some(text) = object.get(key).and_then(Value::as_str) {
            if !is_qase_datetime(text) {
                check.error(key, "must be \"YYYY-MM-DD HH:MM:SS\"".to_owned());
            }
        }
    }
    match errors.is_empty() {
        true => Ok(object["title"].as_str().unwrap_or_default().to_owned()),
        false => Err(errors),
    }
}

/// `YYYY-MM-DD HH:MM:SS`, the format of `start_time` in `RunCreate`.
fn is_qase_datetime(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        })
}

/// Why an upload body is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    /// More than [`MAX_RESULTS_PER_UPLOAD`] results (the API answers 413).
    TooMany(usize),
    Invalid(Vec<FieldError>),
}

/// Validates a `POST /v2/{code}/run/{id}/results` body; returns its results.
pub fn upload(body: Value) -> Result<Vec<Value>, UploadError> {
    let results = match body {
        Value::Object(mut object) => object.remove("results"),
        _ => None,
    };
    let Some(Value::Array(results)) = results else {
        return Err(UploadError::Invalid(vec![FieldError {
            field: "results".to_owned(),
            error: "is required and must be a list".to_owned(),
        }]));
    };
    if results.len() > MAX_RESULTS_PER_UPLOAD {
        return Err(UploadError::TooMany(results.len()));
    }
    let mut errors = Vec::new();
    for (i, result) in results.iter().enumerate() {
        result_create(result, &format!("results.{i}."), &mut errors);
    }
    match errors.is_empty() {
        true => Ok(results),
        false => Err(UploadError::Invalid(errors)),
    }
}

fn result_create(result: &Value, prefix: &str, errors: &mut Vec<FieldError>) {
    let Some(object) = result.as_object() else {
        errors.push(FieldError {
            field: prefix.trim_end_matches('.').to_owned(),
            error: "must be an object".to_owned(),
        });
        return;
    };
    let mut check = Checker::new(object, prefix.to_owned(), errors);
    check.required("title", Kind::Str);
    check.required("execution", Kind::Object);
    check.all_optional(&[
        ("id", Kind::Str),
        ("signature", Kind::Str),
        ("testops_id", Kind::Int),
        ("testops_ids", Kind::IntList),
        ("fields", Kind::Object),
        ("attachments", Kind::StrList),
        ("steps", Kind::ObjectList),
        ("steps_type", Kind::Str),
        ("params", Kind::StrMap),
        ("param_groups", Kind::StrListList),
        ("relations", Kind::Object),
        ("message", Kind::Str),
        ("defect", Kind::Bool),
    ]);
    check.one_of("steps_type", &["classic", "gherkin"]);
    let both = ["testops_id", "testops_ids"]
        .iter()
        .all(|k| object.get(*k).is_some_and(|v| !v.is_null()));
    if both {
        check.error(
            "testops_ids",
            "cannot be specified together with testops_id".to_owned(),
        );
    }
    if let Some(execution) = object_at(object, "execution") {
        let mut check = Checker::new(execution, format!("{prefix}execution."), errors);
        check.required("status", Kind::Str);
        check.all_optional(&[
            ("start_time", Kind::Number),
            ("end_time", Kind::Number),
            ("duration", Kind::Int),
            ("stacktrace", Kind::Str),
            ("error_context", Kind::Str),
            ("thread", Kind::Str),
        ]);
    }
    if let Some(fields) = object_at(object, "fields") {
        // ResultCreateFields: the known fields are strings; other keys may hold anything.
        let mut check = Checker::new(fields, format!("{prefix}fields."), errors);
        check.all_optional(&KNOWN_FIELDS.map(|key| (key, Kind::Str)));
    }
    if let Some(steps) = object.get("steps").and_then(Value::as_array) {
        for (i, step) in steps.iter().enumerate() {
            result_step(step, &format!("{prefix}steps.{i}."), 1, errors);
        }
    }
    if let Some(suite) = object_at(object, "relations").and_then(|r| object_at(r, "suite")) {
        let prefix = format!("{prefix}relations.suite.");
        Checker::new(suite, prefix.clone(), errors).required("data", Kind::ObjectList);
        let items = suite.get("data").and_then(Value::as_array);
        for (i, item) in items.into_iter().flatten().enumerate() {
            if let Some(item) = item.as_object() {
                let mut check = Checker::new(item, format!("{prefix}data.{i}."), errors);
                check.required("title", Kind::Str);
                check.optional("public_id", Kind::Int);
            }
        }
    }
}

/// The fields of `ResultCreateFields` (all strings).
const KNOWN_FIELDS: [&str; 13] = [
    "author",
    "description",
    "preconditions",
    "postconditions",
    "layer",
    "severity",
    "priority",
    "behavior",
    "type",
    "muted",
    "is_flaky",
    "tags",
    "executed_by",
];

/// Nested steps deeper than this are refused (and keep the check's recursion bounded).
const MAX_STEP_DEPTH: usize = 64;

/// A `ResultStep`: `data` (`action` required), `execution` (`status` one of
/// `ResultStepStatus`), nested `steps` of the same shape.
fn result_step(step: &Value, prefix: &str, depth: usize, errors: &mut Vec<FieldError>) {
    let Some(object) = step.as_object() else {
        return; // the parent's list check reported it
    };
    let mut check = Checker::new(object, prefix.to_owned(), errors);
    check.all_optional(&[
        ("data", Kind::Object),
        ("execution", Kind::Object),
        ("steps", Kind::ObjectList),
    ]);
    if let Some(data) = object_at(object, "data") {
        let mut check = Checker::new(data, format!("{prefix}data."), errors);
        check.required("action", Kind::Str);
        check.all_optional(&[
            ("expected_result", Kind::Str),
            ("input_data", Kind::Str),
            ("attachments", Kind::StrList),
        ]);
    }
    if let Some(execution) = object_at(object, "execution") {
        let mut check = Checker::new(execution, format!("{prefix}execution."), errors);
        check.required("status", Kind::Str);
        check.one_of(
            "status",
            &["passed", "failed", "blocked", "skipped", "in_progress"],
        );
        check.all_optional(&[
            ("start_time", Kind::Number),
            ("end_time", Kind::Number),
            ("duration", Kind::Int),
            ("comment", Kind::Str),
            ("attachments", Kind::StrList),
        ]);
    }
    let Some(steps) = object.get("steps").and_then(Value::as_array) else {
        return;
    };
    if depth >= MAX_STEP_DEPTH && !steps.is_empty() {
        errors.push(FieldError {
            field: format!("{prefix}steps"),
            error: format!("steps may nest at most {MAX_STEP_DEPTH} levels"),
        });
        return;
    }
    for (i, nested) in steps.iter().enumerate() {
        result_step(nested, &format!("{prefix}steps.{i}."), depth + 1, errors);
    }
}

/// The object under `key`, if it is one.
fn object_at<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    object.get(key).and_then(Value::as_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(err: UploadError) -> Vec<String> {
        match err {
            UploadError::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            UploadError::TooMany(n) => panic!("unexpected TooMany({n})"),
        }
    }

    #[test]
    fn a_minimal_result_passes_and_wrong_types_are_named() {
        let ok = json!({"results": [{"title": "A", "execution": {"status": "passed"}}]});
        assert_eq!(upload(ok).unwrap().len(), 1);
        let bad = json!({"results": [
            {"title": "A", "execution": {"status": "passed", "duration": 1.5}},
            {"id": 7, "execution": {}},
            "nope",
        ]});
        assert_eq!(
            fields(upload(bad).unwrap_err()),
            [
                "results.0.execution.duration",
                "results.1.title",
                "results.1.id",
                "results.1.execution.status",
                "results.2",
            ]
        );
    }

    #[test]
    fn more_than_200_results_is_too_many() {
        let one = json!({"title": "A", "execution": {"status": "passed"}});
        let body = json!({ "results": vec![one; 201] });
        assert_eq!(upload(body), Err(UploadError::TooMany(201)));
    }

    #[test]
    fn run_create_checks_title_and_start_time() {
        let ok = json!({"title": "T", "start_time": "2026-11-22 04:00:00", "is_autotest": true});
        assert_eq!(run_create(&ok).unwrap(), "T");
        let bad = json!({"start_time": "2026-11-22T04:00:00Z", "plan_id": 0});
        let fields: Vec<String> = run_create(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "plan_id", "start_time"]);
    }

    #[test]
    fn steps_relations_and_fields_are_checked_to_the_model() {
        let body = json!({"results": [{
            "title": "A",
            "execution": {"status": "passed"},
            "steps_type": "cucumber",
            "fields": {"severity": 3, "my_custom_field": 3},
            "relations": {"suite": {"data": [{"title": "S"}, {"public_id": 1}]}},
            "steps": [{
                "data": {"action": "open"},
                "execution": {"status": "passed"},
                "steps": [{"data": {}, "execution": {"status": "invalid"}}],
            }],
        }]});
        assert_eq!(
            fields(upload(body).unwrap_err()),
            [
                "results.0.steps_type",
                "results.0.fields.severity",
                "results.0.steps.0.steps.0.data.action",
                "results.0.steps.0.steps.0.execution.status",
                "results.0.relations.suite.data.1.title",
            ]
        );
    }

    #[test]
    fn steps_nested_deeper_than_64_levels_are_refused() {
        let mut step = json!({"data": {"action": "leaf"}});
        for _ in 0..100 {
            step = json!({"data": {"action": "a"}, "steps": [step]});
        }
        let body = json!({"results": [{"title": "A", "execution": {"status": "passed"}, "steps": [step]}]});
        let errors = fields(upload(body).unwrap_err());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].ends_with(".steps"), "{errors:?}");
    }
}
