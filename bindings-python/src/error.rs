//! The one error mapping: every core [`Error`] becomes an instance of the exception class of
//! its [`ErrorCode`]. The classes are made at import from `ErrorCode::ALL`, so a new code in
//! core gets its class without a change here: `TestrelayError` is the base, each class has
//! `.code`, and misuse codes also subclass `ValueError`.

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use testrelay::{Error, ErrorCode};

pyo3::create_exception!(
    testrelay,
    TestrelayError,
    PyException,
    "Base of every testrelay error; `.code` is the stable code (e.g. \"INVALID_INPUT\")."
);

static CLASSES: PyOnceLock<Vec<(ErrorCode, Py<PyType>)>> = PyOnceLock::new();

/// `INVALID_INPUT` → `InvalidInputError`.
fn class_name(code: ErrorCode) -> String {
    let mut name: String = code
        .as_str()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_string() + &chars.as_str().to_ascii_lowercase()
            })
        })
        .collect();
    name.push_str("Error");
    name
}

fn make_classes(py: Python<'_>) -> PyResult<Vec<(ErrorCode, Py<PyType>)>> {
    let base = py.get_type::<TestrelayError>();
    let type_ = py.get_type::<PyType>();
    ErrorCode::ALL
        .iter()
        .map(|&code| {
            let bases = if code.is_misuse() {
                PyTuple::new(py, [base.as_any(), py.get_type::<PyValueError>().as_any()])?
            } else {
                PyTuple::new(py, [base.as_any()])?
            };
            let attrs = PyDict::new(py);
            attrs.set_item("code", code.as_str())?;
            attrs.set_item("__module__", "testrelay")?;
            attrs.set_item("__doc__", format!("testrelay error `{}`.", code.as_str()))?;
            let class = type_.call1((class_name(code), bases, attrs))?;
            Ok((code, class.cast_into::<PyType>()?.unbind()))
        })
        .collect()
}

/// Adds `TestrelayError` and one subclass per code to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TestrelayError", py.get_type::<TestrelayError>())?;
    for (code, class) in CLASSES.get_or_try_init(py, || make_classes(py))? {
        m.add(class_name(*code).as_str(), class.bind(py))?;
    }
    Ok(())
}

/// The exception for a core error: its code's class, with the core's message.
pub fn to_py(err: Error) -> PyErr {
    Python::attach(|py| {
        let class = CLASSES
            .get_or_try_init(py, || make_classes(py))
            .ok()
            .and_then(|classes| classes.iter().find(|(c, _)| *c == err.code()))
            .map(|(_, class)| class.bind(py).clone());
        match class {
            Some(class) => PyErr::from_type(class, err.to_string()),
            None => TestrelayError::new_err(err.to_string()),
        }
    })
}
