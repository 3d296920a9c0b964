//! A small JSON Schema validator for the subset CBT tools use.
//!
//! The `jsonschema` crate was not used: its dependency tree (regex engines,
//! URL and e-mail parsers, remote reference resolution) would add to an
//! already heavy host build, and a tool's schemas are short and flat. This
//! validator supports these keywords of JSON Schema 2020-12 (Validation
//! vocabulary, sections 6.1-6.5), with the standard meaning:
//!
//! `type` (a name or a list of names), `enum`, `const`, `properties`,
//! `required`, `additionalProperties` (`true` or `false` only), `items` (one
//! schema), `minItems`, `maxItems`, `minLength`, `maxLength` (counted in
//! Unicode scalar values), `minimum`, `maximum`; and the annotations `$schema`,
//! `$id`, `$comment`, `title`, `description`, `default`, `examples`, which are
//! ignored.
//!
//! A schema using any other keyword is refused when the tool loads, so nothing
//! a tool declares goes silently unchecked. Nesting is limited to 16 levels.

use serde_json::{Map, Value};

/// Deepest nesting of schemas accepted.
const MAX_DEPTH: usize = 16;

/// A JSON type name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonType {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Null,
}

impl JsonType {
    fn from_name(name: &str) -> Option<JsonType> {
        Some(match name {
            "object" => JsonType::Object,
            "array" => JsonType::Array,
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            "null" => JsonType::Null,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Null => "null",
        }
    }

    fn matches(self, value: &Value) -> bool {
        match self {
            JsonType::Object => value.is_object(),
            JsonType::Array => value.is_array(),
            JsonType::String => value.is_string(),
            // JSON Schema counts 1.0 as an integer.
            JsonType::Integer => {
                value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
            }
            JsonType::Number => value.is_number(),
            JsonType::Boolean => value.is_boolean(),
            JsonType::Null => value.is_null(),
        }
    }
}

/// One parsed schema node.
#[derive(Debug, Clone, PartialEq, Default)]
struct Node {
    types: Vec<JsonType>,
    enum_values: Option<Vec<Value>>,
    properties: Vec<(String, Node)>,
    required: Vec<String>,
    additional_properties: bool,
    items: Option<Box<Node>>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    minimum: Option<f64>,
    maximum: Option<f64>,
}

/// A checked schema, ready to validate documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    root: Node,
}

impl Schema {
    /// Parses a schema, refusing keywords outside the supported subset. The
    /// error names the keyword and its JSON pointer.
    pub fn parse(text: &str) -> Result<Schema, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))?;
        Ok(Schema {
            root: parse_node(&value, "", 0)?,
        })
    }

    /// Validates a document; the error is the first violation found, with
    /// its JSON pointer (`/evidence_for/2: ...`).
    pub fn validate(&self, document: &Value) -> Result<(), String> {
        let mut pointer = String::new();
        validate_node(&self.root, document, &mut pointer)
    }
}

fn parse_node(value: &Value, pointer: &str, depth: usize) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{pointer}: nested deeper than {MAX_DEPTH} levels"));
    }
    let object = match value {
        Value::Object(object) => object,
        Value::Bool(true) => {
            return Ok(Node {
                additional_properties: true,
                ..Node::default()
            });
        }
        _ => return Err(format!("{pointer}: a schema must be an object or true")),
    };
    let mut node = Node {
        additional_properties: true,
        ..Node::default()
    };
    for (keyword, argument) in object {
        let at = format!("{pointer}/{keyword}");
        match keyword.as_str() {
            "$schema" | "$id" | "$comment" | "title" | "description" | "default" | "examples" => {}
            "type" => node.types = parse_types(argument, &at)?,
            "enum" => {
                let values = argument
                    .as_array()
                    .ok_or_else(|| format!("{at}: must be an array"))?;
                node.enum_values = Some(values.clone());
            }
            "const" => node.enum_values = Some(vec![argument.clone()]),
            "properties" => node.properties = parse_properties(argument, &at, depth)?,
            "required" => {
                node.required = argument
                    .as_array()
                    .and_then(|names| {
                        names
                            .iter()
                            .map(|name| name.as_str().map(str::to_owned))
                            .collect::<Option<Vec<_>>>()
                    })
                    .ok_or_else(|| format!("{at}: must be an array of strings"))?;
            }
            "additionalProperties" => {
                node.additional_properties = argument.as_bool().ok_or_else(|| {
                    format!("{at}: only true or false is supported, not a schema")
                })?;
            }
            "items" => node.items = Some(Box::new(parse_node(argument, &at, depth + 1)?)),
            "minItems" => node.min_items = Some(parse_count(argument, &at)?),
            "maxItems" => node.max_items = Some(parse_count(argument, &at)?),
            "minLength" => node.min_length = Some(parse_count(argument, &at)?),
            "maxLength" => node.max_length = Some(parse_count(argument, &at)?),
            "minimum" => node.minimum = Some(parse_number(argument, &at)?),
            "maximum" => node.maximum = Some(parse_number(argument, &at)?),
            _ => return Err(format!("{at}: keyword '{keyword}' is not supported")),
        }
    }
    Ok(node)
}

