//! The planner's inputs, one entry per scenario field, grouped as a planner thinks.
//!
//! The form is data so that every field gets the same treatment (its JSON path as `name`,
//! a unit beside it, its error beside it, a keyboard-reachable label) and so a field
//! cannot be forgotten: a test checks this list against the scenario's own fields.

/// How a field is typed and read back into the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number typed as text; group separators are accepted.
    Number,
    /// A month written `YYYY-MM`.
    Month,
    /// Free text.
    Text,
    /// One of a fixed list of (JSON value, label).
    Choice(&'static [(&'static str, &'static str)]),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldDef {
    pub path: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    /// Folded away under "More settings": a sensible default covers most meetings.
    pub advanced: bool,
}

const fn f(
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    kind: Kind,
) -> FieldDef {
    FieldDef {
        path,
        label,
        unit,
        help,
        kind,
        advanced: false,
    }
}

const fn adv(
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    kind: Kind,
) -> FieldDef {
    FieldDef {
        path,
        label,
        unit,
        help,
        kind,
        advanced: true,
    }
}

use Kind::{Choice, Month, Number, Text};

pub const CURVES: &[(&str, &str)] = &[
    ("compound", "Compound (steady % a year)"),
    ("linear", "Linear (steady PB a month)"),
    ("logistic", "S-curve"),
    ("points", "Dated points"),
];
pub const BASES: &[(&str, &str)] = &[
    ("percent_per_day", "% of the lake per day"),
    ("pb_per_day", "PB per day"),
    ("pb_per_month", "PB per month"),
];
pub const TOPOLOGIES: &[(&str, &str)] = &[
    ("chain", "Chain: cloud → first site → next"),
    ("fan_out", "Fan-out: cloud → every site"),
];
pub const PROVIDERS: &[(&str, &str)] = &[
    ("gcp", "Google Cloud"),
    ("aws", "AWS"),
    ("azure", "Azure"),
    ("onprem", "On-prem"),
];
pub const EGRESS_PATHS: &[(&str, &str)] = &[
    ("interconnect", "Private interconnect"),
    ("internet", "Internet"),
];

pub const CLAIM_BASES: &[(&str, &str)] = &[
    ("pb_per_month", "PB per month"),
    ("percent_per_day", "% of the lake per day"),
    ("pb_per_day", "PB per day"),
    ("tbps", "Tbps sustained"),
];

/// The licence plans of the shipped price book (a test checks this against the book).
pub const PLANS: &[(&str, &str)] = &[
    ("core-plus-capacity", "Core + capacity"),
    ("capacity-only", "Capacity only"),
];

pub const POWER_REGIONS: &[(&str, &str)] = &[
    ("us-va", "Virginia"),
    ("us-tx", "Texas"),
    ("us-il", "Illinois"),
    ("us-or", "Oregon"),
    ("us-ca", "California"),
];

/// A titled group of fields.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    pub id: &'static str,
    pub title: &'static str,
    pub fields: &'static [FieldDef],
}

pub const LAKE: Group = Group {
    id: "lake",
    title: "Lake and growth",
    fields: &[
        f(
            "lake.initial_pb",
            "Lake size today",
            "PB",
            "Logical data in the lake at the start month.",
            Number,
        ),
        f(
            "lake.curve",
            "Growth curve",
            "",
            "How the lake grows towards the target.",
            Choice(CURVES),
        ),
        f(
            "lake.target_pb",
            "Target size",
            "PB",
            "Lake size at the target month.",
            Number,
        ),
        f(
            "lake.target_month",
            "Target month",
            "YYYY-MM",
            "When the lake reaches the target size.",
            Month,
        ),
        f(
            "start_month",
            "Start month",
            "YYYY-MM",
            "Month 0 of the plan.",
            Month,
        ),
        f(
            "horizon_months",
            "Horizon",
            "months",
            "How far the plan looks ahead.",
            Number,
        ),
    ],
};

pub const CHANGE: Group = Group {
    id: "change",
    title: "Daily change",
    fields: &[
        f(
            "change.basis",
            "Stated as",
            "",
            "How the customer states the change.",
            Choice(BASES),
        ),
        f(
            "change.value",
            "Daily change",
            "",
            "Data written or rewritten, to be replicated.",
            Number,
        ),
        adv(
            "change.window_hours",
            "Replication window",
            "hours/day",
            "Hours a day replication may run (24 = around the clock).",
            Number,
        ),
        adv(
            "change.peak_to_mean",
            "Busy day ÷ average day",
            "×",
            "How much busier the busiest day is than the average.",
            Number,
        ),
    ],
};

