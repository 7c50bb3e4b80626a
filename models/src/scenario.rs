//! The scenario file (`spec/scenario.md`, format 1): its types, defaults and validation.
//!
//! [`Scenario::parse`] is the one way in for text: it reports every problem at once, each
//! naming its JSON path and the allowed range, and never panics. The types also derive
//! serde (with `deny_unknown_fields` and the same defaults) so a scenario can be written
//! back out, and read by serde directly where a single first error is enough.
//!
//! Defaults for fields a file leaves out (scenario.md lets later formats add fields, so a
//! missing field is normal, not an error). Their values, like every field's range, live
//! in the inputs registry ([`crate::inputs`]); why they are what they are:
//!
//! | field | default | why |
//! |---|---|---|
//! | `format` | 1 | the only format |
//! | `name`, `customer`, `notes` | "" | |
//! | `horizon_months` | 60 | five years, the usual longest term |
//! | `lake.curve` | `compound` | how lakes are usually described |
//! | `lake.points` | [] | |
//! | `change.basis` | `percent_per_day` | |
//! | `change.window_hours` | 24 | no window: spread over the day |
//! | `change.peak_to_mean` | 1.0 | no busy-day surge |
//! | `network.mtu_bytes` | 1500 | jumbo frames across a provider edge are not a given; the conservative choice |
//! | `network.tcp_window_mib` | 16 | |
//! | `network.max_utilization` | 0.8 | MODEL.md |
//! | `network.topology` | `chain` | |
//! | `network.seed_pb` | `lake.initial_pb` | scenario.md |
//! | `source` | gcp, region "", interconnect, 64 MB objects | |
//! | `sites[].copy_fraction` | 1.0 | a full copy |
//! | `links.*` | 1 port of 100 Gbps, 30 ms RTT, loss 10^-6 | one port shows the ports needed at once |
//! | `cluster` | the price-facts hardware: 1 351.68 TB / 1 U / 728 W enclosures, min 11, 146+4, reserve 8 %, data reduction 1.0, fill 0.8, 48-core 1 U 500 W nodes at 5 / 10 GB/s write / read (placeholders), min 11 nodes, no extra reads | |
//! | `cluster.rack_ru`, `rack_kw` | 42 U, 10 kW | the top of the usual 5–10 kW per rack |
//! | `cluster.switches_per_rack`, `switch_ru`, `switch_watts` | 2, 1 U, 500 W | a redundant pair per rack; the wattage is a placeholder |
//! | `pricing` | book "", plan "", 5-year term, no overrides | |
//! | `pricing.power_region` | `us-va` | Northern Virginia is the largest data-centre market; its EIA industrial average prices power unless the scenario names another state row |
//! | `claims` | [] | extra statements to compare with `change` |
//!
//! Required: `start_month`, `lake.initial_pb`, `change.value`, `sites`, and `lake.target_pb`
//! with `lake.target_month` unless the curve is `points` (a date and a size are never
//! guessed; with `points` the `target_*` fields are not read, and `initial_pb` is the
//! point at `start_month`). The data-reduction default is 1.0 because no public figure exists for
//! Parquet/ORC lakes (price-facts.md): any higher ratio is the user's stated assumption.
//!
//! Additions to scenario.md's format 1, all optional with defaults: `cluster.rack_ru`,
//! `cluster.rack_kw`, `cluster.switches_per_rack`, `cluster.switch_ru`,
//! `cluster.switch_watts`, `pricing.power_region` (which of the price book's
//! `onprem.power.electricity.<region>` rows prices power) and top-level `claims`.
//! `pricing.overrides` maps a price-book row id to any JSON value; the price book gives it
//! meaning and checks it.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::calendar::Month;
use crate::change::ChangeBasis;
use crate::claims::{Claim, ClaimBasis};
use crate::cluster::Hardware;
use crate::display::grouped;
use crate::field::FieldError;
use crate::growth::Curve;
use crate::inputs::limits::{
    MAX_CLAIMS, MAX_ERRORS, MAX_HORIZON_MONTHS, MAX_NAME_CHARS, MAX_POINTS, MAX_SITES,
    MAX_SITE_MONTHS,
};
use crate::inputs::{InputSpec, ListSpec};
use crate::links::Bundle;
use crate::topology::Topology;
use crate::units::{BitRate, Bytes};

/// The registry's entry for a path, looked up at compile time (a path that is not in
/// the registry fails the build).
macro_rules! at {
    ($path:literal) => {
        const { crate::inputs::get($path) }
    };
}

/// A saved planning scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "d::format")]
    pub format: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub notes: String,
    pub start_month: Month,
    #[serde(default = "d::horizon")]
    pub horizon_months: u32,
    pub lake: Lake,
    pub change: Change,
    #[serde(default)]
    pub network: Network,
    #[serde(default)]
    pub source: Source,
    pub sites: Vec<Site>,
    #[serde(default)]
    pub links: Links,
    #[serde(default)]
    pub cluster: ClusterSpec,
    /// The cluster on cloud instances; absent: no cloud placement is computed and the
    /// report is what it was before the section existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_cluster: Option<CloudCluster>,
    #[serde(default)]
    pub pricing: Pricing,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

/// The lake's size and growth.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lake {
    pub initial_pb: f64,
    #[serde(default)]
    pub curve: CurveKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_pb: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_month: Option<Month>,
    #[serde(default)]
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveKind {
    Linear,
    #[default]
    Compound,
    Logistic,
    Points,
}

/// A dated lake size of a `points` curve.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub month: Month,
    pub pb: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    #[serde(default = "d::basis")]
    pub basis: ChangeBasis,
    pub value: f64,
    #[serde(default = "d::window_hours")]
    pub window_hours: f64,
    #[serde(default = "d::peak_to_mean")]
    pub peak_to_mean: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    #[serde(default = "d::mtu")]
    pub mtu_bytes: u32,
    /// Absent (every file and saved version before it): off, as the model was.
    #[serde(default)]
    pub tcp_timestamps: TcpTimestamps,
    /// Absent: an ACK per segment, the spec's Mathis constant.
    #[serde(default)]
    pub tcp_acks: TcpAcks,
    #[serde(default = "d::window_mib")]
    pub tcp_window_mib: f64,
    #[serde(default = "d::max_utilization")]
    pub max_utilization: f64,
    #[serde(default)]
    pub topology: Topology,
    /// `None`: the whole initial lake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_pb: Option<f64>,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            mtu_bytes: d::mtu(),
            tcp_timestamps: TcpTimestamps::default(),
            tcp_acks: TcpAcks::default(),
            tcp_window_mib: d::window_mib(),
            max_utilization: d::max_utilization(),
            topology: Topology::default(),
            seed_pb: None,
        }
    }
}

/// Whether the senders add the TCP timestamps option (12 bytes) to every segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TcpTimestamps {
    #[default]
    Off,
    On,
}

/// How receivers acknowledge, which sets the Mathis constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TcpAcks {
    /// One ACK per segment: C = √(3/2).
    #[default]
    PerPacket,
    /// One ACK per two segments: C = √(3/4).
    Delayed,
}

impl Network {
    /// TCP/IP header bytes a packet: 40, or 52 with timestamps.
    pub fn tcp_header_bytes(&self) -> u32 {
        match self.tcp_timestamps {
            TcpTimestamps::Off => crate::change::TCP_IP_HEADER_BYTES,
            TcpTimestamps::On => {
                crate::change::TCP_IP_HEADER_BYTES + crate::change::TCP_TIMESTAMPS_BYTES
            }
        }
    }

