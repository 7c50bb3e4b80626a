//! The Lakeplan planning model.
//!
//! Every figure Lakeplan shows is computed here, once, so the browser (wasm32), the server
//! and the CLI agree to the last digit. The crate does no I/O and knows no framework: it
//! takes typed inputs and returns typed outputs. Each section of `docs/model.md` has one
//! module that owns it.
//!
//! The path every surface takes:
//!
//! ```
//! use lakeplan_models::egress::EgressRate;
//! use lakeplan_models::pricing::{Plan, Prices, SpaceRate};
//! use lakeplan_models::report;
//! use lakeplan_models::scenario::Scenario;
//! use lakeplan_models::units::{Usd, UsdPerGib, UsdPerHour};
//!
//! let scenario = Scenario::parse(r#"{
//!     "start_month": "2026-01", "horizon_months": 12,
//!     "lake": {"initial_pb": 450, "target_pb": 770, "target_month": "2030-01"},
//!     "change": {"value": 10},
//!     "sites": [{"name": "Region 1"}, {"name": "Region 2"}]
//! }"#).expect("a valid scenario");
//! // `report::compute_priced(&scenario)` builds this from the scenario's price book
//! // (module `priced`) and keeps the rows it used; here, by hand.
//! let prices = Prices {
//!     book: "example".into(),
//!     egress: EgressRate::FlatPerGib(UsdPerGib(0.02)),
//!     request: None,
//!     cloud_port: UsdPerHour(23.28),
//!     inter_site_port: UsdPerHour(0.0),
//!     licence: Plan::default(),
//!     enclosure: Usd(0.0),
//!     node: Usd(0.0),
//!     switch: Usd(0.0),
//!     support_fraction_per_year: 0.0,
//!     power_usd_per_kwh: 0.09,
//!     pue: 1.58,
//!     space: SpaceRate::PerKwMonth(184.06),
//!     cloud: None,
//! };
//! let r = report::compute(&scenario, &prices);
//! assert_eq!(r.months.len(), 12);
//! // Data reduction defaults to 1.0: 450 PB / 0.8 / (146/150) / 0.92 / 1.35168 PB → 465.
//! assert_eq!(r.months[0].sites[0].enclosures, 465);
//! let csv = report::to_csv(&r);
//! assert!(csv.starts_with("month,days,lake_pb"));
//! ```

mod builtin;
pub mod calendar;
pub mod change;
pub mod claims;
pub mod cloud;
pub mod cluster;
pub mod compare;
pub mod display;
pub mod egress;
pub mod export;
pub mod field;
pub mod growth;
pub mod impact;
pub mod inputs;
pub mod library;
pub mod links;
pub mod path;
pub mod presets;
pub mod price_book;
pub mod priced;
pub mod pricing;
pub mod report;
pub mod reprice;
pub mod scenario;
pub mod tcp;
pub mod topology;
pub mod units;
pub mod verdict;
pub mod whatif;

/// The version of the model, written into every report so a figure can be traced to the
/// code that produced it.
pub const MODEL_VERSION: &str = env!("CARGO_PKG_VERSION");
