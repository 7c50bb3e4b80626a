//! The key figures: the same cards, labels and rounding as the page's (`app/src/results.rs`,
//! `KeyFigures`, in its default units: Gbps and PB), so a figure read from the PDF matches
//! the one shown on screen. Every value is a report field, formatted by
//! `lakeplan_models::display`.

use lakeplan_models::display::{grouped, significant, usd_short};
use lakeplan_models::report::Report;

/// One key-figure card.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub unit: &'static str,
    pub note: String,
}

/// The cards, the headline (sustained replication rate) first. Empty for a report with
/// no months.
pub fn key_figures(r: &Report) -> Vec<Figure> {
    let Some(first) = r.months.first() else {
        return Vec::new();
    };
    let last = r.months.last().unwrap_or(first);
    let rate = |gbps: f64| grouped(gbps, 1);
    let capacity = |pb: f64| significant(pb, 4);
    let cloud = first.paths.first();
    let ports_needed = r.max_ports_needed(0);
    let streams = cloud.map_or(0, |p| p.streams_needed);
    let total_egress = r.own_topology().map_or(0.0, |t| t.egress_usd);
    let mut cards = vec![
        Figure {
            label: "Sustained replication rate".into(),
            value: rate(first.sustained_gbps),
            unit: "Gbps",
            note: format!(
                "{} PB/day changes in {}; {} Gbps by {}",
                grouped(first.daily_change_pb, 2),
                first.month,
                rate(last.sustained_gbps),
                last.month
            ),
        },
        Figure {
            label: "Busy-day peak".into(),
            value: rate(first.peak_gbps),
            unit: "Gbps",
            note: String::new(),
        },
        Figure {
            label: "Daily change".into(),
            value: grouped(first.daily_change_pb, 2),
            unit: "PB/day",
            note: String::new(),
        },
        Figure {
            label: "Lake".into(),
            value: format!("{} → {}", capacity(first.lake_pb), capacity(last.lake_pb)),
            unit: "PB",
            note: r
                .summary
                .implied_cagr
                .map(|g| format!("{} % a year", grouped(g * 100.0, 2)))
                .unwrap_or_default(),
        },
        Figure {
            label: "Cloud ports needed".into(),
            value: grouped(ports_needed as f64, 0),
            unit: "ports",
            note: cloud
                .map(|p| {
                    format!(
                        "{} planned, {} % of the wire used at the start",
                        p.ports,
                        grouped(p.utilization * 100.0, 1)
                    )
                })
                .unwrap_or_default(),
        },
        Figure {
            label: "TCP streams needed".into(),
            value: grouped(streams as f64, 0),
            unit: "streams",
            note: cloud
                .map(|p| format!("{} Gbps per stream", grouped(p.per_stream_gbps, 3)))
                .unwrap_or_default(),
        },
        Figure {
            label: "Cloud egress, whole horizon".into(),
            value: usd_short(total_egress),
            unit: "",
            note: format!("{} in {}", usd_short(first.egress_usd), first.month),
        },
        Figure {
            label: "Total cost, whole horizon".into(),
            value: usd_short(r.summary.total_cost_usd),
            unit: "",
            note: r
                .summary
                .usd_per_effective_tb_month
                .map(|v| format!("${} per effective TB-month", grouped(v, 2)))
                .unwrap_or_default(),
        },
    ];
    cards.extend(first.sites.iter().zip(&last.sites).map(|(a, b)| Figure {
        label: format!("Enclosures, {}", b.name),
        value: format!(
            "{} → {}",
            grouped(a.enclosures as f64, 0),
            grouped(b.enclosures as f64, 0)
        ),
        unit: "",
        note: format!(
            "{} nodes, {} racks by {}",
            grouped(b.nodes as f64, 0),
            b.racks,
            last.month
        ),
    }));
    cards
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use lakeplan_models::presets;
    use lakeplan_models::report::compute_priced;

    /// The reference case's day-one figures: 10 % of 450 PB is 45 PB/day, 45 × 10^15 × 8
    /// bits over 86 400 s = 4 166.7 Gbps.
    #[test]
    fn the_reference_cards_read_as_on_the_page() {
        let s = presets::reference().scenario().unwrap();
        let cards = key_figures(&compute_priced(&s).unwrap());
        assert_eq!(cards[0].label, "Sustained replication rate");
        assert_eq!(cards[0].value, "4\u{2009}166.7");
        assert_eq!(cards[2].value, "45.00");
        assert_eq!(cards[4].value, "89");
        assert!(cards[4].note.starts_with("50 planned"));
        let labels: Vec<&str> = cards.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels[8..],
            ["Enclosures, Region 1", "Enclosures, Region 2"]
        );
    }
}