    /// Payload bytes a full segment carries (the MSS): MTU less the headers.
    pub fn mss_bytes(&self) -> u32 {
        self.mtu_bytes.saturating_sub(self.tcp_header_bytes())
    }

    /// The Mathis constant for the scenario's ACKs.
    pub fn mathis_c(&self) -> f64 {
        match self.tcp_acks {
            TcpAcks::PerPacket => crate::tcp::MATHIS_C,
            TcpAcks::Delayed => crate::tcp::MATHIS_C_DELAYED,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    #[default]
    Gcp,
    Aws,
    Azure,
    Onprem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EgressPath {
    #[default]
    Interconnect,
    Internet,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(default)]
    pub provider: Provider,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub egress_path: EgressPath,
    #[serde(default = "d::object_mb")]
    pub mean_object_mb: f64,
}

impl Default for Source {
    fn default() -> Self {
        Source {
            provider: Provider::default(),
            region: String::new(),
            egress_path: EgressPath::default(),
            mean_object_mb: d::object_mb(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub name: String,
    #[serde(default = "d::copy_fraction")]
    pub copy_fraction: f64,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    #[serde(default)]
    pub cloud: Link,
    #[serde(default)]
    pub inter_site: Link,
}

/// A bundle of equal ports on one path.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    #[serde(default = "d::ports")]
    pub ports: u32,
    #[serde(default = "d::port_gbps")]
    pub port_gbps: f64,
    #[serde(default = "d::rtt_ms")]
    pub rtt_ms: f64,
    #[serde(default = "d::loss")]
    pub loss_rate: f64,
}

impl Default for Link {
    fn default() -> Self {
        Link {
            ports: d::ports(),
            port_gbps: d::port_gbps(),
            rtt_ms: d::rtt_ms(),
            loss_rate: d::loss(),
        }
    }
}

/// The hardware profile as the file writes it (units in the names).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClusterSpec {
    pub enclosure_raw_tb: f64,
    pub enclosure_ru: u32,
    pub enclosure_watts: f64,
    pub min_enclosures: u32,
    pub ec_data: u32,
    pub ec_parity: u32,
    pub reserve_pct: f64,
    pub data_reduction: f64,
    pub fill_target: f64,
    pub node_cores: u32,
    pub node_ru: u32,
    pub node_watts: f64,
    pub node_write_gbytes_per_s: f64,
    pub node_read_gbytes_per_s: f64,
    pub min_nodes: u32,
    pub read_gbytes_per_s: f64,
    pub rack_ru: u32,
    pub rack_kw: f64,
    pub switches_per_rack: u32,
    pub switch_ru: u32,
    pub switch_watts: f64,
}

/// The registry's defaults (`crate::inputs`): the hardware of the price facts.
impl Default for ClusterSpec {
    fn default() -> Self {
        use crate::inputs::get;
        ClusterSpec {
            enclosure_raw_tb: const { get("cluster.enclosure_raw_tb").default.number() },
            enclosure_ru: const { get("cluster.enclosure_ru").default.whole() },
            enclosure_watts: const { get("cluster.enclosure_watts").default.number() },
            min_enclosures: const { get("cluster.min_enclosures").default.whole() },
            ec_data: const { get("cluster.ec_data").default.whole() },
            ec_parity: const { get("cluster.ec_parity").default.whole() },
            reserve_pct: const { get("cluster.reserve_pct").default.number() },
            data_reduction: const { get("cluster.data_reduction").default.number() },
            fill_target: const { get("cluster.fill_target").default.number() },
            node_cores: const { get("cluster.node_cores").default.whole() },
            node_ru: const { get("cluster.node_ru").default.whole() },
            node_watts: const { get("cluster.node_watts").default.number() },
            node_write_gbytes_per_s: const { get("cluster.node_write_gbytes_per_s").default.number() },
            node_read_gbytes_per_s: const { get("cluster.node_read_gbytes_per_s").default.number() },
            min_nodes: const { get("cluster.min_nodes").default.whole() },
            read_gbytes_per_s: const { get("cluster.read_gbytes_per_s").default.number() },
            rack_ru: const { get("cluster.rack_ru").default.whole() },
            rack_kw: const { get("cluster.rack_kw").default.number() },
            switches_per_rack: const { get("cluster.switches_per_rack").default.whole() },
            switch_ru: const { get("cluster.switch_ru").default.whole() },
            switch_watts: const { get("cluster.switch_watts").default.number() },
        }
    }
}

/// The same storage software on cloud instances with local NVMe, in the lake's provider
/// and region (spec CLOUD.md), as the file writes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudCluster {
    /// `<provider>.<type>`, an entry of the instance catalog.
    pub instance: String,
    #[serde(default)]
    pub commitment: crate::price_book::Commitment,
    #[serde(default = "d::cloud_ec_data")]
    pub ec_data: u32,
    #[serde(default = "d::cloud_ec_parity")]
    pub ec_parity: u32,
    #[serde(default = "d::across_zones")]
    pub across_zones: bool,
    #[serde(default = "d::cloud_fill_target")]
    pub fill_target: f64,
    #[serde(default = "d::min_instances")]
    pub min_instances: u32,
    #[serde(default = "d::network_efficiency")]
    pub network_efficiency: f64,
    /// `None`: the month's sustained replication rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput_gbps: Option<f64>,
    /// `None`: the price book's cloud rate row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_rate_usd_per_tb_month: Option<f64>,
}

impl CloudCluster {
    /// d/(d+p): the share of raw that holds data under the erasure code.
    pub fn ec_efficiency(&self) -> f64 {
        let d = f64::from(self.ec_data);
        d / (d + f64::from(self.ec_parity))
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    #[serde(default)]
    pub price_book: String,
    /// The hardware catalog the cluster's enclosure and node are matched in, to find the
    /// book rows that price them: a built-in `YYYY-MM` or a stored `hw-…`; empty: the
    /// newest in force (a save pins it). Files from before catalogs were versioned lack it.
    #[serde(default)]
    pub catalog: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default = "d::term")]
    pub term_years: u32,
    /// The region of the electricity row that prices power (`us-va` reads
    /// `onprem.power.electricity.us-va`); the price book checks it.
    #[serde(default = "d::power_region")]
    pub power_region: String,
    #[serde(default)]
    pub overrides: BTreeMap<String, Value>,
    /// The book `price_book` names, when it is not built in and whoever loaded the
    /// scenario had it (the browser, with the published books it fetched): pricing uses it
    /// for that id, and it travels with every copy a what-if makes. Never written to a
    /// file: the file names the book, the book stays where it is stored.
    #[serde(skip)]
    pub book: Option<AttachedBook>,
    /// The catalog `catalog` names, when it is not built in: as [`Pricing::book`].
    #[serde(skip)]
    pub attached_catalog: Option<AttachedCatalog>,
}

/// A stored price book carried by a scenario ([`Pricing::book`]). Stored books never
/// change, so two attachments of one id are the same book.
#[derive(Debug, Clone)]
pub struct AttachedBook(pub std::sync::Arc<crate::price_book::PriceBook>);

impl PartialEq for AttachedBook {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

/// A stored hardware catalog carried by a scenario ([`Pricing::attached_catalog`]).
#[derive(Debug, Clone)]
pub struct AttachedCatalog(pub std::sync::Arc<crate::price_book::Catalog>);

impl PartialEq for AttachedCatalog {
    fn eq(&self, other: &Self) -> bool {
        self.0.id == other.0.id
    }
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing {
            price_book: String::new(),
            catalog: String::new(),
            plan: String::new(),
            term_years: d::term(),
            power_region: d::power_region(),
            overrides: BTreeMap::new(),
            book: None,
            attached_catalog: None,
        }
    }
}

/// Default values for serde, read from the inputs registry (their one home) so serde and
/// [`Scenario::parse`] cannot drift. The enums' defaults are their `#[default]` variants;
/// a test holds every default equal to the registry's.
mod d {
    use crate::change::ChangeBasis;
    use crate::inputs::get;
    pub fn format() -> u32 {
        const { get("format").default.whole() }
    }
    pub fn horizon() -> u32 {
        const { get("horizon_months").default.whole() }
    }
    pub fn basis() -> ChangeBasis {
        ChangeBasis::PercentPerDay
    }
    pub fn window_hours() -> f64 {
        const { get("change.window_hours").default.number() }
    }
    pub fn peak_to_mean() -> f64 {
        const { get("change.peak_to_mean").default.number() }
    }
    pub fn mtu() -> u32 {
        const { get("network.mtu_bytes").default.whole() }
    }
    pub fn window_mib() -> f64 {
        const { get("network.tcp_window_mib").default.number() }
    }
    pub fn max_utilization() -> f64 {
        const { get("network.max_utilization").default.number() }
    }
    pub fn object_mb() -> f64 {
        const { get("source.mean_object_mb").default.number() }
    }
    pub fn copy_fraction() -> f64 {
        const { get("sites[].copy_fraction").default.number() }
    }
    /// The links' defaults; `links.cloud` and `links.inter_site` share them (a test
    /// checks the registry says so).
    pub fn ports() -> u32 {
        const { get("links.cloud.ports").default.whole() }
    }
    pub fn port_gbps() -> f64 {
        const { get("links.cloud.port_gbps").default.number() }
    }
    pub fn rtt_ms() -> f64 {
        const { get("links.cloud.rtt_ms").default.number() }
    }
    pub fn loss() -> f64 {
        const { get("links.cloud.loss_rate").default.number() }
    }
    pub fn term() -> u32 {
        const { get("pricing.term_years").default.whole() }
    }
    pub fn cloud_ec_data() -> u32 {
        const { get("cloud_cluster.ec_data").default.whole() }
    }
    pub fn cloud_ec_parity() -> u32 {
        const { get("cloud_cluster.ec_parity").default.whole() }
    }
    pub fn across_zones() -> bool {
        const { get("cloud_cluster.across_zones").default.flag() }
    }
    pub fn cloud_fill_target() -> f64 {
        const { get("cloud_cluster.fill_target").default.number() }
    }
    pub fn min_instances() -> u32 {
        const { get("cloud_cluster.min_instances").default.whole() }
    }
    pub fn network_efficiency() -> f64 {
        const { get("cloud_cluster.network_efficiency").default.number() }
    }
    pub fn power_region() -> String {
        const { get("pricing.power_region").default.text() }.into()
    }
}

/// Every problem found in a scenario, in file order of discovery.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScenarioErrors(pub Vec<FieldError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

impl Scenario {
    /// Reads and validates a scenario file, reporting every error at once.
    ///
    /// ```
    /// use lakeplan_models::scenario::Scenario;
    /// let e = Scenario::parse(r#"{"start_month": "2026-13", "lake": {"initial_pb": -5},
    ///     "change": {"value": 10}, "sites": []}"#).unwrap_err();
    /// let text = e.to_string();
    /// assert!(text.contains("start_month must be a month written YYYY-MM"));
    /// assert!(text.contains("lake.initial_pb must be > 0, got -5"));
    /// assert!(text.contains("sites must list at least one site"));
    /// ```
    pub fn parse(json: &str) -> Result<Scenario, ScenarioErrors> {
        let value: Value = serde_json::from_str(json).map_err(|e| {
            ScenarioErrors(vec![FieldError::new(
                "scenario",
                format!(
                    "is not valid JSON: {} (line {}, column {})",
                    strip_position(&e.to_string()),
                    e.line(),
                    e.column()
                ),
            )])
        })?;
        Scenario::read(&value, json)
    }