fn parse_types(argument: &Value, at: &str) -> Result<Vec<JsonType>, String> {
    let names: Vec<&str> = match argument {
        Value::String(name) => vec![name.as_str()],
        Value::Array(names) => names
            .iter()
            .map(Value::as_str)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("{at}: must be a type name or a list of them"))?,
        _ => return Err(format!("{at}: must be a type name or a list of them")),
    };
    names
        .into_iter()
        .map(|name| JsonType::from_name(name).ok_or_else(|| format!("{at}: unknown type '{name}'")))
        .collect()
}

fn parse_properties(
    argument: &Value,
    at: &str,
    depth: usize,
) -> Result<Vec<(String, Node)>, String> {
    let properties: &Map<String, Value> = argument
        .as_object()
        .ok_or_else(|| format!("{at}: must be an object"))?;
    properties
        .iter()
        .map(|(name, schema)| {
            let node = parse_node(schema, &format!("{at}/{name}"), depth + 1)?;
            Ok((name.clone(), node))
        })
        .collect()
}

fn parse_count(argument: &Value, at: &str) -> Result<u64, String> {
    argument
        .as_u64()
        .ok_or_else(|| format!("{at}: must be a non-negative integer"))
}

fn parse_number(argument: &Value, at: &str) -> Result<f64, String> {
    argument
        .as_f64()
        .ok_or_else(|| format!("{at}: must be a number"))
}

/// Validates `value` against `node`; `pointer` is the value's JSON pointer,
/// extended and restored while descending so no path string is built unless
/// there is an error.
fn validate_node(node: &Node, value: &Value, pointer: &mut String) -> Result<(), String> {
    let at = |pointer: &str| {
        if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        }
    };
    if !node.types.is_empty() && !node.types.iter().any(|t| t.matches(value)) {
        let names: Vec<&str> = node.types.iter().map(|t| t.name()).collect();
        return Err(format!("{}: expected {}", at(pointer), names.join(" or ")));
    }
    if let Some(allowed) = &node.enum_values
        && !allowed.contains(value)
    {
        return Err(format!(
            "{}: value is not one of the allowed values",
            at(pointer)
        ));
    }
    match value {
        Value::Object(object) => {
            for name in &node.required {
                if !object.contains_key(name) {
                    return Err(format!(
                        "{}: missing required property '{name}'",
                        at(pointer)
                    ));
                }
            }
            for (name, property) in object {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(name);
                match node.properties.iter().find(|(known, _)| known == name) {
                    Some((_, child)) => validate_node(child, property, pointer)?,
                    None if !node.additional_properties => {
                        return Err(format!("{pointer}: property is not allowed"));
                    }
                    None => {}
                }
                pointer.truncate(length);
            }
        }
        Value::Array(items) => {
            let count = items.len() as u64;
            if node.min_items.is_some_and(|min| count < min) {
                return Err(format!(
                    "{}: fewer than {} items",
                    at(pointer),
                    node.min_items.unwrap_or(0)
                ));
            }
            if let Some(max) = node.max_items.filter(|max| count > *max) {
                return Err(format!("{}: more than {max} items", at(pointer)));
            }
            if let Some(child) = &node.items {
                for (index, item) in items.iter().enumerate() {
                    let length = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    validate_node(child, item, pointer)?;
                    pointer.truncate(length);
                }
            }
        }
        Value::String(text) => {
            let length = text.chars().count() as u64;
            if let Some(min) = node.min_length.filter(|min| length < *min) {
                return Err(format!("{}: shorter than {min} characters", at(pointer)));
            }
            if let Some(max) = node.max_length.filter(|max| length > *max) {
                return Err(format!("{}: longer than {max} characters", at(pointer)));
            }
        }
        Value::Number(number) => {
            let number = number.as_f64().unwrap_or(f64::NAN);
            if let Some(min) = node.minimum.filter(|min| number.is_nan() || number < *min) {
                return Err(format!("{}: below the minimum of {min}", at(pointer)));
            }
            if let Some(max) = node.maximum.filter(|max| number.is_nan() || number > *max) {
                return Err(format!("{}: above the maximum of {max}", at(pointer)));
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
    Ok(())
}
