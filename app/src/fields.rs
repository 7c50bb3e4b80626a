//! The planner's inputs, grouped as a planner thinks.
//!
//! What each input is (label, unit, help, choices) is the model's inputs registry
//! (`lakeplan_models::inputs`); this file keeps the presentation: the groups, their
//! order, and which inputs fold away under "More settings". The form is data so that
//! every field gets the same treatment (its JSON path as `name`, a unit beside it, its
//! error beside it, a keyboard-reachable label) and so a field cannot be forgotten: a test
//! checks this list against the scenario's own fields.

use lakeplan_models::inputs::{self, InputSpec};

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

impl Kind {
    /// The control for a registry input: text the price book resolves (a plan, a power
    /// region) is offered as the shipped book's list.
    const fn of(spec: &InputSpec) -> Kind {
        match spec.kind {
            inputs::Kind::Number { .. } | inputs::Kind::Whole { .. } => Kind::Number,
            inputs::Kind::Month => Kind::Month,
            inputs::Kind::Choice(options) | inputs::Kind::BookText(options) => {
                Kind::Choice(options)
            }
            inputs::Kind::Flag => Kind::Choice(&[("true", "Yes"), ("false", "No")]),
            inputs::Kind::Text | inputs::Kind::SiteName | inputs::Kind::AnyObject => Kind::Text,
        }
    }
}

/// One input of the form: the registry's entry and how the form shows it. It points at
/// the entry rather than copying its texts, so the browser bundle holds each label and
/// help once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldDef {
    pub input: &'static InputSpec,
    pub kind: Kind,
    /// Folded away under "More settings": a sensible default covers most meetings.
    pub advanced: bool,
    /// Shows the registry's help line; list rows are compact and do not.
    pub with_help: bool,
}

impl FieldDef {
    pub fn path(&self) -> &'static str {
        self.input.path
    }
    pub fn label(&self) -> &'static str {
        self.input.label
    }
    pub fn unit(&self) -> &'static str {
        self.input.unit
    }
    /// The help line, empty for none.
    pub fn help(&self) -> &'static str {
        if self.with_help {
            self.input.help
        } else {
            ""
        }
    }
}

/// The registry's input at `path`, looked up when the crate is compiled (a path that is
/// not a scenario input fails the build).
const fn def(path: &'static str, advanced: bool) -> FieldDef {
    let input = inputs::get(path);
    FieldDef {
        input,
        kind: Kind::of(input),
        advanced,
        with_help: true,
    }
}

const fn f(path: &'static str) -> FieldDef {
    def(path, false)
}

const fn adv(path: &'static str) -> FieldDef {
    def(path, true)
}

/// A list item's input (`sites[].name`), for the sites, points and claims editors; the
/// path is given per item when it is drawn. Their rows are compact: no help line.
const fn item(path: &'static str) -> FieldDef {
    FieldDef {
        with_help: false,
        ..def(path, false)
    }
}

pub const SITE_NAME: FieldDef = item("sites[].name");
pub const SITE_COPY_FRACTION: FieldDef = item("sites[].copy_fraction");
pub const POINT_MONTH: FieldDef = item("lake.points[].month");
pub const POINT_PB: FieldDef = item("lake.points[].pb");
pub const CLAIM_LABEL: FieldDef = item("claims[].label");
pub const CLAIM_VALUE: FieldDef = item("claims[].value");
pub const CLAIM_BASIS: FieldDef = item("claims[].basis");

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
        f("lake.initial_pb"),
        f("lake.curve"),
        f("lake.target_pb"),
        f("lake.target_month"),
        f("start_month"),
        f("horizon_months"),
    ],
};

pub const CHANGE: Group = Group {
    id: "change",
    title: "Daily change",
    fields: &[
        f("change.basis"),
        f("change.value"),
        adv("change.window_hours"),
        adv("change.peak_to_mean"),
    ],
};

pub const NETWORK: Group = Group {
    id: "network",
    title: "Network and links",
    fields: &[
        f("links.cloud.ports"),
        f("links.cloud.port_gbps"),
        f("links.cloud.rtt_ms"),
        f("links.inter_site.ports"),
        f("links.inter_site.port_gbps"),
        f("links.inter_site.rtt_ms"),
        f("network.seed_pb"),
        adv("network.max_utilization"),
        adv("network.mtu_bytes"),
        adv("network.tcp_timestamps"),
        adv("network.tcp_acks"),
        adv("network.tcp_window_mib"),
        adv("links.cloud.loss_rate"),
        adv("links.inter_site.loss_rate"),
    ],
};

pub const SOURCE: Group = Group {
    id: "source",
    title: "Source and topology",
    fields: &[
        f("network.topology"),
        f("source.provider"),
        f("source.region"),
        f("source.egress_path"),
        adv("source.mean_object_mb"),
    ],
};

pub const CLUSTER: Group = Group {
    id: "cluster",
    title: "Cluster hardware (per site)",
    fields: &[
        f("cluster.enclosure_raw_tb"),
        f("cluster.data_reduction"),
        f("cluster.fill_target"),
        f("cluster.node_cores"),
        adv("cluster.ec_data"),
        adv("cluster.ec_parity"),
        adv("cluster.reserve_pct"),
        adv("cluster.min_enclosures"),
        adv("cluster.min_nodes"),
        adv("cluster.node_write_gbytes_per_s"),
        adv("cluster.node_read_gbytes_per_s"),
        adv("cluster.read_gbytes_per_s"),
        adv("cluster.enclosure_ru"),
        adv("cluster.enclosure_watts"),
        adv("cluster.node_ru"),
        adv("cluster.node_watts"),
        adv("cluster.rack_ru"),
        adv("cluster.rack_kw"),
        adv("cluster.switches_per_rack"),
        adv("cluster.switch_ru"),
        adv("cluster.switch_watts"),
    ],
};

pub const PRICING: Group = Group {
    id: "pricing",
    title: "Pricing",
    fields: &[
        f("pricing.plan"),
        f("pricing.term_years"),
        adv("pricing.price_book"),
        adv("pricing.catalog"),
        adv("pricing.power_region"),
    ],
};

/// The cluster on cloud instances: shown while the scenario has the section
/// (`cloud::CloudInputs`, which adds the instance picker above these).
pub const CLOUD: Group = Group {
    id: "cloud",
    title: "Cluster on cloud instances",
    fields: &[
        f("cloud_cluster.commitment"),
        f("cloud_cluster.across_zones"),
        f("cloud_cluster.min_instances"),
        f("cloud_cluster.cloud_rate_usd_per_tb_month"),
        adv("cloud_cluster.ec_data"),
        adv("cloud_cluster.ec_parity"),
        adv("cloud_cluster.fill_target"),
        adv("cloud_cluster.network_efficiency"),
        adv("cloud_cluster.throughput_gbps"),
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
            .flat_map(|g| g.fields.iter().map(|f| f.path()))
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