    /// Reads and validates a scenario already parsed as JSON, reporting every error at
    /// once, like [`Scenario::parse`] (without line numbers, there being no text): the way
    /// in for a document edited by field path, as the what-ifs and the form do, without
    /// writing it out as text and parsing it again.
    ///
    /// ```
    /// use lakeplan_models::scenario::Scenario;
    /// let mut doc = serde_json::json!({"start_month": "2026-01",
    ///     "lake": {"initial_pb": 450, "target_pb": 770, "target_month": "2030-01"},
    ///     "change": {"value": 10}, "sites": [{"name": "A"}]});
    /// assert!(Scenario::from_value(&doc).is_ok());
    /// lakeplan_models::path::set(&mut doc, "change.value", serde_json::json!(120));
    /// let e = Scenario::from_value(&doc).unwrap_err();
    /// assert_eq!(e.0[0].path, "change.value");
    /// ```
    pub fn from_value(value: &Value) -> Result<Scenario, ScenarioErrors> {
        Scenario::read(value, "")
    }

    /// Reads `value`; `json` is its text when there is one, for the lines of unknown keys.
    fn read(value: &Value, json: &str) -> Result<Scenario, ScenarioErrors> {
        if !value.is_object() {
            return Err(ScenarioErrors(vec![FieldError::new(
                "scenario",
                format!("must be a JSON object, got {}", describe(value)),
            )]));
        }
        let mut w = Walker {
            json,
            errors: Vec::new(),
            unlisted: 0,
        };
        let scenario = w.scenario(value);
        let mut errors = w.errors;
        scenario.validate_into(&mut errors);
        if w.unlisted > 0 {
            errors.push(FieldError::new(
                "scenario",
                format!(
                    "has {} more problems, not listed (the first {MAX_ERRORS} are)",
                    w.unlisted
                ),
            ));
        }
        if errors.is_empty() {
            Ok(scenario)
        } else {
            Err(ScenarioErrors(errors))
        }
    }

    /// Adds the range rules' errors to `errors` (a reader's), one per path: a path that
    /// already has one keeps it. [`Scenario::from_value`] does this after reading, and a
    /// sweep's row that sets a value on a scenario already read (`whatif::sweep`) does the
    /// same, so both answer the same errors.
    pub(crate) fn validate_into(&self, errors: &mut Vec<FieldError>) {
        for e in self.validate() {
            if !errors.iter().any(|seen| seen.path == e.path) {
                errors.push(e);
            }
        }
    }

