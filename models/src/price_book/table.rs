//! The CSV reader that price books and the catalog share.
//!
//! It checks the header against the columns expected (a misspelt column would otherwise
//! read as blank in every row) and gives typed readers for cells, each turning a bad cell
//! into an error that names the file, line, row id and column.

use std::collections::BTreeMap;

use super::PriceBookError;
use crate::calendar::Date;

/// A CSV file read into records, with its columns checked against the expected set: a
/// misspelt column would otherwise read as blank everywhere.
pub(super) struct Table<'a> {
    file: &'a str,
    columns: BTreeMap<&'static str, usize>,
    records: Vec<csv::StringRecord>,
}

impl<'a> Table<'a> {
    pub(super) fn read(
        file: &'a str,
        text: &str,
        expected: &[&'static str],
    ) -> Result<Table<'a>, PriceBookError> {
        let malformed = |message: String| PriceBookError::Malformed {
            file: file.into(),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| malformed(format!("cannot read the header: {e}")))?
            .clone();
        let mut columns = BTreeMap::new();
        for (i, name) in header.iter().enumerate() {
            let Some(&known) = expected.iter().find(|&&c| c == name) else {
                return Err(malformed(format!(
                    "unknown column \"{name}\"; expected: {}",
                    expected.join(", ")
                )));
            };
            if columns.insert(known, i).is_some() {
                return Err(malformed(format!("column \"{name}\" appears twice")));
            }
        }
        if let Some(missing) = expected.iter().find(|c| !columns.contains_key(*c)) {
            return Err(malformed(format!("missing column \"{missing}\"")));
        }
        let records = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => malformed(format!(
                        "line {line}: {len} fields, but the header has {expected_len}"
                    )),
                    _ => malformed(format!("line {line}: {e}")),
                }
            })?;
        Ok(Table {
            file,
            columns,
            records,
        })
    }

    /// Each record's cells, in file order.
    pub(super) fn records(&self) -> impl Iterator<Item = Cells<'_>> {
        self.records.iter().map(|record| Cells {
            file: self.file,
            columns: &self.columns,
            record,
            line: record.position().map_or(0, |p| p.line()),
        })
    }
}

/// One record's cells, with readers that turn a bad cell into an error naming the file,
/// line, row id and column.
pub(super) struct Cells<'r> {
    file: &'r str,
    columns: &'r BTreeMap<&'static str, usize>,
    record: &'r csv::StringRecord,
    /// The record's line in the file, for messages.
    pub(super) line: u64,
}

impl<'r> Cells<'r> {
    pub(super) fn text(&self, column: &str) -> &'r str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
    }

    pub(super) fn error(&self, column: &str, message: impl Into<String>) -> PriceBookError {
        let id = self.text("id");
        PriceBookError::Cell {
            file: self.file.into(),
            line: self.line,
            row: if id.is_empty() {
                "(no id)".into()
            } else {
                id.into()
            },
            column: column.into(),
            message: message.into(),
        }
    }

    /// The row id: lowercase letters, digits, `.` and `-`, so it reads the same in a CSV,
    /// a JSON key (`pricing.overrides.<id>`) and a URL.
    pub(super) fn id(&self) -> Result<&'r str, PriceBookError> {
        let id = self.required("id")?;
        let ok = id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '.' || ch == '-')
            && !id.starts_with('.')
            && !id.ends_with('.')
            && !id.contains("..");
        if ok {
            Ok(id)
        } else {
            Err(self.error(
                "id",
                format!("\"{id}\" must be lowercase a-z, 0-9, '.' and '-', dot-separated"),
            ))
        }
    }

    pub(super) fn required(&self, column: &str) -> Result<&'r str, PriceBookError> {
        let text = self.text(column);
        if text.is_empty() {
            Err(self.error(column, "is required"))
        } else {
            Ok(text)
        }
    }

    /// A required cell where `-` states "not applicable", so a blank is never ambiguous.
    pub(super) fn dash_or(&self, column: &str) -> Result<Option<&'r str>, PriceBookError> {
        match self.required(column)? {
            "-" => Ok(None),
            text => Ok(Some(text)),
        }
    }

    pub(super) fn word<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        known: fn() -> String,
    ) -> Result<T, PriceBookError> {
        let text = self.required(column)?;
        parse(text).ok_or_else(|| {
            self.error(
                column,
                format!("unknown {column} \"{text}\"; expected one of: {}", known()),
            )
        })
    }

    pub(super) fn number(&self, column: &str) -> Result<f64, PriceBookError> {
        let text = self.required(column)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.error(column, format!("must be a number, got \"{text}\""))),
        }
    }

    pub(super) fn optional_number(&self, column: &str) -> Result<Option<f64>, PriceBookError> {
        if self.text(column).is_empty() {
            return Ok(None);
        }
        let v = self.number(column)?;
        if v < 0.0 {
            return Err(self.error(column, format!("must be ≥ 0, got {v}")));
        }
        Ok(Some(v))
    }

    pub(super) fn positive(&self, column: &str) -> Result<f64, PriceBookError> {
        let v = self.number(column)?;
        if v > 0.0 {
            Ok(v)
        } else {
            Err(self.error(column, format!("must be > 0, got {v}")))
        }
    }

    pub(super) fn count(&self, column: &str) -> Result<u32, PriceBookError> {
        let text = self.required(column)?;
        match text.parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(self.error(
                column,
                format!("must be a whole number > 0, got \"{text}\""),
            )),
        }
    }

    pub(super) fn date(&self, column: &str) -> Result<Date, PriceBookError> {
        Date::parse(self.required(column)?).map_err(|m| self.error(column, m))
    }

    /// Rejects values in columns that do not apply to this row's kind: a figure there was
    /// meant for something and would otherwise be silently ignored.
    pub(super) fn blank(&self, columns: &[&str], kind: &str) -> Result<(), PriceBookError> {
        match columns.iter().find(|c| !self.text(c).is_empty()) {
            Some(c) => Err(self.error(c, format!("does not apply to {kind}; leave it blank"))),
            None => Ok(()),
        }
    }
}
