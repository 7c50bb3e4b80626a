//! Tiered prices: the rows of one tier group form one price, each row a band of the
//! quantity its unit counts (`Unit::tier_measure`).
//!
//! Egress and licensed capacity are graduated (each band's rate applies to the part of the
//! volume inside it); a term discount is a bracket (the term picks one row). The parser
//! checks each group is contiguous from 0 with only the last tier open, because a gap would
//! leave volume unpriced and an overlap would price it twice.

use std::collections::BTreeMap;

use super::table::Cells;
use super::{PriceBookError, PriceRow, Unit};

/// Where a row sits in a tiered price.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tier {
    /// The rows sharing this name form one price.
    pub group: String,
    /// Lower bound, in the unit's [`Unit::tier_measure`].
    pub from: f64,
    /// Upper bound; `None` for the last, open tier.
    pub to: Option<f64>,
}

impl Tier {
    /// Whether `at` falls in `[from, to)`.
    pub fn contains(&self, at: f64) -> bool {
        at >= self.from && self.to.is_none_or(|to| at < to)
    }
}

/// How the tiers of a group are read, fixed by the unit so that data cannot mix the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierReading {
    /// Each tier's rate applies to the part of the volume inside it (egress, licensed TB).
    Graduated,
    /// The quantity picks one tier, whose value applies to the whole (term discounts).
    Bracket,
}

/// Reads the three tier cells: all blank (a flat price) or a group with a lower bound.
pub(super) fn parse_tier(c: &Cells<'_>, unit: Unit) -> Result<Option<Tier>, PriceBookError> {
    let group = c.text("tier_group");
    let from = c.optional_number("tier_from")?;
    let to = c.optional_number("tier_to")?;
    if group.is_empty() {
        return if from.is_none() && to.is_none() {
            Ok(None)
        } else {
            Err(c.error("tier_group", "tier bounds given without a tier_group"))
        };
    }
    if unit.tier_measure().is_none() {
        return Err(c.error("tier_group", format!("prices in {unit} cannot be tiered")));
    }
    let from = from.ok_or_else(|| c.error("tier_from", "a tier needs a lower bound"))?;
    if let Some(to) = to {
        if to <= from {
            return Err(c.error(
                "tier_to",
                format!("must be above tier_from ({from}), got {to}"),
            ));
        }
    }
    Ok(Some(Tier {
        group: group.to_string(),
        from,
        to,
    }))
}

/// Checks each tier group, in file order: one unit and scope, starting at 0, each tier
/// starting where the last ended, only the last open (the module doc says why).
/// Every group's first problem is reported, so a file with two broken groups is fixed in
/// one pass.
pub(super) fn check_tiers(file: &str, rows: &[PriceRow]) -> Vec<PriceBookError> {
    let mut groups: BTreeMap<&str, Vec<&PriceRow>> = BTreeMap::new();
    for row in rows {
        if let Some(t) = &row.tier {
            groups.entry(t.group.as_str()).or_default().push(row);
        }
    }
    groups
        .into_iter()
        .filter_map(|(group, members)| check_group(file, group, &members).err())
        .collect()
}