pub const NETWORK: Group = Group {
    id: "network",
    title: "Network and links",
    fields: &[
        f(
            "links.cloud.ports",
            "Cloud link ports",
            "ports",
            "Ports in the bundle from the cloud to each receiving site.",
            Number,
        ),
        f(
            "links.cloud.port_gbps",
            "Cloud port speed",
            "Gbps",
            "Line rate of one port.",
            Number,
        ),
        f(
            "links.cloud.rtt_ms",
            "Cloud round trip",
            "ms",
            "Round-trip time from the cloud region to the site.",
            Number,
        ),
        f(
            "links.inter_site.ports",
            "Inter-site ports",
            "ports",
            "Ports between consecutive sites of a chain.",
            Number,
        ),
        f(
            "links.inter_site.port_gbps",
            "Inter-site port speed",
            "Gbps",
            "Line rate of one inter-site port.",
            Number,
        ),
        f(
            "links.inter_site.rtt_ms",
            "Inter-site round trip",
            "ms",
            "Round-trip time between sites.",
            Number,
        ),
        f(
            "network.seed_pb",
            "First copy to seed",
            "PB",
            "Data copied before replication catches up; 0 if shipped on appliances.",
            Number,
        ),
        adv(
            "network.max_utilization",
            "Planned utilisation ceiling",
            "0–1",
            "Share of a link the plan may use (0.8 leaves headroom).",
            Number,
        ),
        adv(
            "network.mtu_bytes",
            "MTU",
            "bytes",
            "1500 standard, 9000 jumbo frames.",
            Number,
        ),
        adv(
            "network.tcp_window_mib",
            "TCP window",
            "MiB",
            "Per-stream window; with the round trip it caps each stream's rate.",
            Number,
        ),
        adv(
            "links.cloud.loss_rate",
            "Cloud packet loss",
            "ratio",
            "Loss probability; caps each stream by the Mathis formula.",
            Number,
        ),
        adv(
            "links.inter_site.loss_rate",
            "Inter-site packet loss",
            "ratio",
            "Loss probability between sites.",
            Number,
        ),
    ],
};

pub const SOURCE: Group = Group {
    id: "source",
    title: "Source and topology",
    fields: &[
        f(
            "network.topology",
            "Topology",
            "",
            "Who sends each site its copy.",
            Choice(TOPOLOGIES),
        ),
        f(
            "source.provider",
            "Cloud provider",
            "",
            "Where the lake lives today.",
            Choice(PROVIDERS),
        ),
        f(
            "source.region",
            "Region",
            "",
            "The provider's region, e.g. us-central1.",
            Text,
        ),
        f(
            "source.egress_path",
            "Egress path",
            "",
            "Private interconnect or the internet.",
            Choice(EGRESS_PATHS),
        ),
        adv(
            "source.mean_object_mb",
            "Mean object size",
            "MB",
            "Sets the number of requests per PB copied.",
            Number,
        ),
    ],
};

