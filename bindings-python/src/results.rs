//! The read of `add_results`' list, the hot crossing of a reporter (one dict per finished
//! test). A dict of the plain shape — `str` keys the core knows, values of their exact types,
//! no steps or attachments — is read field by field against interned keys (a pointer
//! comparison each); any other value goes through pythonize ([`from_py`]), so whatever the
//! fast read declines gets the general path's answer and error (`INVALID_INPUT`).

use crate::convert::{MAX_DEPTH, from_py_within, lossy, within_depth};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde::de::value::{Error as WordError, StrDeserializer};
use testrelay::{ErrorInfo, Outcome, TestResult};

type Obj<'py> = Bound<'py, PyAny>;

/// The keys of one struct of the shape (serde names), as text and interned, in match order.
struct Fields<'py, const N: usize> {
    names: [&'static str; N],
    interned: [&'py Bound<'py, PyString>; N],
}

macro_rules! fields {
    ($py:expr; $($name:literal),* $(,)?) => {
        Fields { names: [$($name),*], interned: [$(intern!($py, $name)),*] }
    };
}

impl<const N: usize> Fields<'_, N> {
    /// The position of `key`: the same object (interned literals, the usual case), else the
    /// same text; `None` for a key that is not a known `str`.
    fn position(&self, key: &Obj<'_>) -> Option<usize> {
        if let Some(i) = self.interned.iter().position(|k| k.is(key)) {
            return Some(i);
        }
        let text = key.cast::<PyString>().ok()?.to_str().ok()?;
        self.names.iter().position(|n| *n == text)
    }
}

/// The keys of `TestResult`, `Outcome` and `ErrorInfo`.
struct Keys<'py> {
    result: Fields<'py, 16>,
    outcome: Fields<'py, 8>,
    error: Fields<'py, 6>,
}

impl<'py> Keys<'py> {
    fn new(py: Python<'py>) -> Self {
        Keys {
            result: fields!(py; "title", "suite", "testops_ids", "node_id", "outcome", "started_at",
                "duration", "params", "param_groups", "fields", "steps", "attachments", "message",
                "attempt", "muted", "thread"),
            outcome: fields!(py; "framework", "runner_status", "phase", "expected_status", "strict",
                "error", "errors", "element"),
            error: fields!(py; "type", "chain", "module", "message", "stack", "matcher"),
        }
    }
}

/// Reads a list of `TestResult` dicts; a wrong shape is `InvalidInputError` ("results").
pub fn read(value: &Obj<'_>) -> PyResult<Vec<TestResult>> {
    let Ok(list) = value.cast_exact::<PyList>() else {
        return general(value, MAX_DEPTH);
    };
    let keys = Keys::new(value.py());
    let mut results: Vec<TestResult> = Vec::with_capacity(list.len());
    for item in list.iter() {
        // Filled in place: a result is large, and moving it costs more than reading it.
        let i = results.len();
        results.push(TestResult::default());
        let slot = &mut results[i];
        if fill(&item, &keys.result, slot, |r, field, v| {
            set_result(&keys, r, field, v)
        })
        .is_none()
        {
            // One level below the list, as when the whole list goes through pythonize.
            *slot = general(&item, MAX_DEPTH - 1)?;
        }
    }
    Ok(results)
}

/// Results through pythonize; if it refuses them, once more with lone surrogates replaced by
/// U+FFFD and case ids outside 64 bits read as `0`, as the fast read does, so a result is
/// never refused for those (and both reads answer the same).
fn general<T: DeserializeOwned>(value: &Obj<'_>, levels: usize) -> PyResult<T> {
    from_py_within(value, "results", levels).or_else(|refused| {
        if !within_depth(value, levels) {
            return Err(refused);
        }
        let mended = mend(value, false)?;
        from_py_within(&mended, "results", levels).map_err(|_| refused)
    })
}

/// A copy of `value` with every `str` made valid UTF-8 and, under a `testops_ids` key, every
/// int outside i64 replaced by `0`.
fn mend<'py>(value: &Obj<'py>, ids: bool) -> PyResult<Obj<'py>> {
    let py = value.py();
    if let Ok(text) = value.cast_exact::<PyString>() {
        if text.to_str().is_ok() {
            return Ok(value.clone());
        }
        return Ok(PyString::new(py, &lossy(text)).into_any());
    }
    if ids
        && let Some(int) = exact::<PyInt>(value)
        && int.extract::<i64>().is_err()
    {
        return Ok(0i64.into_pyobject(py)?.into_any());
    }
    if let Some(dict) = exact::<PyDict>(value) {
        let out = PyDict::new(py);
        for (k, v) in dict.iter() {
            let under_ids = k
                .cast_exact::<PyString>()
                .is_ok_and(|k| k.to_str().is_ok_and(|k| k == "testops_ids"));
            out.set_item(mend(&k, false)?, mend(&v, under_ids)?)?;
        }
        return Ok(out.into_any());
    }
    if let Some(list) = exact::<PyList>(value) {
        let items = list
            .iter()
            .map(|v| mend(&v, ids))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(PyList::new(py, items)?.into_any());
    }
    if let Some(tuple) = exact::<PyTuple>(value) {
        let items = tuple
            .iter()
            .map(|v| mend(&v, ids))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(PyTuple::new(py, items)?.into_any());
    }
    Ok(value.clone())
}