    /// Checks every range rule; empty when the scenario can be computed. The form calls
    /// this on an edited scenario; [`Scenario::parse`] calls it after reading. The ranges
    /// and limits are the inputs registry's ([`crate::inputs`]); the rules across fields
    /// are here.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut v = Check(Vec::new());
        v.whole(at!("format"), self.format);
        v.whole(at!("horizon_months"), self.horizon_months);
        if self.horizon_months >= 1 && self.start_month.plus(self.horizon_months).is_none() {
            v.push("horizon_months", "runs past the year 9999");
        }
        self.validate_lake(&mut v);
        let c = &self.change;
        if let Err(e) = c.basis.check_value(c.value) {
            v.0.push(e);
        }
        v.number(at!("change.window_hours"), c.window_hours);
        v.number(at!("change.peak_to_mean"), c.peak_to_mean);
        let n = &self.network;
        v.whole(at!("network.mtu_bytes"), n.mtu_bytes);
        v.number(at!("network.tcp_window_mib"), n.tcp_window_mib);
        v.number(at!("network.max_utilization"), n.max_utilization);
        if let Some(s) = n.seed_pb {
            v.number(at!("network.seed_pb"), s);
        }
        v.number(at!("source.mean_object_mb"), self.source.mean_object_mb);
        self.validate_sites(&mut v);
        for (l, [ports, port_gbps, rtt_ms, loss_rate]) in [
            (
                &self.links.cloud,
                [
                    at!("links.cloud.ports"),
                    at!("links.cloud.port_gbps"),
                    at!("links.cloud.rtt_ms"),
                    at!("links.cloud.loss_rate"),
                ],
            ),
            (
                &self.links.inter_site,
                [
                    at!("links.inter_site.ports"),
                    at!("links.inter_site.port_gbps"),
                    at!("links.inter_site.rtt_ms"),
                    at!("links.inter_site.loss_rate"),
                ],
            ),
        ] {
            v.whole(ports, l.ports);
            v.number(port_gbps, l.port_gbps);
            v.number(rtt_ms, l.rtt_ms);
            v.number(loss_rate, l.loss_rate);
        }
        self.validate_cluster(&mut v);
        if let Some(c) = &self.cloud_cluster {
            if c.instance.trim().is_empty() {
                v.push(
                    "cloud_cluster.instance",
                    "must name an instance type, <provider>.<type> (e.g. gcp.z3-highmem-88-highlssd)",
                );
            }
            v.whole(at!("cloud_cluster.ec_data"), c.ec_data);
            v.whole(at!("cloud_cluster.ec_parity"), c.ec_parity);
            v.number(at!("cloud_cluster.fill_target"), c.fill_target);
            v.whole(at!("cloud_cluster.min_instances"), c.min_instances);
            v.number(
                at!("cloud_cluster.network_efficiency"),
                c.network_efficiency,
            );
            // Across three zones a stripe keeps at most ⌈(d+p)/3⌉ strips in one: losing a
            // zone loses that many, which the parity must cover.
            let per_zone = (c.ec_data + c.ec_parity).div_ceil(crate::cloud::ZONES);
            if c.across_zones && c.ec_parity >= 1 && c.ec_parity < per_zone {
                v.push(
                    "cloud_cluster.ec_parity",
                    format!(
                        "must be at least {per_zone} while stripes of {}+{} span {} zones (one zone holds {per_zone} strips of each), got {}",
                        c.ec_data,
                        c.ec_parity,
                        crate::cloud::ZONES,
                        c.ec_parity
                    ),
                );
            }
            if let Some(x) = c.throughput_gbps {
                v.number(at!("cloud_cluster.throughput_gbps"), x);
            }
            if let Some(x) = c.cloud_rate_usd_per_tb_month {
                v.number(at!("cloud_cluster.cloud_rate_usd_per_tb_month"), x);
            }
        }
        v.whole(at!("pricing.term_years"), self.pricing.term_years);
        v.list(
            const { crate::inputs::get_list("claims") },
            self.claims.len(),
        );
        for (i, c) in self.claims.iter().take(MAX_CLAIMS).enumerate() {
            v.item_number(
                at!("claims[].value"),
                || format!("claims[{i}].value"),
                c.value,
                c.basis == ClaimBasis::PercentPerDay,
            );
        }
        v.0
    }

    /// The sites: how many (and how many site-months), their names and shares. Only the
    /// first [`MAX_SITES`] are checked one by one: a longer list is refused anyway, and
    /// the uniqueness check grows with the square of the count.
    fn validate_sites(&self, v: &mut Check) {
        let sites = const { crate::inputs::get_list("sites") };
        if self.sites.is_empty() {
            v.push("sites", "must list at least one site");
        } else if !v.list(sites, self.sites.len()) {
            let n = self.sites.len() as u64;
            let h = u64::from(self.horizon_months);
            if (1..=u64::from(MAX_HORIZON_MONTHS)).contains(&h) && n * h > MAX_SITE_MONTHS {
                v.push(
                    "horizon_months",
                    format!(
                        "must be ≤ {} for {n} sites (sites × months ≤ {}), got {h}",
                        MAX_SITE_MONTHS / n,
                        grouped(MAX_SITE_MONTHS as f64, 0)
                    ),
                );
            }
        }
        for (i, s) in self.sites.iter().take(MAX_SITES).enumerate() {
            // Written only for an error: formatting the paths of every site was a third
            // of a sweep row's validation (which every report and row runs).
            let path = || format!("sites[{i}].name");
            let chars = s.name.chars().count();
            if s.name.trim().is_empty() {
                v.push(&path(), "must not be empty");
            } else if s.name.trim() == "cloud" {
                v.push(
                    &path(),
                    "must not be \"cloud\", which names the source in path names",
                );
            } else if chars > MAX_NAME_CHARS {
                v.push(
                    &path(),
                    format!("must be at most {MAX_NAME_CHARS} characters, got {chars}"),
                );
            } else if self.sites[..i].iter().any(|o| o.name == s.name) {
                v.push(
                    &path(),
                    format!("must be unique, \"{}\" is used twice", s.name),
                );
            }
            v.item_number(
                at!("sites[].copy_fraction"),
                || format!("sites[{i}].copy_fraction"),
                s.copy_fraction,
                false,
            );
        }
    }

    fn validate_lake(&self, v: &mut Check) {
        let l = &self.lake;
        v.number(at!("lake.initial_pb"), l.initial_pb);
        if l.curve == CurveKind::Points {
            if l.points.is_empty() {
                v.push(
                    "lake.points",
                    "must list at least one point when lake.curve is points",
                );
            }
            v.list(
                const { crate::inputs::get_list("lake.points") },
                l.points.len(),
            );
            let mut prev = self.start_month;
            for (i, p) in l.points.iter().take(MAX_POINTS).enumerate() {
                if p.month <= prev {
                    let after = if i == 0 {
                        format!("start_month ({})", self.start_month)
                    } else {
                        format!("the previous point ({prev})")
                    };
                    v.push(
                        &format!("lake.points[{i}].month"),
                        format!("must be after {after}, got {}", p.month),
                    );
                }
                prev = prev.max(p.month);
                v.number_at(
                    at!("lake.points[].pb"),
                    &format!("lake.points[{i}].pb"),
                    p.pb,
                    false,
                );
            }
        } else {
            let curve = curve_name(l.curve);
            match l.target_pb {
                None => v.push(
                    "lake.target_pb",
                    format!("is required when lake.curve is {curve}"),
                ),
                Some(t) => v.number_at(
                    at!("lake.target_pb"),
                    "lake.target_pb",
                    t,
                    l.curve == CurveKind::Compound,
                ),
            }
            match l.target_month {
                None => v.push(
                    "lake.target_month",
                    format!("is required when lake.curve is {curve}"),
                ),
                Some(m) if m <= self.start_month => v.push(
                    "lake.target_month",
                    format!("must be after start_month ({}), got {m}", self.start_month),
                ),
                Some(_) => {}
            }
            if !l.points.is_empty() {
                v.push(
                    "lake.points",
                    format!("is only read when lake.curve is points, but the curve is {curve}"),
                );
            }
        }
    }

