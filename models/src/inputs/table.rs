//! The table: every scenario leaf field in file order, the lists, the choices, and which
//! fields the what-ifs move.

use super::limits::{MAX_CLAIMS, MAX_HORIZON_MONTHS, MAX_POINTS, MAX_SITES};
use super::FORMAT;

use super::{Dflt, FieldRange, InputSpec, Kind, ListSpec, Required, When};

// The ranges, each stated once and shared by reference: the table is static data the
// browser carries, so its entries stay small.
const POSITIVE: &FieldRange = &FieldRange::POSITIVE;
const NON_NEGATIVE: &FieldRange = &FieldRange::NON_NEGATIVE;
/// (0, 1]: a share that cannot be nothing.
const SHARE: &FieldRange = &FieldRange::open_closed(0.0, 1.0);
/// A percentage of the lake: from 0 to 100 (more than the whole lake a day is a typo).
const PERCENT: &FieldRange = &FieldRange::closed(0.0, 100.0);
/// A probability that is not certain loss: [0, 1).
const LOSS: &FieldRange = &FieldRange::closed_open(0.0, 1.0);
/// (0, 24] hours a day.
const WINDOW: &FieldRange = &FieldRange::open_closed(0.0, 24.0);
const PEAK_TO_MEAN: &FieldRange = &FieldRange::closed(1.0, 1000.0);
/// (0, 1024] MiB: 1 GiB is the largest window TCP can scale to (RFC 7323).
const TCP_WINDOW: &FieldRange = &FieldRange::open_closed(0.0, 1024.0);
/// [0, 100) %: a reserve of everything leaves nothing to store.
const RESERVE: &FieldRange = &FieldRange::closed_open(0.0, 100.0);

/// `change.value` while the change is stated in % of the lake a day.
const PERCENT_BASIS: When = When {
    sibling: "basis",
    is: "percent_per_day",
    range: PERCENT,
};
/// `lake.target_pb` of a compound curve, which cannot grow from or to nothing.
const COMPOUND_TARGET: When = When {
    sibling: "curve",
    is: "compound",
    range: POSITIVE,
};

const fn spec(
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    kind: Kind,
) -> InputSpec {
    InputSpec {
        path,
        label,
        short: "",
        unit,
        help,
        kind,
        default: Dflt::None,
        required: Required::No,
    }
}

const fn num(
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    range: &'static FieldRange,
) -> InputSpec {
    spec(
        path,
        label,
        unit,
        help,
        Kind::Number {
            range,
            note: "",
            when: None,
        },
    )
}

const fn whole(
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    min: u32,
    max: u32,
) -> InputSpec {
    spec(path, label, unit, help, Kind::Whole { min, max })
}

impl InputSpec {
    const fn or(mut self, default: Dflt) -> InputSpec {
        self.default = default;
        self
    }
    const fn or_num(self, x: f64) -> InputSpec {
        self.or(Dflt::Number(x))
    }
    const fn or_whole(self, x: u32) -> InputSpec {
        self.or(Dflt::Whole(x))
    }
    const fn or_text(self, t: &'static str) -> InputSpec {
        self.or(Dflt::Text(t))
    }
    const fn or_flag(self, b: bool) -> InputSpec {
        self.or(Dflt::Flag(b))
    }
    const fn required(mut self) -> InputSpec {
        self.required = Required::Yes;
        self
    }
    const fn unless(mut self, sibling: &'static str, is: &'static str) -> InputSpec {
        self.required = Required::Unless { sibling, is };
        self
    }
    const fn short(mut self, short: &'static str) -> InputSpec {
        self.short = short;
        self
    }
    /// The reason for a number's bound, after the range in the error message.
    const fn note(mut self, text: &'static str) -> InputSpec {
        if let Kind::Number { range, when, .. } = self.kind {
            self.kind = Kind::Number {
                range,
                note: text,
                when,
            };
        }
        self
    }
    const fn when(mut self, w: &'static When) -> InputSpec {
        if let Kind::Number { range, note, .. } = self.kind {
            self.kind = Kind::Number {
                range,
                note,
                when: Some(w),
            };
        }
        self
    }
}