fn check_group(file: &str, group: &str, members: &[&PriceRow]) -> Result<(), PriceBookError> {
    let err = |row: &PriceRow, column: &str, message: String| {
        let tier = row.tier.as_ref();
        let value = match column {
            "tier_from" => tier.map(|t| t.from.to_string()),
            "tier_to" => tier.and_then(|t| t.to).map(|to| to.to_string()),
            _ => tier.map(|t| t.group.clone()),
        };
        PriceBookError::cell(
            file,
            row.line,
            &row.id,
            column,
            value.unwrap_or_default(),
            message,
        )
    };
    {
        let mut previous: Option<(&PriceRow, &Tier)> = None;
        for &row in members {
            let Some(tier) = &row.tier else { continue };
            match previous {
                None if tier.from != 0.0 => {
                    return Err(err(
                        row,
                        "tier_from",
                        format!(
                            "the first tier of {group} must start at 0, got {}",
                            tier.from
                        ),
                    ))
                }
                None => {}
                Some((prev, prev_tier)) => {
                    let first = members[0];
                    if (row.unit, row.provider, row.category, &row.region, row.path)
                        != (
                            first.unit,
                            first.provider,
                            first.category,
                            &first.region,
                            first.path,
                        )
                    {
                        return Err(err(
                            row,
                            "tier_group",
                            format!(
                                "rows of {group} must share unit, provider, category, region \
                                 and path with row {}",
                                first.id
                            ),
                        ));
                    }
                    let Some(prev_to) = prev_tier.to else {
                        return Err(err(
                            row,
                            "tier_from",
                            format!("follows the open-ended tier of row {} in {group}", prev.id),
                        ));
                    };
                    if tier.from < prev_to {
                        return Err(err(
                            row,
                            "tier_from",
                            format!(
                                "{} overlaps row {}, which runs to {prev_to}",
                                tier.from, prev.id
                            ),
                        ));
                    }
                    if tier.from > prev_to {
                        return Err(err(
                            row,
                            "tier_from",
                            format!(
                                "{} leaves a gap after row {}, which ends at {prev_to}",
                                tier.from, prev.id
                            ),
                        ));
                    }
                }
            }
            previous = Some((row, tier));
        }
        if let Some((last, tier)) = previous {
            if tier.to.is_some() {
                return Err(err(
                    last,
                    "tier_to",
                    format!(
                        "the last tier of {group} must be open (blank) so every volume has a price"
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::price_book::tests::{book, builtin, message, tier};

    #[test]
    fn a_term_picks_one_discount_bracket() {
        let b = builtin();
        let g = "licence.core-plus-capacity.term";
        assert!(b.row(g).is_err(), "a tier group is not a row id");
        assert_eq!(Unit::PercentOff.tier_reading(), Some(TierReading::Bracket));
        assert_eq!(b.tier_containing(g, 1.0).unwrap().value, 0.0);
        assert_eq!(b.tier_containing(g, 3.0).unwrap().value, 10.0);
        assert_eq!(b.tier_containing(g, 4.0).unwrap().value, 10.0);
        assert_eq!(b.tier_containing(g, 5.0).unwrap().value, 20.0);
        assert_eq!(b.tier_containing(g, 10.0).unwrap().value, 20.0);
        assert!(b.tiers("nope").is_err());
    }

    #[test]
    fn overlapping_tiers_are_refused() {
        let rows = tier("t.1", "0", "10000", "0.09") + &tier("t.2", "5000", "", "0.05");
        assert_eq!(
            message(book(&rows).unwrap_err()),
            "inline.csv line 3, row t.2, column tier_from: 5000 overlaps row t.1, which runs to 10000"
        );
    }

    #[test]
    fn gaps_unordered_or_closed_tiers_are_refused() {
        let gap = tier("t.1", "0", "10", "0.09") + &tier("t.2", "20", "", "0.05");
        assert!(message(book(&gap).unwrap_err()).contains("leaves a gap after row t.1"));
        let late_start = tier("t.1", "5", "", "0.09");
        assert!(message(book(&late_start).unwrap_err()).contains("must start at 0"));
        let closed = tier("t.1", "0", "10", "0.09");
        assert!(message(book(&closed).unwrap_err())
            .contains("column tier_to: the last tier of g must be open"));
        let after_open = tier("t.1", "0", "", "0.09") + &tier("t.2", "10", "", "0.05");
        assert!(message(book(&after_open).unwrap_err()).contains("follows the open-ended tier"));
        let inverted = tier("t.1", "10", "5", "0.09");
        assert!(message(book(&inverted).unwrap_err())
            .contains("column tier_to: must be above tier_from"));
        let no_group = "x.y,gcp,egress,I,-,internet,usd_per_gib,0,10,,0.1,,p,2026-11-01,list,\n";
        assert!(message(book(no_group).unwrap_err()).contains("without a tier_group"));
        let hourly = "x.y,gcp,port,I,-,internet,usd_per_hour,0,,g,0.1,,p,2026-11-01,list,\n";
        assert!(message(book(hourly).unwrap_err()).contains("usd_per_hour cannot be tiered"));
        let mixed = tier("t.1", "0", "10", "0.09")
            + "t.2,aws,egress,Tier,us-east-1,internet,usd_per_gib,10,,g,0.05,,p,2026-11-01,list,\n";
        assert!(message(book(&mixed).unwrap_err()).contains("must share unit"));
    }
}
