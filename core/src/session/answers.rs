//! Reading the bodies of the v1 API answers the session decides on, in the shapes of the
//! official `qase-api-client` models (`IdResponse`, `RunResponse` → `Run`). Unreadable bodies
//! are `None`: the caller decides what that means.

use serde_json::Value;

/// `result.id` of an `IdResponse` (create-run, create configuration group or value).
pub(crate) fn result_id(body: &str) -> Option<u64> {
    let value: Value = crate::json::from_str(body).ok()?;
    value.get("result")?.get("id")?.as_u64()
}

/// Why a run read back by `GET /v1/run/{code}/{id}` takes no more results, or `None` when it
/// is open (or its state cannot be read: the 200 alone then counts as "exists").
///
/// The `Run` model has `status` (0 active, 1 complete, 2 abort, 3 in progress),
/// `status_text` and `end_time`; the official Python reporter reads `status == 1` as
/// completed. `status_text` wins when present, `status` is read otherwise.
pub(crate) fn closed_run(body: &str) -> Option<String> {
    let value: Value = crate::json::from_str(body).ok()?;
    let run = value.get("result")?;
    let text = run.get("status_text").and_then(Value::as_str);
    match text.map(str::to_ascii_lowercase).as_deref() {
        Some("complete" | "completed") => Some("completed".to_owned()),
        Some("abort" | "aborted") => Some("aborted".to_owned()),
        Some(_) => None,
        None => match run.get("status").and_then(Value::as_u64) {
            Some(1) => Some("completed".to_owned()),
            Some(2) => Some("aborted".to_owned()),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_closed_by_its_status_text_or_else_its_status() {
        let run = |inner: &str| format!(r#"{{"status":true,"result":{{"id":5{inner}}}}}"#);
        assert_eq!(closed_run(&run("")), None);
        assert_eq!(
            closed_run(&run(r#","status":0,"status_text":"active""#)),
            None
        );
        assert_eq!(
            closed_run(&run(r#","status":3,"status_text":"in progress""#)),
            None
        );
        assert_eq!(
            closed_run(&run(r#","status":1,"status_text":"complete""#)).as_deref(),
            Some("completed")
        );
        assert_eq!(
            closed_run(&run(r#","status":1"#)).as_deref(),
            Some("completed")
        );
        assert_eq!(
            closed_run(&run(r#","status_text":"Abort""#)).as_deref(),
            Some("aborted")
        );
        assert_eq!(closed_run("not json"), None);
        assert_eq!(result_id(&run("")), Some(5));
        assert_eq!(result_id(r#"{"result":{"id":-1}}"#), None);
    }
}