    fn validate_cluster(&self, v: &mut Check) {
        let c = &self.cluster;
        v.number(at!("cluster.enclosure_raw_tb"), c.enclosure_raw_tb);
        v.whole(at!("cluster.enclosure_ru"), c.enclosure_ru);
        v.number(at!("cluster.enclosure_watts"), c.enclosure_watts);
        v.whole(at!("cluster.ec_data"), c.ec_data);
        v.whole(at!("cluster.ec_parity"), c.ec_parity);
        v.number(at!("cluster.reserve_pct"), c.reserve_pct);
        v.number(at!("cluster.data_reduction"), c.data_reduction);
        v.number(at!("cluster.fill_target"), c.fill_target);
        v.whole(at!("cluster.node_cores"), c.node_cores);
        v.whole(at!("cluster.node_ru"), c.node_ru);
        v.number(at!("cluster.node_watts"), c.node_watts);
        v.number(
            at!("cluster.node_write_gbytes_per_s"),
            c.node_write_gbytes_per_s,
        );
        v.number(
            at!("cluster.node_read_gbytes_per_s"),
            c.node_read_gbytes_per_s,
        );
        v.number(at!("cluster.read_gbytes_per_s"), c.read_gbytes_per_s);
        v.number(at!("cluster.switch_watts"), c.switch_watts);
        v.number(at!("cluster.rack_kw"), c.rack_kw);
        // `rack_ru` ≥ 1, `min_enclosures`, `min_nodes`, `switches_per_rack` and `switch_ru`
        // (any whole number) need no check of their own: the reader refuses what is not a
        // whole number, and a rack of 0 U has no room below.
        let p = |f: &str| format!("cluster.{f}");
        let switch_ru = u64::from(c.switches_per_rack) * u64::from(c.switch_ru);
        let free_ru = u64::from(c.rack_ru).saturating_sub(switch_ru);
        let biggest = c.enclosure_ru.max(c.node_ru);
        if free_ru < u64::from(biggest) {
            v.push(
                &p("rack_ru"),
                format!(
                    "must leave room for a {biggest} U device after {switch_ru} U of switches, got {}",
                    c.rack_ru
                ),
            );
        }
        let free_w = c.rack_kw * 1000.0 - f64::from(c.switches_per_rack) * c.switch_watts;
        let hungriest = c.enclosure_watts.max(c.node_watts);
        if c.rack_kw.is_finite() && c.rack_kw > 0.0 && free_w < hungriest {
            v.push(
                &p("rack_kw"),
                format!(
                    "must leave power for a {hungriest} W device after the switches' {} W, got {}",
                    f64::from(c.switches_per_rack) * c.switch_watts,
                    c.rack_kw
                ),
            );
        }
    }

    /// The month m months after the start.
    pub fn month(&self, m: u32) -> Option<Month> {
        self.start_month.plus(m)
    }

    /// The growth curve the lake follows. For a scenario that failed validation the
    /// missing parts are read as "no growth" rather than panicking.
    pub fn curve(&self) -> Curve {
        let l = &self.lake;
        let initial = Bytes::from_pb(l.initial_pb);
        let months_to = |m: Month| m.months_since(self.start_month) as f64;
        let target = Bytes::from_pb(l.target_pb.unwrap_or(l.initial_pb));
        let months = l.target_month.map_or(1.0, months_to);
        match l.curve {
            CurveKind::Linear => Curve::Linear {
                initial,
                target,
                months,
            },
            CurveKind::Compound => Curve::Compound {
                initial,
                target,
                months,
            },
            CurveKind::Logistic => Curve::Logistic {
                initial,
                target,
                months,
            },
            CurveKind::Points => Curve::Points {
                initial,
                points: l
                    .points
                    .iter()
                    .map(|p| (months_to(p.month), Bytes::from_pb(p.pb)))
                    .collect(),
            },
        }
    }

    /// The bytes to seed: `network.seed_pb`, or the whole initial lake.
    pub fn seed(&self) -> Bytes {
        Bytes::from_pb(self.network.seed_pb.unwrap_or(self.lake.initial_pb))
    }

    /// The hardware profile in model units.
    pub fn hardware(&self) -> Hardware {
        let c = &self.cluster;
        Hardware {
            enclosure_raw: Bytes::from_tb(c.enclosure_raw_tb),
            enclosure_ru: c.enclosure_ru,
            enclosure_watts: c.enclosure_watts,
            min_enclosures: c.min_enclosures,
            ec_data: c.ec_data,
            ec_parity: c.ec_parity,
            reserve: c.reserve_pct / 100.0,
            data_reduction: c.data_reduction,
            fill_target: c.fill_target,
            node_cores: c.node_cores,
            node_ru: c.node_ru,
            node_watts: c.node_watts,
            node_write: BitRate::from_gbytes_per_second(c.node_write_gbytes_per_s),
            node_read: BitRate::from_gbytes_per_second(c.node_read_gbytes_per_s),
            min_nodes: c.min_nodes,
            rack_ru: c.rack_ru,
            rack_kw: c.rack_kw,
            switches_per_rack: c.switches_per_rack,
            switch_ru: c.switch_ru,
            switch_watts: c.switch_watts,
        }
    }

    /// The link bundle of a path, at the scenario's MTU and utilisation ceiling.
    pub fn bundle(&self, link: &Link) -> Bundle {
        Bundle {
            ports: link.ports,
            port_speed: BitRate::from_gbps(link.port_gbps),
            max_utilization: self.network.max_utilization,
            efficiency: crate::change::wire_efficiency(
                self.network.mtu_bytes,
                self.network.tcp_header_bytes(),
            ),
        }
    }
}

fn curve_name(c: CurveKind) -> &'static str {
    match c {
        CurveKind::Linear => "linear",
        CurveKind::Compound => "compound",
        CurveKind::Logistic => "logistic",
        CurveKind::Points => "points",
    }
}

/// serde_json appends " at line L column C"; the parse error states them itself.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

/// Collects range errors, worded by the registry ([`InputSpec::check`]).
struct Check(Vec<FieldError>);

impl Check {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(path, message));
    }
    /// A field with no `when` condition, at its own path.
    fn number(&mut self, spec: &InputSpec, x: f64) {
        self.number_at(spec, spec.path, x, false);
    }
    /// A field at `path` (a list item's, for `sites[].copy_fraction`), with its `when`
    /// condition holding or not.
    fn number_at(&mut self, spec: &InputSpec, path: &str, x: f64, holds: bool) {
        if let Err(e) = spec.check(path, x, holds) {
            self.0.push(e);
        }
    }
    /// [`Check::number_at`] for a list item, whose path (`sites[2].copy_fraction`) is
    /// written only when there is an error to name it: whether there is one does not
    /// depend on the path.
    fn item_number(
        &mut self,
        spec: &InputSpec,
        path: impl FnOnce() -> String,
        x: f64,
        holds: bool,
    ) {
        if spec.check(spec.path, x, holds).is_err() {
            self.number_at(spec, &path(), x, holds);
        }
    }
    fn whole(&mut self, spec: &InputSpec, x: u32) {
        self.number(spec, f64::from(x));
    }
    /// The list's upper limit; true when it is passed.
    fn list(&mut self, spec: &ListSpec, len: usize) -> bool {
        match spec.check_max(len) {
            Some(message) => {
                self.push(spec.path, message);
                true
            }
            None => false,
        }
    }
}

