//! RFC 8785 JSON Canonicalization Scheme (JCS): one byte string per JSON value,
//! whatever the key order, white space or number spelling it arrived with.

use std::fmt::Write as _;

use serde_json::Value;

use super::Error;

/// The RFC 8785 canonical form of `value`, ready to be hashed or signed.
///
/// - Object members are sorted by their names compared as arrays of UTF-16 code
///   units (RFC 8785 §3.2.3), not as UTF-8 bytes: the two orders differ only
///   for names holding characters above U+FFFF next to characters in
///   U+E000..U+FFFF, and the test suite has such a case.
/// - Strings are written with the minimal escaping of ECMAScript
///   `JSON.stringify` (§3.2.2.2): `\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r`,
///   other controls below U+0020 as `\u00xx` (lower-case hex), everything else
///   as UTF-8.
/// - Numbers are written as ECMAScript `Number.prototype.toString` writes an
///   IEEE 754 double (§3.2.2.3), so `1.0`, `1` and `1e0` all become `1`.
///
/// Limits: JSON numbers are doubles in JCS. An integer that a double cannot hold
/// exactly (magnitude above 2^53 that is not a multiple of the spacing there)
/// is refused with [`Error::CanonicalNumber`] rather than silently rounded, so
/// a signature never covers a different number than the document holds.
/// Duplicate member names cannot occur: `serde_json::Value` keeps the last one
/// when parsing.
pub fn canonical_json(value: &Value) -> Result<String, Error> {
    let mut out = String::new();
    write_value(value, &mut out)?;
    Ok(out)
}

fn write_value(value: &Value, out: &mut String) -> Result<(), Error> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => write_number(number, out)?,
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|(left, _), (right, _)| left.encode_utf16().cmp(right.encode_utf16()));
            out.push('{');
            for (index, (name, member)) in sorted.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write_value(member, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            control if u32::from(control) < 0x20 => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(control));
            }
            other => out.push(other),
        }
    }
    out.push('"');
}

/// 2^53: every integer of smaller magnitude is exactly a double.
const EXACT_INTEGER_LIMIT: u64 = 1 << 53;

fn write_number(number: &serde_json::Number, out: &mut String) -> Result<(), Error> {
    if let Some(unsigned) = number.as_u64() {
        if unsigned > EXACT_INTEGER_LIMIT && (unsigned as f64) as u64 != unsigned {
            return Err(Error::CanonicalNumber {
                number: number.to_string(),
            });
        }
        write_double(unsigned as f64, out);
    } else if let Some(signed) = number.as_i64() {
        if signed.unsigned_abs() > EXACT_INTEGER_LIMIT && (signed as f64) as i64 != signed {
            return Err(Error::CanonicalNumber {
                number: number.to_string(),
            });
        }
        write_double(signed as f64, out);
    } else if let Some(double) = number.as_f64() {
        write_double(double, out);
    } else {
        return Err(Error::CanonicalNumber {
            number: number.to_string(),
        });
    }
    Ok(())
}

/// ECMAScript `Number.prototype.toString(10)` for a finite double
/// (ECMA-262 §6.1.6.1.20). Rust's `{:e}` gives the same shortest round-trip
/// digits the ECMAScript algorithm asks for; this only lays them out.
fn write_double(value: f64, out: &mut String) {
    if value == 0.0 {
        // Both +0 and -0 print as "0".
        out.push('0');
        return;
    }
    if !value.is_finite() {
        // serde_json never holds NaN or infinities; write null as JSON.stringify does.
        out.push_str("null");
        return;
    }
    if value < 0.0 {
        out.push('-');
    }
    let scientific = format!("{:e}", value.abs());
    // `{:e}` always yields "<digits>[.<digits>]e<exponent>".
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digit_count = digits.len() as i32;
    // ECMAScript's n: the position of the decimal point relative to the digits.
    let point = exponent + 1;
    if digit_count <= point && point <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (point - digit_count) as usize));
    } else if 0 < point && point <= 21 {
        // Here 0 < point < digit_count (the branch above took point >= digit_count),
        // so the split is inside the digits.
        let (whole, fraction) = digits.split_at(point as usize);
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    } else if -6 < point && point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else {
        // A non-zero finite double has at least one significant digit.
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if point - 1 < 0 { '-' } else { '+' });
        let _ = write!(out, "{}", (point - 1).abs());
    }
}