/// Sets `out`'s fields from a dict of the shape (`set` per key); `None` if anything declines.
fn fill<T, const N: usize>(
    value: &Obj<'_>,
    fields: &Fields<'_, N>,
    out: &mut T,
    set: impl Fn(&mut T, usize, &Obj<'_>) -> Option<()>,
) -> Option<()> {
    for (key, v) in value.cast_exact::<PyDict>().ok()?.iter() {
        set(out, fields.position(&key)?, &v)?;
    }
    Some(())
}

fn set_result(keys: &Keys<'_>, r: &mut TestResult, field: usize, v: &Obj<'_>) -> Option<()> {
    match field {
        0 => r.title = text(v)?,
        1 => r.suite = texts(v)?,
        2 => r.testops_ids = optional(v, ids)?,
        3 => r.node_id = optional(v, text)?,
        4 => fill(v, &keys.outcome, &mut r.outcome, |o, field, v| {
            set_outcome(keys, o, field, v)
        })?,
        5 => r.started_at = optional(v, number)?,
        6 => r.duration = optional(v, number)?,
        7 => r.params = text_map(v)?,
        8 => r.param_groups = list(v, texts)?,
        9 => r.fields = text_map(v)?,
        10 | 11 => empty_list(v)?,
        12 => r.message = optional(v, text)?,
        13 => r.attempt = exact::<PyInt>(v)?.extract().ok()?,
        14 => r.muted = flag(v)?,
        _ => r.thread = optional(v, text)?,
    }
    Some(())
}

fn set_outcome(keys: &Keys<'_>, o: &mut Outcome, field: usize, v: &Obj<'_>) -> Option<()> {
    match field {
        0 => o.framework = word(v)?,
        1 => o.runner_status = optional(v, text)?,
        2 => o.phase = word(v)?,
        3 => o.expected_status = optional(v, word)?,
        4 => o.strict = flag(v)?,
        5 => o.error = optional(v, |v| read_error(keys, v))?,
        6 => o.errors = list(v, |v| read_error(keys, v))?,
        _ => o.element = optional(v, word)?,
    }
    Some(())
}

fn read_error(keys: &Keys<'_>, value: &Obj<'_>) -> Option<ErrorInfo> {
    let mut e = ErrorInfo::default();
    fill(value, &keys.error, &mut e, |e, field, v| {
        match field {
            0 => e.type_name = optional(v, text)?,
            1 => e.chain = texts(v)?,
            2 => e.module = optional(v, text)?,
            3 => e.message = optional(v, text)?,
            4 => e.stack = optional(v, text)?,
            _ => e.matcher = flag(v)?,
        }
        Some(())
    })?;
    Some(e)
}

fn exact<'a, 'py, T: pyo3::PyTypeInfo>(value: &'a Obj<'py>) -> Option<&'a Bound<'py, T>> {
    value.cast_exact::<T>().ok()
}

/// `None` → `Some(None)`; else `read` of the value.
fn optional<T>(value: &Obj<'_>, read: impl Fn(&Obj<'_>) -> Option<T>) -> Option<Option<T>> {
    if value.is_none() {
        Some(None)
    } else {
        read(value).map(Some)
    }
}

/// A `str`; lone surrogates (which UTF-8 cannot hold) become U+FFFD, so the result is still
/// reported.
fn text(value: &Obj<'_>) -> Option<String> {
    Some(lossy(value.cast::<PyString>().ok()?))
}

fn texts(value: &Obj<'_>) -> Option<Vec<String>> {
    list(value, text)
}

fn list<T>(value: &Obj<'_>, read: impl Fn(&Obj<'_>) -> Option<T>) -> Option<Vec<T>> {
    exact::<PyList>(value)?.iter().map(|v| read(&v)).collect()
}

fn empty_list(value: &Obj<'_>) -> Option<()> {
    exact::<PyList>(value)?.is_empty().then_some(())
}

fn text_map<M: FromIterator<(String, String)>>(value: &Obj<'_>) -> Option<M> {
    exact::<PyDict>(value)?
        .iter()
        .map(|(k, v)| Some((text(&k)?, text(&v)?)))
        .collect()
}

fn flag(value: &Obj<'_>) -> Option<bool> {
    Some(exact::<PyBool>(value)?.is_true())
}

/// A float, or an int within i64 (converted as Python's `float()` does).
fn number(value: &Obj<'_>) -> Option<f64> {
    if let Some(float) = exact::<PyFloat>(value) {
        return Some(float.value());
    }
    exact::<PyInt>(value)?
        .extract::<i64>()
        .ok()
        .map(|i| i as f64)
}

/// Case ids; an int outside i64 reads as `0`, as the core reads such a number, which the
/// pipeline then drops with a warning.
fn ids(value: &Obj<'_>) -> Option<Vec<i64>> {
    list(value, |v| Some(exact::<PyInt>(v)?.extract().unwrap_or(0)))
}

/// An enum of the shape (framework, phase, status, element) from its serde word.
fn word<T: DeserializeOwned>(value: &Obj<'_>) -> Option<T> {
    let text = value.cast::<PyString>().ok()?.to_str().ok()?;
    T::deserialize(StrDeserializer::<WordError>::new(text)).ok()
}