/// Reads the JSON tree into a [`Scenario`], noting wrong types, missing required fields
/// and unknown fields with their paths, and filling the rest from the defaults.
struct Walker<'a> {
    json: &'a str,
    /// At most [`MAX_ERRORS`].
    errors: Vec<FieldError>,
    /// Problems found past [`MAX_ERRORS`], counted only.
    unlisted: usize,
}

/// One JSON object being read: which keys were asked for, so the rest are unknown.
struct Obj<'v> {
    path: String,
    map: Option<&'v Map<String, Value>>,
    known: Vec<&'static str>,
}

impl<'v> Obj<'v> {
    /// The path of `key` inside this object. A key that is not a plain name (empty, or
    /// with dots or brackets) is quoted, so the path stays readable and unambiguous.
    fn key(&self, key: &str) -> String {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        match (self.path.is_empty(), plain) {
            (true, true) => key.to_string(),
            (false, true) => format!("{}.{key}", self.path),
            (_, false) => format!("{}[{}]", self.path, quote(key)),
        }
    }
}

fn quote(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""))
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

impl<'a> Walker<'a> {
    fn err(&mut self, path: String, message: impl Into<String>) {
        if self.full() {
            self.unlisted += 1;
        } else {
            self.errors.push(FieldError::new(path, message));
        }
    }

