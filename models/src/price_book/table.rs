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
    /// The header's number of fields, which every record must have.
    width: usize,
    records: Vec<csv::StringRecord>,
}

impl<'a> Table<'a> {
    /// Reads the header and the records. Every problem with the header is reported at
    /// once (nothing else can be read without it); a record with the wrong number of fields
    /// is reported by [`Table::records`], so the other records are still checked.
    pub(super) fn read(
        file: &'a str,
        text: &str,
        expected: &[&'static str],
    ) -> Result<Table<'a>, Vec<PriceBookError>> {
        let malformed = |column: &str, message: String| PriceBookError::Malformed {
            file: file.into(),
            line: 1,
            column: column.into(),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| vec![malformed("", format!("cannot read the header: {e}"))])?
            .clone();
        let mut columns = BTreeMap::new();
        let mut errors = Vec::new();
        for (i, name) in header.iter().enumerate() {
            let Some(&known) = expected.iter().find(|&&c| c == name) else {
                errors.push(malformed(
                    name,
                    format!(
                        "unknown column \"{name}\"; expected: {}",
                        expected.join(", ")
                    ),
                ));
                continue;
            };
            if columns.insert(known, i).is_some() {
                errors.push(malformed(name, format!("column \"{name}\" appears twice")));
            }
        }
        for missing in expected.iter().filter(|c| !columns.contains_key(*c)) {
            errors.push(malformed(missing, format!("missing column \"{missing}\"")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut records = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => records.push(r),
                // Bad quoting or invalid UTF-8: the reader cannot find the next record
                // reliably, so reading stops here with what it found so far.
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    errors.push(PriceBookError::Malformed {
                        file: file.into(),
                        line,
                        column: String::new(),
                        message: format!("line {line}: {e}"),
                    });
                    break;
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table {
            file,
            columns,
            width: header.len(),
            records,
        })
    }

    /// Each record's cells, in file order; a record whose number of fields differs from
    /// the header's is an error naming its line.
    pub(super) fn records(&self) -> impl Iterator<Item = Result<Cells<'_>, PriceBookError>> {
        self.records.iter().map(|record| {
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != self.width {
                return Err(PriceBookError::Malformed {
                    file: self.file.into(),
                    line,
                    column: String::new(),
                    message: format!(
                        "line {line}: {} fields, but the header has {}",
                        record.len(),
                        self.width
                    ),
                });
            }
            Ok(Cells {
                file: self.file,
                record: Record::Csv {
                    columns: &self.columns,
                    record,
                },
                line,
            })
        })
    }
}

/// One record's cells, with readers that turn a bad cell into an error naming the file,
/// line, row id and column.
pub(super) struct Cells<'r> {
    file: &'r str,
    record: Record<'r>,
    /// The record's line in the file, for messages.
    pub(super) line: u64,
}

/// Where a record's cells come from: a CSV file, or a row as the API sends it (column →
/// text), which the browser reads without a CSV parser.
enum Record<'r> {
    Csv {
        columns: &'r BTreeMap<&'static str, usize>,
        record: &'r csv::StringRecord,
    },
    Map(&'r BTreeMap<String, String>),
}

impl<'r> Cells<'r> {
    /// A row given as its cells, `line` being where it stands in its file.
    pub(super) fn of_map(file: &'r str, line: u64, row: &'r BTreeMap<String, String>) -> Cells<'r> {
        Cells {
            file,
            record: Record::Map(row),
            line,
        }
    }

    pub(super) fn text(&self, column: &str) -> &'r str {
        match self.record {
            Record::Csv { columns, record } => columns
                .get(column)
                .and_then(|&i| record.get(i))
                .unwrap_or(""),
            Record::Map(row) => row.get(column).map_or("", |t| t.trim()),
        }
    }

    pub(super) fn error(&self, column: &str, message: impl Into<String>) -> PriceBookError {
        let id = self.text("id");
        PriceBookError::cell(
            self.file,
            self.line,
            if id.is_empty() { "(no id)" } else { id },
            column,
            self.text(column).into(),
            message.into(),
        )
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
