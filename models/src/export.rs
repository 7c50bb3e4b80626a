//! The names of the files made from a scenario: the report as CSV, the proposal as PDF,
//! the what-if tables. Made here, once, so that a file downloaded through the API and one
//! saved from the browser are named alike.
//!
//! The rules, in order:
//! - the scenario's name is lowercased and cut to ASCII letters and digits, every run of
//!   anything else becoming one dash, with no dash at either end: `Retail lakehouse — 2026`
//!   → `retail-lakehouse-2026`;
//! - at most 60 characters of it are kept, so the version and extension always fit a file
//!   name and the stem is still readable in a download bar;
//! - a name with nothing left (empty, or no ASCII letter or digit) becomes `scenario`;
//! - a saved version adds `-v<N>`; a scenario that is not saved, or is edited since it was
//!   (every export the browser makes from the planner), has no version and adds nothing,
//!   so a name with a version always means "exactly as saved";
//! - then `.<ext>`.
//!
//! ASCII only: every browser, file system and `Content-Disposition` header takes the name
//! as it is, and ASCII case mapping keeps Unicode's case tables out of the browser bundle.

/// Characters of the scenario's name kept at most.
const MAX_STEM: usize = 60;

/// The file name without its extension, for files that add what they hold
/// (`retail-lakehouse-2026-licence-plans.csv`). See the module doc for the rules.
///
/// ```
/// use lakeplan_models::export::file_stem;
/// assert_eq!(file_stem("Retail lakehouse — 2026", Some(3)), "retail-lakehouse-2026-v3");
/// assert_eq!(file_stem("Retail lakehouse — 2026", None), "retail-lakehouse-2026");
/// ```
pub fn file_stem(scenario_name: &str, version: Option<u64>) -> String {
    let mut slug = String::new();
    for c in scenario_name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= MAX_STEM {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let stem = if slug.is_empty() { "scenario" } else { slug };
    match version {
        Some(v) => format!("{stem}-v{v}"),
        None => stem.to_string(),
    }
}

/// The name of a file made from a scenario: `retail-lakehouse-2026-v3.csv` for version 3,
/// `retail-lakehouse-2026.csv` for a scenario with no saved version.
pub fn file_name(scenario_name: &str, version: Option<u64>, ext: &str) -> String {
    format!("{}.{ext}", file_stem(scenario_name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_slugs() {
        assert_eq!(
            file_name("Retail lakehouse — 2026", Some(3), "csv"),
            "retail-lakehouse-2026-v3.csv"
        );
        assert_eq!(file_name("", Some(1), "pdf"), "scenario-v1.pdf");
        assert_eq!(file_name("Ünïcödé", Some(1), "csv"), "n-c-d-v1.csv");
        assert_eq!(file_name("«»", Some(2), "csv"), "scenario-v2.csv");
        assert_eq!(
            file_name(&"a".repeat(200), Some(1), "csv").len(),
            "-v1.csv".len() + 60
        );
    }

    #[test]
    fn an_unsaved_scenario_has_no_version() {
        assert_eq!(
            file_name("On screen only", None, "pdf"),
            "on-screen-only.pdf"
        );
        assert_eq!(file_name("  --Pilot!! ", None, "csv"), "pilot.csv");
        assert_eq!(file_name("", None, "csv"), "scenario.csv");
        assert_eq!(
            file_stem("Pilot", None) + "-licence-plans.csv",
            "pilot-licence-plans.csv"
        );
    }
}