    /// [`MAX_ERRORS`] are listed: describing more (an unknown key's line is a search of
    /// the whole text) would cost more than reading the file.
    fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }

    fn obj<'v>(&mut self, path: String, v: Option<&'v Value>) -> Obj<'v> {
        let map = match v {
            None => None,
            Some(Value::Object(m)) => Some(m),
            Some(other) => {
                let got = describe(other);
                self.err(path.clone(), format!("must be an object, got {got}"));
                None
            }
        };
        Obj {
            path,
            map,
            known: Vec::new(),
        }
    }

    fn get<'v>(&mut self, o: &mut Obj<'v>, key: &'static str) -> Option<&'v Value> {
        o.known.push(key);
        o.map.and_then(|m| m.get(key))
    }

    /// Reports every key of `o` that was not asked for, with its line when it is
    /// unambiguous in the text.
    fn finish(&mut self, o: Obj<'_>) {
        let Some(map) = o.map else { return };
        for key in map.keys() {
            if !o.known.contains(&key.as_str()) {
                if self.full() {
                    self.unlisted += 1;
                    continue;
                }
                let line = self
                    .line_of_key(key)
                    .map_or(String::new(), |l| format!(" (line {l})"));
                let msg = format!(
                    "is not a known field{line}; {} has: {}",
                    if o.path.is_empty() {
                        "the scenario"
                    } else {
                        &o.path
                    },
                    o.known.join(", ")
                );
                self.err(o.key(key), msg);
            }
        }
    }

    fn line_of_key(&self, key: &str) -> Option<usize> {
        let quoted = serde_json::to_string(key).ok()?;
        let mut hits = self
            .json
            .match_indices(&quoted)
            .filter(|(i, _)| self.json[i + quoted.len()..].trim_start().starts_with(':'));
        let (first, _) = hits.next()?;
        if hits.next().is_some() {
            return None;
        }
        Some(self.json[..first].matches('\n').count() + 1)
    }

    fn required(&mut self, o: &Obj<'_>, key: &str) {
        if o.map.is_some() || o.path.is_empty() {
            self.err(o.key(key), "is required");
        } else {
            self.err(
                o.key(key),
                format!("is required (add \"{}\": {{…}})", o.path),
            );
        }
    }

    fn num(&mut self, o: &mut Obj<'_>, key: &'static str, default: f64) -> f64 {
        match self.get(o, key) {
            None => default,
            Some(Value::Number(n)) => n.as_f64().unwrap_or(default),
            Some(other) => {
                let got = describe(other);
                self.err(o.key(key), format!("must be a number, got {got}"));
                default
            }
        }
    }

    /// A required number: a missing one is an error and reads as `placeholder` (a valid
    /// value, so the range checks do not report it twice).
    fn req_num(&mut self, o: &mut Obj<'_>, key: &'static str, placeholder: f64) -> f64 {
        if o.map.and_then(|m| m.get(key)).is_none() {
            o.known.push(key);
            self.required(o, key);
            return placeholder;
        }
        self.num(o, key, placeholder)
    }

    fn opt_num(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<f64> {
        match self.get(o, key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                let got = describe(other);
                self.err(o.key(key), format!("must be a number, got {got}"));
                None
            }
        }
    }

    /// A whole number field of the registry: its key, default and minimum from `spec`.
    fn whole(&mut self, o: &mut Obj<'_>, spec: &'static InputSpec) -> u32 {
        let min = match spec.kind {
            crate::inputs::Kind::Whole { min, .. } => min,
            _ => 0,
        };
        self.uint(o, spec.key(), spec.default.whole(), min)
    }

    /// A number field of the registry with a default: its key and default from `spec`.
    fn number(&mut self, o: &mut Obj<'_>, spec: &'static InputSpec) -> f64 {
        self.num(o, spec.key(), spec.default.number())
    }

    /// A whole number ≥ `min`; range errors above `min` are the validator's.
    fn uint(&mut self, o: &mut Obj<'_>, key: &'static str, default: u32, min: u32) -> u32 {
        match self.get(o, key) {
            None => default,
            Some(Value::Number(n)) => match n.as_u64().map(u32::try_from) {
                Some(Ok(x)) => x,
                _ => {
                    let msg = match n.as_f64() {
                        Some(x) if x >= f64::from(u32::MAX) => {
                            format!("must be a whole number ≤ {}, got {n}", u32::MAX)
                        }
                        _ => format!("must be a whole number ≥ {min}, got {n}"),
                    };
                    self.err(o.key(key), msg);
                    default
                }
            },
            Some(other) => {
                let got = describe(other);
                self.err(
                    o.key(key),
                    format!("must be a whole number ≥ {min}, got {got}"),
                );
                default
            }
        }
    }

    /// A flag field of the registry: `true` or `false`, its default when missing.
    fn flag(&mut self, o: &mut Obj<'_>, spec: &'static InputSpec) -> bool {
        let key = spec.key();
        match self.get(o, key) {
            None => spec.default.flag(),
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                let got = describe(other);
                self.err(o.key(key), format!("must be true or false, got {got}"));
                spec.default.flag()
            }
        }
    }

    fn string(&mut self, o: &mut Obj<'_>, key: &'static str) -> String {
        match self.get(o, key) {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                let got = describe(other);
                self.err(o.key(key), format!("must be text, got {got}"));
                String::new()
            }
        }
    }

    fn month(&mut self, o: &mut Obj<'_>, key: &'static str) -> Option<Month> {
        match self.get(o, key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => match s.parse::<Month>() {
                Ok(m) => Some(m),
                Err(e) => {
                    self.err(o.key(key), e.to_string());
                    None
                }
            },
            Some(other) => {
                let got = describe(other);
                self.err(
                    o.key(key),
                    format!("must be a month written YYYY-MM (e.g. 2026-01), got {got}"),
                );
                None
            }
        }
    }

    /// One of a fixed set of names, read through the type's own serde names.
    fn choice<T: serde::de::DeserializeOwned>(
        &mut self,
        o: &mut Obj<'_>,
        key: &'static str,
        default: T,
        allowed: &str,
    ) -> T {
        match self.get(o, key) {
            None => default,
            Some(v) => match serde_json::from_value::<T>(v.clone()) {
                Ok(t) if v.is_string() => t,
                _ => {
                    let got = describe(v);
                    self.err(o.key(key), format!("must be one of {allowed}, got {got}"));
                    default
                }
            },
        }
    }

    fn list<'v>(&mut self, o: &mut Obj<'v>, key: &'static str) -> Option<&'v Vec<Value>> {
        match self.get(o, key) {
            None => None,
            Some(Value::Array(a)) => Some(a),
            Some(other) => {
                let got = describe(other);
                self.err(o.key(key), format!("must be a list, got {got}"));
                None
            }
        }
    }

    fn scenario(&mut self, root: &Value) -> Scenario {
        let mut o = match root {
            Value::Object(m) => Obj {
                path: String::new(),
                map: Some(m),
                known: Vec::new(),
            },
            other => {
                let got = describe(other);
                self.err(
                    "scenario".into(),
                    format!("must be a JSON object, got {got}"),
                );
                Obj {
                    path: String::new(),
                    map: None,
                    known: Vec::new(),
                }
            }
        };
        let format = self.whole(&mut o, at!("format"));
        let name = self.string(&mut o, "name");
        let customer = self.string(&mut o, "customer");
        let notes = self.string(&mut o, "notes");
        // `null` reads as missing: a required month has no "none" (serde refuses it too).
        let start = if o
            .map
            .and_then(|m| m.get("start_month"))
            .is_none_or(Value::is_null)
        {
            o.known.push("start_month");
            if o.map.is_some() {
                self.required(&o, "start_month");
            }
            None
        } else {
            self.month(&mut o, "start_month")
        };
        let start_month = start.unwrap_or(Month::PLACEHOLDER);
        let horizon_months = self.whole(&mut o, at!("horizon_months"));
        let lake_v = self.get(&mut o, "lake");
        if lake_v.is_none() && o.map.is_some() {
            self.required(&o, "lake");
        }
        let lake = self.lake(lake_v);
        let change_v = self.get(&mut o, "change");
        if change_v.is_none() && o.map.is_some() {
            self.required(&o, "change");
        }
        let change = self.change(change_v);
        let network_v = self.get(&mut o, "network");
        let network = self.network(network_v);
        let source_v = self.get(&mut o, "source");
        let source = self.source(source_v);
        let sites = match self.list(&mut o, "sites") {
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, v)| self.site(i, v))
                .collect(),
            None => Vec::new(),
        };
        let links_v = self.get(&mut o, "links");
        let links = self.links(links_v);
        let cluster_v = self.get(&mut o, "cluster");
        let cluster = self.cluster(cluster_v);
        let cloud_v = self.get(&mut o, "cloud_cluster");
        let cloud_cluster = self.cloud_cluster(cloud_v);
        let pricing_v = self.get(&mut o, "pricing");
        let pricing = self.pricing(pricing_v);
        let claims = match self.list(&mut o, "claims") {
            Some(list) => list
                .iter()
                .enumerate()
                .map(|(i, v)| self.claim(i, v))
                .collect(),
            None => Vec::new(),
        };
        self.finish(o);
        Scenario {
            format,
            name,
            customer,
            notes,
            start_month,
            horizon_months,
            lake,
            change,
            network,
            source,
            sites,
            links,
            cluster,
            cloud_cluster,
            pricing,
            claims,
        }
    }

    /// The optional section: absent or `null` is none.
    fn cloud_cluster(&mut self, v: Option<&Value>) -> Option<CloudCluster> {
        if v.is_none_or(Value::is_null) {
            return None;
        }
        let mut o = self.obj("cloud_cluster".into(), v);
        o.map?;
        let instance = if o.map.and_then(|m| m.get("instance")).is_none() {
            o.known.push("instance");
            self.required(&o, "instance");
            String::new()
        } else {
            self.string(&mut o, "instance")
        };
        let c = CloudCluster {
            instance,
            commitment: self.choice(
                &mut o,
                "commitment",
                crate::price_book::Commitment::default(),
                "on_demand, 1y, 3y",
            ),
            ec_data: self.whole(&mut o, at!("cloud_cluster.ec_data")),
            ec_parity: self.whole(&mut o, at!("cloud_cluster.ec_parity")),
            across_zones: self.flag(&mut o, at!("cloud_cluster.across_zones")),
            fill_target: self.number(&mut o, at!("cloud_cluster.fill_target")),
            min_instances: self.whole(&mut o, at!("cloud_cluster.min_instances")),
            network_efficiency: self.number(&mut o, at!("cloud_cluster.network_efficiency")),
            throughput_gbps: self.opt_num(&mut o, "throughput_gbps"),
            cloud_rate_usd_per_tb_month: self.opt_num(&mut o, "cloud_rate_usd_per_tb_month"),
        };
        self.finish(o);
        Some(c)
    }

    fn lake(&mut self, v: Option<&Value>) -> Lake {
        let mut o = self.obj("lake".into(), v);
        let initial_pb = if o.map.is_some() {
            self.req_num(&mut o, "initial_pb", 1.0)
        } else {
            o.known.push("initial_pb");
            1.0
        };
        let curve = self.choice(
            &mut o,
            "curve",
            CurveKind::default(),
            "linear, compound, logistic, points",
        );
        let target_pb = self.opt_num(&mut o, "target_pb");
        let target_month = self.month(&mut o, "target_month");
        let mut points = Vec::new();
        if let Some(list) = self.list(&mut o, "points") {
            for (i, pv) in list.iter().enumerate() {
                let mut p = self.obj(format!("lake.points[{i}]"), Some(pv));
                let month = if p
                    .map
                    .and_then(|m| m.get("month"))
                    .is_none_or(Value::is_null)
                {
                    p.known.push("month");
                    if p.map.is_some() {
                        self.required(&p, "month");
                    }
                    None
                } else {
                    self.month(&mut p, "month")
                };
                let pb = if p.map.is_some() {
                    self.req_num(&mut p, "pb", 0.0)
                } else {
                    0.0
                };
                self.finish(p);
                if let Some(month) = month {
                    points.push(Point { month, pb });
                }
            }
        }
        self.finish(o);
        Lake {
            initial_pb,
            curve,
            target_pb,
            target_month,
            points,
        }
    }

    fn change(&mut self, v: Option<&Value>) -> Change {
        let mut o = self.obj("change".into(), v);
        let basis = self.choice(
            &mut o,
            "basis",
            d::basis(),
            "percent_per_day, pb_per_day, pb_per_month",
        );
        let value = if o.map.is_some() {
            self.req_num(&mut o, "value", 0.0)
        } else {
            o.known.push("value");
            0.0
        };
        let window_hours = self.number(&mut o, at!("change.window_hours"));
        let peak_to_mean = self.number(&mut o, at!("change.peak_to_mean"));
        self.finish(o);
        Change {
            basis,
            value,
            window_hours,
            peak_to_mean,
        }
    }

    fn network(&mut self, v: Option<&Value>) -> Network {
        let mut o = self.obj("network".into(), v);
        let n = Network {
            mtu_bytes: self.whole(&mut o, at!("network.mtu_bytes")),
            tcp_timestamps: self.choice(
                &mut o,
                "tcp_timestamps",
                TcpTimestamps::default(),
                "off, on",
            ),
            tcp_acks: self.choice(
                &mut o,
                "tcp_acks",
                TcpAcks::default(),
                "per_packet, delayed",
            ),
            tcp_window_mib: self.number(&mut o, at!("network.tcp_window_mib")),
            max_utilization: self.number(&mut o, at!("network.max_utilization")),
            topology: self.choice(&mut o, "topology", Topology::default(), "chain, fan_out"),
            seed_pb: self.opt_num(&mut o, "seed_pb"),
        };
        self.finish(o);
        n
    }

    fn source(&mut self, v: Option<&Value>) -> Source {
        let mut o = self.obj("source".into(), v);
        let s = Source {
            provider: self.choice(
                &mut o,
                "provider",
                Provider::default(),
                "gcp, aws, azure, onprem",
            ),
            region: self.string(&mut o, "region"),
            egress_path: self.choice(
                &mut o,
                "egress_path",
                EgressPath::default(),
                "interconnect, internet",
            ),
            mean_object_mb: self.number(&mut o, at!("source.mean_object_mb")),
        };
        self.finish(o);
        s
    }

    fn site(&mut self, i: usize, v: &Value) -> Site {
        let mut o = self.obj(format!("sites[{i}]"), Some(v));
        let name = if o.map.is_some() && o.map.and_then(|m| m.get("name")).is_none() {
            o.known.push("name");
            self.required(&o, "name");
            format!("Site {}", i + 1)
        } else {
            self.string(&mut o, "name")
        };
        let copy_fraction = self.number(&mut o, at!("sites[].copy_fraction"));
        self.finish(o);
        Site {
            name,
            copy_fraction,
        }
    }

    fn links(&mut self, v: Option<&Value>) -> Links {
        let mut o = self.obj("links".into(), v);
        let cloud_v = self.get(&mut o, "cloud");
        let cloud = self.link(
            "links.cloud",
            cloud_v,
            [
                at!("links.cloud.ports"),
                at!("links.cloud.port_gbps"),
                at!("links.cloud.rtt_ms"),
                at!("links.cloud.loss_rate"),
            ],
        );
        let inter_v = self.get(&mut o, "inter_site");
        let inter_site = self.link(
            "links.inter_site",
            inter_v,
            [
                at!("links.inter_site.ports"),
                at!("links.inter_site.port_gbps"),
                at!("links.inter_site.rtt_ms"),
                at!("links.inter_site.loss_rate"),
            ],
        );
        self.finish(o);
        Links { cloud, inter_site }
    }

    /// One link; `specs` are its ports, port speed, round trip and loss rate.
    fn link(&mut self, path: &str, v: Option<&Value>, specs: [&'static InputSpec; 4]) -> Link {
        let mut o = self.obj(path.into(), v);
        let [ports, port_gbps, rtt_ms, loss_rate] = specs;
        let l = Link {
            ports: self.whole(&mut o, ports),
            port_gbps: self.number(&mut o, port_gbps),
            rtt_ms: self.number(&mut o, rtt_ms),
            loss_rate: self.number(&mut o, loss_rate),
        };
        self.finish(o);
        l
    }

    fn cluster(&mut self, v: Option<&Value>) -> ClusterSpec {
        let mut o = self.obj("cluster".into(), v);
        let c = ClusterSpec {
            enclosure_raw_tb: self.number(&mut o, at!("cluster.enclosure_raw_tb")),
            enclosure_ru: self.whole(&mut o, at!("cluster.enclosure_ru")),
            enclosure_watts: self.number(&mut o, at!("cluster.enclosure_watts")),
            min_enclosures: self.whole(&mut o, at!("cluster.min_enclosures")),
            ec_data: self.whole(&mut o, at!("cluster.ec_data")),
            ec_parity: self.whole(&mut o, at!("cluster.ec_parity")),
            reserve_pct: self.number(&mut o, at!("cluster.reserve_pct")),
            data_reduction: self.number(&mut o, at!("cluster.data_reduction")),
            fill_target: self.number(&mut o, at!("cluster.fill_target")),
            node_cores: self.whole(&mut o, at!("cluster.node_cores")),
            node_ru: self.whole(&mut o, at!("cluster.node_ru")),
            node_watts: self.number(&mut o, at!("cluster.node_watts")),
            node_write_gbytes_per_s: self.number(&mut o, at!("cluster.node_write_gbytes_per_s")),
            node_read_gbytes_per_s: self.number(&mut o, at!("cluster.node_read_gbytes_per_s")),
            min_nodes: self.whole(&mut o, at!("cluster.min_nodes")),
            read_gbytes_per_s: self.number(&mut o, at!("cluster.read_gbytes_per_s")),
            rack_ru: self.whole(&mut o, at!("cluster.rack_ru")),
            rack_kw: self.number(&mut o, at!("cluster.rack_kw")),
            switches_per_rack: self.whole(&mut o, at!("cluster.switches_per_rack")),
            switch_ru: self.whole(&mut o, at!("cluster.switch_ru")),
            switch_watts: self.number(&mut o, at!("cluster.switch_watts")),
        };
        self.finish(o);
        c
    }

    fn pricing(&mut self, v: Option<&Value>) -> Pricing {
        let mut o = self.obj("pricing".into(), v);
        let price_book = self.string(&mut o, "price_book");
        let catalog = self.string(&mut o, "catalog");
        let plan = self.string(&mut o, "plan");
        let term_years = self.whole(&mut o, at!("pricing.term_years"));
        let power_region = if o.map.and_then(|m| m.get("power_region")).is_none() {
            o.known.push("power_region");
            d::power_region()
        } else {
            self.string(&mut o, "power_region")
        };
        let overrides = match self.get(&mut o, "overrides") {
            None => BTreeMap::new(),
            Some(Value::Object(m)) => {
                // Inserted one by one: collecting would compile a sort for (String, Value)
                // into the browser bundle, only to sort keys that are already unique.
                let mut overrides = BTreeMap::new();
                for (k, v) in m {
                    overrides.insert(k.clone(), v.clone());
                }
                overrides
            }
            Some(other) => {
                let got = describe(other);
                self.err(
                    "pricing.overrides".into(),
                    format!("must be an object of price-book row ids, got {got}"),
                );
                BTreeMap::new()
            }
        };
        self.finish(o);
        Pricing {
            price_book,
            catalog,
            plan,
            term_years,
            power_region,
            overrides,
            book: None,
            attached_catalog: None,
        }
    }

    fn claim(&mut self, i: usize, v: &Value) -> Claim {
        let mut o = self.obj(format!("claims[{i}]"), Some(v));
        let label = self.string(&mut o, "label");
        let basis = if o.map.is_some() && o.map.and_then(|m| m.get("basis")).is_none() {
            o.known.push("basis");
            self.required(&o, "basis");
            ClaimBasis::PbPerDay
        } else {
            self.choice(
                &mut o,
                "basis",
                ClaimBasis::PbPerDay,
                "percent_per_day, pb_per_day, pb_per_month, tbps",
            )
        };
        let value = if o.map.is_some() {
            self.req_num(&mut o, "value", 0.0)
        } else {
            0.0
        };
        self.finish(o);
        Claim {
            label,
            basis,
            value,
        }
    }
}