/// Sections a scenario may leave out as a whole: the fields required inside them are
/// required only when the section is there.
pub const OPTIONAL_SECTIONS: &[&str] = &["cloud_cluster"];
pub const COMMITMENTS: &[(&str, &str)] = &[
    ("on_demand", "On demand"),
    ("1y", "1-year commitment"),
    ("3y", "3-year commitment"),
];
/// What a cloud cluster may be asked to serve: up to 1 Pbps.
const CLUSTER_GBPS: &FieldRange = &FieldRange::closed(0.0, 1.0e6);
/// Range of the cloud cluster's usable share of an instance's network.
const NETWORK_SHARE: &FieldRange = &FieldRange::open_closed(0.0, 1.0);

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
pub const TCP_TIMESTAMPS: &[(&str, &str)] = &[("off", "Off"), ("on", "On (Linux's default)")];
pub const TCP_ACKS: &[(&str, &str)] = &[
    ("per_packet", "An ACK per segment: C = √(3/2)"),
    ("delayed", "Delayed: C = √(3/4)"),
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
/// Regions of the shipped book's electricity rows.
pub const POWER_REGIONS: &[(&str, &str)] = &[
    ("us-va", "Virginia"),
    ("us-tx", "Texas"),
    ("us-il", "Illinois"),
    ("us-or", "Oregon"),
    ("us-ca", "California"),
];

/// Every leaf field of the scenario file, in file order (`spec/scenario.md`).
/// `scenario.rs` explains the defaults; a test holds each one equal to what serde reads
/// for a missing field.
///
/// A `static` array, so the entries have one address: the form's fields and the
/// validator point at them, and the browser bundle holds each entry and its texts once
/// (a `const` table was copied into every crate that looked an entry up).
pub static INPUTS: [InputSpec; TABLE.len()] = {
    let mut out = [TABLE[0]; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        out[i] = TABLE[i];
        i += 1;
    }
    out
};

const TABLE: &[InputSpec] = &[
    whole("format", "Format", "", "The scenario file format.", FORMAT, FORMAT).or_whole(FORMAT),
    spec("name", "Scenario name", "", "", Kind::Text).or_text(""),
    spec("customer", "Customer", "", "", Kind::Text).or_text(""),
    spec("notes", "Notes", "", "", Kind::Text).or_text(""),
    spec("start_month", "Start month", "YYYY-MM", "Month 0 of the plan.", Kind::Month).required(),
    whole(
        "horizon_months",
        "Horizon",
        "months",
        "How far the plan looks ahead.",
        1,
        MAX_HORIZON_MONTHS,
    )
    .or_whole(60),
    // lake
    num(
        "lake.initial_pb",
        "Lake size today",
        "PB",
        "Logical data in the lake at the start month.",
        POSITIVE,
    )
    .required()
    .short("Initial lake size"),
    spec(
        "lake.curve",
        "Growth curve",
        "",
        "How the lake grows towards the target.",
        Kind::Choice(CURVES),
    )
    .or_text("compound"),
    num(
        "lake.target_pb",
        "Target size",
        "PB",
        "Lake size at the target month.",
        NON_NEGATIVE,
    )
    .when(&COMPOUND_TARGET)
    .unless("curve", "points")
    .short("Growth target"),
    spec(
        "lake.target_month",
        "Target month",
        "YYYY-MM",
        "When the lake reaches the target size.",
        Kind::Month,
    )
    .unless("curve", "points"),
    spec(
        "lake.points[].month",
        "Month",
        "YYYY-MM",
        "A month after the start and after the previous point.",
        Kind::Month,
    )
    .required(),
    num("lake.points[].pb", "Size", "PB", "Lake size in that month.", NON_NEGATIVE).required(),
    // change
    spec(
        "change.basis",
        "Stated as",
        "",
        "How the customer states the change.",
        Kind::Choice(BASES),
    )
    .or_text("percent_per_day"),
    num(
        "change.value",
        "Daily change",
        "",
        "Data written or rewritten, to be replicated.",
        NON_NEGATIVE,
    )
    .when(&PERCENT_BASIS)
    .required(),
    num(
        "change.window_hours",
        "Replication window",
        "hours/day",
        "Hours a day replication may run (24 = around the clock).",
        WINDOW,
    )
    .or_num(24.0),
    num(
        "change.peak_to_mean",
        "Busy day ÷ average day",
        "×",
        "How much busier the busiest day is than the average.",
        PEAK_TO_MEAN,
    )
    .or_num(1.0)
    .short("Busy-day peak-to-mean"),
    // network
    whole(
        "network.mtu_bytes",
        "MTU",
        "bytes",
        "1500 standard, 9000 jumbo frames.",
        576,
        9216,
    )
    .or_whole(1500),
    spec(
        "network.tcp_timestamps",
        "TCP timestamps",
        "",
        "Linux sends them by default: 12 bytes of every segment, 1 448 payload bytes at MTU 1500 instead of 1 460.",
        Kind::Choice(TCP_TIMESTAMPS),
    )
    .or_text("off"),
    spec(
        "network.tcp_acks",
        "ACKs (Mathis constant)",
        "",
        "An ACK per segment, or delayed (one per two): the constant of the loss-limited stream rate.",
        Kind::Choice(TCP_ACKS),
    )
    .or_text("per_packet"),
    num(
        "network.tcp_window_mib",
        "TCP window",
        "MiB",
        "Per-stream window; with the round trip it caps each stream's rate.",
        TCP_WINDOW,
    )
    .note(" (1 GiB, RFC 7323)")
    .or_num(16.0),
    num(
        "network.max_utilization",
        "Planned utilisation ceiling",
        "0–1",
        "Share of a link the plan may use (0.8 leaves headroom).",
        SHARE,
    )
    .or_num(0.8)
    .short("Utilisation ceiling"),
    spec(
        "network.topology",
        "Topology",
        "",
        "Who sends each site its copy.",
        Kind::Choice(TOPOLOGIES),
    )
    .or_text("chain"),
    num(
        "network.seed_pb",
        "First copy to seed",
        "PB",
        "Data copied before replication catches up (the whole initial lake when left out); 0 if shipped on appliances.",
        NON_NEGATIVE,
    ),
    // source
    spec(
        "source.provider",
        "Cloud provider",
        "",
        "Where the lake lives today.",
        Kind::Choice(PROVIDERS),
    )
    .or_text("gcp"),
    spec(
        "source.region",
        "Region",
        "",
        "The provider's region, e.g. us-central1.",
        Kind::Text,
    )
    .or_text(""),
    spec(
        "source.egress_path",
        "Egress path",
        "",
        "Private interconnect or the internet.",
        Kind::Choice(EGRESS_PATHS),
    )
    .or_text("interconnect"),
    num(
        "source.mean_object_mb",
        "Mean object size",
        "MB",
        "Sets the number of requests per PB copied.",
        POSITIVE,
    )
    .or_num(64.0),
    // sites
    spec("sites[].name", "Site name", "", "", Kind::SiteName).required(),
    num("sites[].copy_fraction", "Share copied", "0–1", "", SHARE).or_num(1.0),
    // links
    whole(
        "links.cloud.ports",
        "Cloud link ports",
        "ports",
        "Ports in the bundle from the cloud to each receiving site.",
        1,
        u32::MAX,
    )
    .or_whole(1)
    .short("Cloud ports"),
    num(
        "links.cloud.port_gbps",
        "Cloud port speed",
        "Gbps",
        "Line rate of one port.",
        POSITIVE,
    )
    .or_num(100.0),
    num(
        "links.cloud.rtt_ms",
        "Cloud round trip",
        "ms",
        "Round-trip time from the cloud region to the site.",
        POSITIVE,
    )
    .or_num(30.0),
    num(
        "links.cloud.loss_rate",
        "Cloud packet loss",
        "ratio",
        "Loss probability; caps each stream by the Mathis formula.",
        LOSS,
    )
    .or_num(1e-6),
    whole(
        "links.inter_site.ports",
        "Inter-site ports",
        "ports",
        "Ports between consecutive sites of a chain.",
        1,
        u32::MAX,
    )
    .or_whole(1),
    num(
        "links.inter_site.port_gbps",
        "Inter-site port speed",
        "Gbps",
        "Line rate of one inter-site port.",
        POSITIVE,
    )
    .or_num(100.0),
    num(
        "links.inter_site.rtt_ms",
        "Inter-site round trip",
        "ms",
        "Round-trip time between sites.",
        POSITIVE,
    )
    .or_num(30.0),
    num(
        "links.inter_site.loss_rate",
        "Inter-site packet loss",
        "ratio",
        "Loss probability between sites.",
        LOSS,
    )
    .or_num(1e-6),
    // cluster
    num(
        "cluster.enclosure_raw_tb",
        "Raw capacity per enclosure",
        "TB",
        "From the catalog: 1 351.68 TB with 61.44 TB drives.",
        POSITIVE,
    )
    .or_num(1351.68)
    .short("Enclosure size"),
    whole("cluster.enclosure_ru", "Enclosure height", "U", "", 1, 100).or_whole(1),
    num(
        "cluster.enclosure_watts",
        "Enclosure power",
        "W",
        "Active draw.",
        NON_NEGATIVE,
    )
    .or_num(728.0),
    whole(
        "cluster.min_enclosures",
        "Minimum enclosures",
        "enclosures",
        "Smallest cluster with enclosure-level protection.",
        0,
        u32::MAX,
    )
    .or_whole(11),
    whole(
        "cluster.ec_data",
        "Erasure code: data strips",
        "strips",
        "146+4 on large clusters.",
        1,
        1000,
    )
    .or_whole(146)
    .short("Erasure code data"),
    whole(
        "cluster.ec_parity",
        "Erasure code: parity strips",
        "strips",
        "",
        0,
        1000,
    )
    .or_whole(4)
    .short("Erasure code parity"),
    num(
        "cluster.reserve_pct",
        "System reserve",
        "%",
        "Physical capacity set aside at install.",
        RESERVE,
    )
    .or_num(8.0),
    num(
        "cluster.data_reduction",
        "Data reduction",
        "×",
        "Logical ÷ stored; 1.0–1.3 for Parquet/ORC lakes (an assumption).",
        POSITIVE,
    )
    .or_num(1.0),
    num(
        "cluster.fill_target",
        "Fill target",
        "0–1",
        "Share of usable capacity to fill before expanding.",
        SHARE,
    )
    .or_num(0.8),
    whole(
        "cluster.node_cores",
        "Cores per node",
        "cores",
        "Compute node cores (licensed per core).",
        1,
        100_000,
    )
    .or_whole(48),
    whole("cluster.node_ru", "Node height", "U", "", 1, 100).or_whole(1),
    num("cluster.node_watts", "Node power", "W", "Active draw.", NON_NEGATIVE).or_num(500.0),
    num(
        "cluster.node_write_gbytes_per_s",
        "Node write rate",
        "GB/s",
        "Per-node throughput: not public, a placeholder.",
        POSITIVE,
    )
    .or_num(5.0),
    num(
        "cluster.node_read_gbytes_per_s",
        "Node read rate",
        "GB/s",
        "Per-node throughput: not public, a placeholder.",
        POSITIVE,
    )
    .or_num(10.0),
    whole("cluster.min_nodes", "Minimum nodes", "nodes", "", 0, u32::MAX).or_whole(11),
    num(
        "cluster.read_gbytes_per_s",
        "Other reads",
        "GB/s",
        "Analytics reads the cluster serves besides replication.",
        NON_NEGATIVE,
    )
    .or_num(0.0),
    // The rack must also leave room and power for the largest device after its switches;
    // the validator checks that across fields.
    whole("cluster.rack_ru", "Rack height", "U", "", 1, u32::MAX).or_whole(42),
    num("cluster.rack_kw", "Rack power limit", "kW", "", POSITIVE).or_num(10.0),
    whole(
        "cluster.switches_per_rack",
        "Switches per rack",
        "switches",
        "",
        0,
        u32::MAX,
    )
    .or_whole(2),
    whole("cluster.switch_ru", "Switch height", "U", "", 0, u32::MAX).or_whole(1),
    num("cluster.switch_watts", "Switch power", "W", "", NON_NEGATIVE).or_num(500.0),
    // cloud_cluster (optional: absent, no cloud placement is computed)
    spec(
        "cloud_cluster.instance",
        "Instance type",
        "",
        "The storage-optimised instance with local NVMe the cluster runs on, <provider>.<type>; the lake's provider's.",
        Kind::Text,
    )
    .required(),
    spec(
        "cloud_cluster.commitment",
        "Commitment",
        "",
        "On demand, or the provider's 1- or 3-year commitment price.",
        Kind::Choice(COMMITMENTS),
    )
    .or_text("on_demand"),
    whole(
        "cloud_cluster.ec_data",
        "Cloud erasure code: data strips",
        "strips",
        "Stripes span the drives of every instance, so they may be wider than the instance count.",
        1,
        1000,
    )
    .or_whole(8),
    whole(
        "cloud_cluster.ec_parity",
        "Cloud erasure code: parity strips",
        "strips",
        "At least one: local NVMe is lost when an instance stops.",
        1,
        64,
    )
    .or_whole(4),
    spec(
        "cloud_cluster.across_zones",
        "Stripes span zones",
        "",
        "Yes: stripes cross the region's zones (traffic between zones is priced). No: one zone, protected by a copy kept in the object store (priced).",
        Kind::Flag,
    )
    .or_flag(true),
    num(
        "cloud_cluster.fill_target",
        "Cloud fill target",
        "0–1",
        "Share of the cluster's usable capacity to fill before adding instances.",
        SHARE,
    )
    .or_num(0.8),
    whole(
        "cloud_cluster.min_instances",
        "Minimum instances",
        "instances",
        "How many whole instances may fail at once sets it (a published design on GCP uses 8).",
        1,
        10_000,
    )
    .or_whole(8),
    num(
        "cloud_cluster.network_efficiency",
        "Usable share of instance network",
        "0–1",
        "The share of each instance's network the cluster's traffic may use.",
        NETWORK_SHARE,
    )
    .or_num(0.8),
    num(
        "cloud_cluster.throughput_gbps",
        "Cluster throughput",
        "Gbps",
        "The rate the cluster must serve; left out: the month's sustained replication rate.",
        CLUSTER_GBPS,
    ),
    num(
        "cloud_cluster.cloud_rate_usd_per_tb_month",
        "Cloud software rate",
        "$/usable TB-month",
        "Licence B's one rate; left out: the price book's cloud rate row.",
        NON_NEGATIVE,
    ),
    // pricing
    spec(
        "pricing.price_book",
        "Price book",
        "",
        "The dated price book that prices the plan; empty: the newest (a save pins it).",
        Kind::Text,
    )
    .or_text(""),
    spec(
        "pricing.catalog",
        "Hardware catalog",
        "",
        "The catalog the enclosure and node are found in to be priced; empty: the newest \
         (a save pins it).",
        Kind::Text,
    )
    .or_text(""),
    spec(
        "pricing.plan",
        "Licence plan",
        "",
        "Core + capacity or capacity only.",
        Kind::BookText(PLANS),
    )
    .or_text(""),
    whole(
        "pricing.term_years",
        "Term",
        "years",
        "Longer terms earn a discount.",
        1,
        30,
    )
    .or_whole(5)
    .short("Contract term"),
    spec(
        "pricing.power_region",
        "Electricity prices of",
        "",
        "Which state's industrial power price applies.",
        Kind::BookText(POWER_REGIONS),
    )
    .or_text("us-va"),
    spec(
        "pricing.overrides",
        "Price overrides",
        "",
        "Price-book rows replaced for this scenario only, each by the row's id.",
        Kind::AnyObject,
    )
    .or(Dflt::EmptyObject),
    // claims
    spec("claims[].label", "Said by", "", "", Kind::Text).or_text(""),
    spec(
        "claims[].basis",
        "Stated as",
        "",
        "",
        Kind::Choice(CLAIM_BASES),
    )
    .required(),
    num("claims[].value", "Value", "", "", NON_NEGATIVE)
        .when(&PERCENT_BASIS)
        .required(),
];

/// The lists of objects, with how many items each may hold.
pub static LISTS: [ListSpec; 3] = [
    ListSpec {
        path: "lake.points",
        item: "point",
        required: false,
        min: 1,
        max: MAX_POINTS,
        only_when: Some(("curve", "points")),
    },
    ListSpec {
        path: "sites",
        item: "site",
        required: true,
        min: 1,
        max: MAX_SITES,
        only_when: None,
    },
    ListSpec {
        path: "claims",
        item: "claim",
        required: false,
        min: 0,
        max: MAX_CLAIMS,
        only_when: None,
    },
];

/// The flat egress rate the scenario's egress row charges, as
/// `pricing.overrides.<row id>` sets it: not a leaf of its own (its path names the
/// scenario's row), but an input both what-ifs move.
pub const EGRESS_RATE: InputSpec = num(
    "pricing.overrides.<egress row>",
    "Egress rate",
    "the row's unit",
    "The price per GB or GiB of the flat egress row the scenario uses.",
    NON_NEGATIVE,
);

/// The inputs the sensitivity tornado moves, in the order a planner reads them (the lake
/// and its change, then the links, the cluster and the contract); equal swings keep this
/// order.
pub const TORNADO: &[&str] = &[
    "change.value",
    "lake.target_pb",
    "lake.initial_pb",
    "cluster.data_reduction",
    "change.peak_to_mean",
    "change.window_hours",
    EGRESS_RATE.path,
    "links.cloud.ports",
    "links.cloud.port_gbps",
    "links.cloud.rtt_ms",
    "links.inter_site.ports",
    "network.max_utilization",
    "cluster.enclosure_raw_tb",
    "cluster.ec_data",
    "cluster.ec_parity",
    "cluster.fill_target",
    "cluster.reserve_pct",
    "pricing.term_years",
];

/// The hourly price of the cloud cluster's instance, as `pricing.overrides.<its row>`
/// sets it: moved by the cloud tornado.
pub const INSTANCE_PRICE: InputSpec = num(
    "pricing.overrides.<instance row>",
    "Instance price",
    "$/hour",
    "The hourly price of the cloud cluster's instance type for its commitment.",
    NON_NEGATIVE,
);

/// The inputs the cloud tornado moves: what the cloud cluster's cost rests on.
pub const CLOUD_TORNADO: &[&str] = &[
    INSTANCE_PRICE.path,
    "cloud_cluster.cloud_rate_usd_per_tb_month",
    "lake.target_pb",
    "lake.initial_pb",
    "cluster.data_reduction",
    "cloud_cluster.fill_target",
    "cloud_cluster.ec_data",
    "cloud_cluster.ec_parity",
    "cloud_cluster.min_instances",
    "cloud_cluster.network_efficiency",
    "change.value",
];

/// The inputs a Monte Carlo run may give as ranges: the guesses of a plan (how much
/// changes, how far the lake grows, how well it reduces, how busy the busiest day is,
/// the negotiated egress rate), in the order the run lists them.
pub const UNCERTAIN: &[&str] = &[
    "change.value",
    "lake.target_pb",
    "cluster.data_reduction",
    "change.peak_to_mean",
    EGRESS_RATE.path,
];
