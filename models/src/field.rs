//! Errors that name the input at fault.
//!
//! Every surface (the form, the API, the CLI) shows a bad value next to the field it came
//! from, so the model reports the field's JSON path (`lake.initial_pb`) together with the
//! range it allows and the value it got, and collects all such errors rather than the first.

use std::fmt;

/// One input that is out of its allowed range.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's JSON path in the scenario file, e.g. `change.value`.
    pub path: String,
    /// What the field allows and what it got, e.g. `must be > 0, got -5`.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path, self.message)
    }
}

impl FieldError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Checks `value > 0` and finite.
pub fn positive(path: &str, value: f64) -> Result<f64, FieldError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(FieldError::new(
            path,
            format!("must be > 0, got {}", show(value)),
        ))
    }
}

/// Checks `lo <= value <= hi` and finite.
pub fn within(path: &str, value: f64, lo: f64, hi: f64) -> Result<f64, FieldError> {
    if value.is_finite() && (lo..=hi).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::new(
            path,
            format!("must be between {lo} and {hi}, got {}", show(value)),
        ))
    }
}

/// Parses a number typed by a person: surrounding blanks and digit-group separators
/// (spaces, thin spaces, underscores, commas) are accepted because people paste figures
/// like "1 351.68" or "1,351.68"; anything else is an error naming the field.
pub fn parse_number(path: &str, text: &str) -> Result<f64, FieldError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{2009}' | '\u{202f}' | '\u{a0}' | '_' | ','))
        .collect();
    if cleaned.is_empty() {
        return Err(FieldError::new(path, "is required: enter a number"));
    }
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| FieldError::new(path, format!("must be a number, got \"{}\"", text.trim())))
}

fn show(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn errors_name_field_range_and_value() {
        let e = positive("lake.initial_pb", -5.0).unwrap_err();
        assert_eq!(e.to_string(), "lake.initial_pb must be > 0, got -5");
        let e = within("change.value", 120.0, 0.0, 100.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "change.value must be between 0 and 100, got 120"
        );
    }

    #[test]
    fn parses_grouped_numbers_and_rejects_junk() {
        assert_eq!(parse_number("x", " 1 351.68 ").unwrap(), 1351.68);
        assert_eq!(parse_number("x", "1,351.68").unwrap(), 1351.68);
        assert!(parse_number("x", "")
            .unwrap_err()
            .message
            .contains("required"));
        assert!(parse_number("x", "12abc")
            .unwrap_err()
            .message
            .contains("\"12abc\""));
        assert!(parse_number("x", "inf").is_err());
        assert!(parse_number("x", "NaN").is_err());
    }
}
