//! The verdict in plain words: what the page's banner and the PDF's first section say.
//!
//! Both must say the same sentence for the same report (a customer compares the PDF with
//! the page they were shown), so the words are built here once, from report fields only,
//! and each surface only lays them out.

use crate::display::{days, significant};
use crate::report::{BacklogKind, Report};

/// The verdict of a report, sentence by sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictText {
    /// No path saturates in any month of the horizon.
    pub feasible: bool,
    /// Feasible or not, and if not, which path saturates first, when, and the ports it
    /// needs against those planned.
    pub headline: String,
    /// How long the first copy takes, or that it never finishes.
    pub seeding: String,
    /// Each path whose backlog does not keep up, in the first and the last month, named
    /// (with several paths, "2029-12: falls behind…" alone does not say which).
    pub details: Vec<String>,
}

/// Words the verdict of `report`.
///
/// ```
/// use lakeplan_models::{presets, report::compute_priced, verdict::verdict};
///
/// let s = presets::reference().scenario().unwrap();
/// let v = verdict(&compute_priced(&s).unwrap());
/// assert!(!v.feasible);
/// assert!(v.headline.starts_with("Not feasible: cloud → Region 1 saturates in 2026-01."));
/// ```
pub fn verdict(report: &Report) -> VerdictText {
    let s = &report.summary;
    let headline = match (&s.first_infeasible_month, &s.first_infeasible_path) {
        (None, _) => {
            let last = report
                .months
                .last()
                .map(|l| l.month.to_string())
                .unwrap_or_default();
            format!("Feasible: the planned links carry the change through {last}.")
        }
        (Some(m), Some(p)) => {
            let idx = report
                .months
                .first()
                .and_then(|m0| m0.paths.iter().position(|x| *x.name == **p))
                .unwrap_or(0);
            let planned = report
                .months
                .first()
                .and_then(|m0| m0.paths.get(idx))
                .map_or(0, |x| x.ports);
            // What the path needs when it saturates, and the most any later month needs:
            // the second is what a plan must order, the first what the customer sees first.
            let need_at =
                |row: &crate::report::MonthRow| row.paths.get(idx).map_or(0, |x| x.ports_needed);
            let then = report
                .months
                .iter()
                .find(|row| row.month == *m)
                .map_or(0, need_at);
            let most = report.max_ports_needed(idx);
            let most_month = report
                .months
                .iter()
                .find(|row| need_at(row) == most)
                .map(|row| row.month);
            match most_month {
                Some(when) if most > then => format!(
                    "Not feasible: {p} saturates in {m}. It needs {then} ports then and {most} by {when}, where {planned} are planned."
                ),
                _ => format!(
                    "Not feasible: {p} saturates in {m}. It needs {most} ports where {planned} are planned."
                ),
            }
        }
        (Some(m), None) => format!("Not feasible from {m}."),
    };
    let seeding = match s.seed_days {
        Some(d) if s.seed_pb > 0.0 => format!(
            "The first copy of {} PB takes {} days.",
            significant(s.seed_pb, 3),
            days(d)
        ),
        Some(_) => "No first copy to seed over the network.".to_string(),
        None => format!(
            "The first copy of {} PB never finishes: the links have no headroom left after the daily change.",
            significant(s.seed_pb, 3)
        ),
    };
    let details = s
        .verdicts
        .iter()
        .filter(|v| v.backlog != BacklogKind::KeepsUp)
        .map(|v| format!("{}, {}: {}", v.month, v.path, v.text))
        .collect();
    VerdictText {
        feasible: s.first_infeasible_month.is_none(),
        headline,
        seeding,
        details,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::presets;
    use crate::report::compute_priced;

    fn report_of(json: &str) -> Report {
        compute_priced(&crate::scenario::Scenario::parse(json).unwrap()).unwrap()
    }

    fn preset(id: &str) -> Report {
        compute_priced(&presets::get(id).unwrap().scenario().unwrap()).unwrap()
    }

    /// The reference case: 45 PB/day is 4 166.7 Gbps sustained, more than 50 × 100 G ports
    /// carry at 80 %, so the cloud path saturates in the first month (53 ports needed
    /// then). The sentence names the most ports any month needs, what a plan must order:
    /// 89 by the last month, as the lake grows toward 770 PB. The seed can never finish:
    /// no headroom is left.
    #[test]
    fn the_reference_case_saturates_in_its_first_month() {
        let r = preset(presets::REFERENCE);
        assert_eq!(r.months[0].paths[0].ports_needed, 53);
        assert_eq!(r.max_ports_needed(0), 89);
        let v = verdict(&r);
        assert!(!v.feasible);
        assert_eq!(
            v.headline,
            "Not feasible: cloud → Region 1 saturates in 2026-01. It needs 53 ports then and 89 by 2029-12, where 50 are planned."
        );
        assert_eq!(
            v.seeding,
            "The first copy of 450 PB never finishes: the links have no headroom left after the daily change."
        );
        assert!(!v.details.is_empty());
        assert!(
            v.details[0].starts_with("2026-01, cloud → Region 1: falls behind by "),
            "{:?}",
            v.details
        );
    }

    #[test]
    fn enough_ports_everywhere_is_feasible_through_the_last_month() {
        let mut doc: serde_json::Value = serde_json::from_str(presets::reference().json).unwrap();
        doc["links"]["cloud"]["ports"] = 200.into();
        doc["links"]["inter_site"]["ports"] = 200.into();
        let r = report_of(&doc.to_string());
        let v = verdict(&r);
        assert!(v.feasible);
        // 48 months from 2026-01.
        assert_eq!(
            v.headline,
            "Feasible: the planned links carry the change through 2029-12."
        );
        // The seed goes at the slowest path's spare capacity; its days come from the
        // report and are worded with `display::days`.
        let d = r.summary.seed_days.unwrap();
        assert_eq!(
            v.seeding,
            format!("The first copy of 450 PB takes {} days.", days(d))
        );
        assert!(v.details.is_empty(), "{:?}", v.details);
    }

    #[test]
    fn no_seed_says_so() {
        let mut doc: serde_json::Value =
            serde_json::from_str(presets::get("two-cluster-pilot").unwrap().json).unwrap();
        doc["network"]["seed_pb"] = 0.into();
        let v = verdict(&report_of(&doc.to_string()));
        assert_eq!(v.seeding, "No first copy to seed over the network.");
    }
}