pub const CLUSTER: Group = Group {
    id: "cluster",
    title: "Cluster hardware (per site)",
    fields: &[
        f(
            "cluster.enclosure_raw_tb",
            "Raw capacity per enclosure",
            "TB",
            "From the catalog: 1 351.68 TB with 61.44 TB drives.",
            Number,
        ),
        f(
            "cluster.data_reduction",
            "Data reduction",
            "×",
            "Logical ÷ stored; 1.0–1.3 for Parquet/ORC lakes (an assumption).",
            Number,
        ),
        f(
            "cluster.fill_target",
            "Fill target",
            "0–1",
            "Share of usable capacity to fill before expanding.",
            Number,
        ),
        f(
            "cluster.node_cores",
            "Cores per node",
            "cores",
            "Compute node cores (licensed per core).",
            Number,
        ),
        adv(
            "cluster.ec_data",
            "Erasure code: data strips",
            "strips",
            "146+4 on large clusters.",
            Number,
        ),
        adv(
            "cluster.ec_parity",
            "Erasure code: parity strips",
            "strips",
            "",
            Number,
        ),
        adv(
            "cluster.reserve_pct",
            "System reserve",
            "%",
            "Physical capacity set aside at install.",
            Number,
        ),
        adv(
            "cluster.min_enclosures",
            "Minimum enclosures",
            "enclosures",
            "Smallest cluster with enclosure-level protection.",
            Number,
        ),
        adv("cluster.min_nodes", "Minimum nodes", "nodes", "", Number),
        adv(
            "cluster.node_write_gbytes_per_s",
            "Node write rate",
            "GB/s",
            "Per-node throughput: not public, a placeholder.",
            Number,
        ),
        adv(
            "cluster.node_read_gbytes_per_s",
            "Node read rate",
            "GB/s",
            "Per-node throughput: not public, a placeholder.",
            Number,
        ),
        adv(
            "cluster.read_gbytes_per_s",
            "Other reads",
            "GB/s",
            "Analytics reads the cluster serves besides replication.",
            Number,
        ),
        adv("cluster.enclosure_ru", "Enclosure height", "U", "", Number),
        adv(
            "cluster.enclosure_watts",
            "Enclosure power",
            "W",
            "Active draw.",
            Number,
        ),
        adv("cluster.node_ru", "Node height", "U", "", Number),
        adv(
            "cluster.node_watts",
            "Node power",
            "W",
            "Active draw.",
            Number,
        ),
        adv("cluster.rack_ru", "Rack height", "U", "", Number),
        adv("cluster.rack_kw", "Rack power limit", "kW", "", Number),
        adv(
            "cluster.switches_per_rack",
            "Switches per rack",
            "switches",
            "",
            Number,
        ),
        adv("cluster.switch_ru", "Switch height", "U", "", Number),
        adv("cluster.switch_watts", "Switch power", "W", "", Number),
    ],
};

pub const PRICING: Group = Group {
    id: "pricing",
    title: "Pricing",
    fields: &[
        f(
            "pricing.plan",
            "Licence plan",
            "",
            "Core + capacity or capacity only.",
            Choice(PLANS),
        ),
        f(
            "pricing.term_years",
            "Term",
            "years",
            "Longer terms earn a discount.",
            Number,
        ),
        adv(
            "pricing.price_book",
            "Price book",
            "",
            "The dated price book that prices the plan.",
            Text,
        ),
        adv(
            "pricing.power_region",
            "Electricity prices of",
            "",
            "Which state's industrial power price applies.",
            Choice(POWER_REGIONS),
        ),
    ],
};

pub const GROUPS: &[Group] = &[LAKE, CHANGE, NETWORK, SOURCE, CLUSTER, PRICING];

/// The unit of `change.value` follows its basis.
pub fn change_unit(basis: &str) -> &'static str {
    match basis {
        "pb_per_day" => "PB/day",
        "pb_per_month" => "PB/month",
        _ => "%/day",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_menu_lists_the_books_plans() {
        let book = lakeplan_models::price_book::PriceBook::latest().expect("book");
        let mut in_book: Vec<&str> = book.plans();
        in_book.sort_unstable();
        let mut in_menu: Vec<&str> = PLANS.iter().map(|(id, _)| *id).collect();
        in_menu.sort_unstable();
        assert_eq!(in_menu, in_book);
    }
    use lakeplan_models::scenario::Scenario;

    /// Every scalar field of a fully defaulted scenario has an input, and every input is a
    /// scenario field: the form and the file format cannot drift apart.
    #[test]
    fn the_form_covers_every_scenario_field() {
        let scenario = Scenario::parse(
            r#"{"start_month": "2026-01", "lake": {"initial_pb": 450, "target_pb": 770, "target_month": "2030-01"},
                "change": {"value": 10}, "sites": [{"name": "A"}], "network": {"seed_pb": 450}}"#,
        )
        .expect("valid");
        let doc = serde_json::to_value(&scenario).expect("serialises");
        let in_form: Vec<&str> = GROUPS
            .iter()
            .flat_map(|g| g.fields.iter().map(|f| f.path))
            .collect();
        // Edited elsewhere on the page: the title block, the sites list, the points list,
        // price overrides (in the assumptions panel) and claims.
        let elsewhere = [
            "format",
            "name",
            "customer",
            "notes",
            "sites",
            "lake.points",
            "pricing.overrides",
            "claims",
        ];
        for (path, _) in crate::doc::leaves(&doc) {
            let covered = in_form.contains(&path.as_str())
                || elsewhere.iter().any(|e| {
                    path == *e
                        || path.starts_with(&format!("{e}["))
                        || path.starts_with(&format!("{e}."))
                });
            assert!(covered, "no input for {path}");
        }
        for path in in_form {
            assert!(
                crate::doc::get(&doc, path).is_some() || path == "network.seed_pb",
                "{path} is not a scenario field"
            );
        }
    }
}
