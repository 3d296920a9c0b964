//! Conversions between Python objects and the core's typed values.
//!
//! Every core data type has a stable JSON form (serde, `snake_case`), the same one
//! the C API exchanges. Results cross into Python as that form built directly as
//! dicts, lists, strings and numbers ([`to_python`]), and structured inputs come
//! back through it ([`from_python`]), so the bindings never restate the shape of a
//! core type by hand. Scalars that have their own validation (timestamps, dates,
//! person ids) are parsed by the core's own constructors so their typed errors
//! reach Python unchanged.

use healing_core::ids::PersonId;
use healing_core::timestamp::Timestamp;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::errors::Error;

/// The deepest nesting [`python_to_value`] follows, so a self-referencing list
/// raises an error instead of overflowing the stack.
const MAX_DEPTH: usize = 64;

/// Builds the JSON form of `value` as Python objects.
pub(crate) fn to_python<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
) -> Result<Bound<'py, PyAny>, Error> {
    let json = serde_json::to_value(value).map_err(|error| Error::Output {
        reason: error.to_string(),
    })?;
    Ok(value_to_python(py, &json)?)
}

/// Reads `object` as the JSON form of `T`, naming `what` in the error.
pub(crate) fn from_python<T: DeserializeOwned>(
    object: &Bound<'_, PyAny>,
    what: &'static str,
) -> Result<T, Error> {
    let json = python_to_value(object, what, 0)?;
    serde_json::from_value(json).map_err(|error| Error::InvalidInput {
        what,
        reason: error.to_string(),
    })
}

/// Converts a JSON value into the equivalent Python object.
pub(crate) fn value_to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(flag) => PyBool::new(py, *flag).to_owned().into_any(),
        Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                integer.into_pyobject(py)?.into_any()
            } else if let Some(integer) = number.as_u64() {
                integer.into_pyobject(py)?.into_any()
            } else {
                // serde_json numbers are i64, u64 or finite f64; 0.0 is unreachable.
                PyFloat::new(py, number.as_f64().unwrap_or(0.0)).into_any()
            }
        }
        Value::String(text) => PyString::new(py, text).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(fields) => {
            let dict = PyDict::new(py);
            for (key, field) in fields {
                dict.set_item(key, value_to_python(py, field)?)?;
            }
            dict.into_any()
        }
    })
}

/// Converts a Python object made of dicts, lists, tuples, strings, numbers,
/// booleans, `None`, dates and datetimes into a JSON value.
///
/// Dates and datetimes become their ISO 8601 text, which is the form the core
/// parses; a naive datetime is rejected where the core reads it as a timestamp.
fn python_to_value(
    object: &Bound<'_, PyAny>,
    what: &'static str,
    depth: usize,
) -> Result<Value, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::InvalidInput {
            what,
            reason: format!("nested more than {MAX_DEPTH} levels deep"),
        });
    }
    if object.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: Python's bool is a subclass of int.
    if let Ok(flag) = object.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if object.is_instance_of::<PyInt>() {
        if let Ok(integer) = object.extract::<i64>() {
            return Ok(Value::from(integer));
        }
        if let Ok(integer) = object.extract::<u64>() {
            return Ok(Value::from(integer));
        }
        return Err(Error::InvalidInput {
            what,
            reason: "an integer is too large".to_owned(),
        });
    }
    if let Ok(float) = object.cast::<PyFloat>() {
        return serde_json::Number::from_f64(float.value())
            .map(Value::Number)
            .ok_or_else(|| Error::InvalidInput {
                what,
                reason: format!("{} is not a finite number", float.value()),
            });
    }
    if let Ok(text) = object.cast::<PyString>() {
        return Ok(Value::String(text.to_str()?.to_owned()));
    }
    if let Ok(dict) = object.cast::<PyDict>() {
        let mut fields = serde_json::Map::with_capacity(dict.len());
        for (key, field) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(Error::InvalidInput {
                    what,
                    reason: format!("a dict key is {}, not a string", type_name(&key)),
                });
            };
            fields.insert(
                key.to_str()?.to_owned(),
                python_to_value(&field, what, depth + 1)?,
            );
        }
        return Ok(Value::Object(fields));
    }
    if object.is_instance_of::<PyList>() || object.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for item in object.try_iter()? {
            items.push(python_to_value(&item?, what, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    if is_date_or_datetime(object)? {
        return Ok(Value::String(iso_format(object)?));
    }
    // numpy and pandas scalars: integers expose __index__, floats __float__.
    if object.hasattr("__index__")? {
        let integer: i64 = object.call_method0("__index__")?.extract()?;
        return Ok(Value::from(integer));
    }
    Err(Error::InvalidInput {
        what,
        reason: format!("a value of type {} cannot be read", type_name(object)),
    })
}

/// The Python type name of `object`, for error messages.
fn type_name(object: &Bound<'_, PyAny>) -> String {
    object
        .get_type()
        .name()
        .map(|name| name.to_string())
        .unwrap_or_else(|_| "an unknown type".to_owned())
}

/// Whether `object` is a `datetime.date` (which includes `datetime.datetime`).
fn is_date_or_datetime(object: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = object.py();
    let date_type = py.import("datetime")?.getattr("date")?;
    object.is_instance(&date_type)
}

/// `object.isoformat()` as a Rust string.
fn iso_format(object: &Bound<'_, PyAny>) -> PyResult<String> {
    object.call_method0("isoformat")?.extract()
}

/// Reads a timestamp from a timezone-aware `datetime.datetime` or an RFC 3339 string.
pub(crate) fn timestamp(object: &Bound<'_, PyAny>) -> Result<Timestamp, Error> {
    if let Ok(text) = object.cast::<PyString>() {
        return Ok(Timestamp::parse_rfc3339(text.to_str()?)?);
    }
    let py = object.py();
    let datetime_type = py.import("datetime")?.getattr("datetime")?;
    if object.is_instance(&datetime_type)? {
        if object.getattr("tzinfo")?.is_none() {
            return Err(Error::InvalidInput {
                what: "timestamp",
                reason: "a naive datetime has no time zone; pass an aware one such as datetime.now(timezone.utc)".to_owned(),
            });
        }
        return Ok(Timestamp::parse_rfc3339(&iso_format(object)?)?);
    }
    Err(Error::InvalidInput {
        what: "timestamp",
        reason: format!(
            "expected a timezone-aware datetime or an RFC 3339 string, got {}",
            type_name(object)
        ),
    })
}

/// Reads a calendar date from a `datetime.date` or a `YYYY-MM-DD` string.
pub(crate) fn date(object: &Bound<'_, PyAny>, what: &'static str) -> Result<time::Date, Error> {
    let py = object.py();
    let datetime_type = py.import("datetime")?.getattr("datetime")?;
    let text = if let Ok(text) = object.cast::<PyString>() {
        text.to_str()?.to_owned()
    } else if is_date_or_datetime(object)? && !object.is_instance(&datetime_type)? {
        iso_format(object)?
    } else {
        return Err(Error::InvalidInput {
            what,
            reason: format!(
                "expected a datetime.date or a YYYY-MM-DD string, got {}",
                type_name(object)
            ),
        });
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(&text, format).map_err(|error| Error::InvalidInput {
        what,
        reason: format!(
            "'{}' is not a YYYY-MM-DD date ({error})",
            text.chars().take(32).collect::<String>()
        ),
    })
}

/// Reads a person id through [`PersonId::new`].
pub(crate) fn person_id(text: &str) -> Result<PersonId, Error> {
    Ok(PersonId::new(text)?)
}
