//! What a price book does to a saved proposal: its total cost under the book it is pinned
//! to and under another, line by line. The pricing team runs it over every open proposal
//! before publishing a book (`GET /api/price-books/{id}/impact`).

use crate::library::Library;
use crate::report::{compute_priced_in, Costs, Report};
use crate::reprice::{pin_in, to_book};
use crate::scenario::{Scenario, ScenarioErrors};

/// The cost lines of a report, in the order the report's tables show them.
pub const LINES: [&str; 8] = [
    "egress", "requests", "ports", "licence", "hardware", "support", "power", "space",
];

/// One scenario under two books.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The book it is pinned to (the library's newest when it names none).
    pub from: String,
    pub old_total: f64,
    pub new_total: f64,
    /// `(line, old, new)` for each line of [`LINES`] whose horizon total differs.
    pub moved: Vec<(&'static str, f64, f64)>,
}

impl Effect {
    pub fn difference(&self) -> f64 {
        self.new_total - self.old_total
    }

    /// The difference as a percentage of the old total; `None` when that is 0.
    pub fn percent(&self) -> Option<f64> {
        (self.old_total != 0.0).then(|| 100.0 * self.difference() / self.old_total)
    }
}

/// Prices `scenario` with its own book and with `to`, both from `library`.
pub fn effect(
    library: &dyn Library,
    scenario: &Scenario,
    to: &str,
) -> Result<Effect, ScenarioErrors> {
    let mut pinned = scenario.clone();
    pin_in(library, &mut pinned);
    let before = compute_priced_in(library, &pinned)?;
    let after = if to == pinned.pricing.price_book {
        before.clone()
    } else {
        compute_priced_in(library, &to_book(&pinned, to))?
    };
    let (old, new) = (line_totals(&before), line_totals(&after));
    let moved = LINES
        .iter()
        .zip(old.iter().zip(&new))
        .filter(|(_, (a, b))| a != b)
        .map(|(line, (a, b))| (*line, *a, *b))
        .collect();
    Ok(Effect {
        from: pinned.pricing.price_book,
        old_total: before.summary.total_cost_usd,
        new_total: after.summary.total_cost_usd,
        moved,
    })
}

/// Each line of [`LINES`] summed over the report's years.
fn line_totals(report: &Report) -> [f64; 8] {
    let mut sums = [0.0; 8];
    for year in &report.years {
        let Costs {
            egress,
            requests,
            ports,
            licence,
            hardware,
            support,
            power,
            space,
            ..
        } = year.cost_usd;
        for (sum, v) in sums.iter_mut().zip([
            egress, requests, ports, licence, hardware, support, power, space,
        ]) {
            *sum += v;
        }
    }
    sums
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::library::Builtin;
    use crate::presets::reference_scenario;

    #[test]
    fn a_scenario_under_its_own_book_moves_nothing() {
        let s = reference_scenario();
        let e = effect(&Builtin, &s, "2026-11").unwrap();
        assert_eq!(e.from, "2026-11");
        assert_eq!(e.old_total, e.new_total);
        assert!(e.moved.is_empty());
        assert_eq!(e.percent(), Some(0.0));
        let total = crate::report::compute_priced(&s)
            .unwrap()
            .summary
            .total_cost_usd;
        assert_eq!(e.old_total, total);
        let lines: f64 = line_totals(&crate::report::compute_priced(&s).unwrap())
            .iter()
            .sum();
        assert!((lines - total).abs() < 1e-6 * total, "{lines} vs {total}");
    }

    #[test]
    fn an_unknown_book_names_the_field() {
        let e = effect(&Builtin, &reference_scenario(), "pb-nowhere").unwrap_err();
        assert_eq!(e.0[0].path, "pricing.price_book");
    }
}
