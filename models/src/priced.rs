//! From a scenario and a price book to the [`Prices`] a report needs, keeping the row behind
//! every figure (`docs/model.md#price-book-and-catalog`, and `docs/model.md#pricing`).
//!
//! The model computes with [`Prices`]; the book holds dated, sourced rows. This module is
//! the one place that decides which rows a scenario uses, so "where does this dollar come
//! from?" has one answer: [`PricedWith::assumptions`] lists each row used, what it priced,
//! its source, date and confidence, the rows still holding a stand-in value, and the costs
//! the book cannot price at all (shown as $0, never silently).
//!
//! Rows are selected by id or tier group, never by filtering on category and provider
//! (`data/README.md`): `gcp.internet.egress.exit-waiver` is also GCP internet egress.
//!
//! A scenario field the pricer comes to read must leave `whatif::sweep::PRICED_ALIKE`: a
//! sweep that varies only those fields prices its base once for every row (the list's
//! test varies each field and fails when the prices move).
//!
//! Choices where the spec is silent:
//! - `pricing.price_book` left empty means the newest built-in book; the report names the
//!   book it used. A named book this build does not carry is an error.
//! - A cloud region is mapped to the book's rows by the explicit table in this module
//!   ([`egress_regions`]); a region missing from it is an error naming `source.region`,
//!   never a nearby default, because a wrong geography is a wrong price (Asia costs 2.1×
//!   North America over GCP Interconnect). GCP prices Interconnect egress by continent
//!   (north-america, europe, asia rows) and internet egress worldwide; the book has AWS
//!   prices for US East only (us-east-1 and us-east-2, both "US East") and Azure internet
//!   prices for US regions only. Azure ExpressRoute is priced at the book's lowest zone
//!   rate for US regions, on the assumption that the peering location is in zone 1.
//! - Azure internet egress uses Microsoft network routing, Azure's default routing
//!   preference; GCP requests are Class B (GET) operations on Standard storage.
//! - Interconnect ports are priced by `links.cloud.port_gbps` from the provider's
//!   `<provider>.<product>.port.<N>g` rows; a speed the provider does not sell is an error.
//!   The internet path rents no port from the provider: its port-hours are $0 and listed
//!   as unpriced, as are carrier circuits between sites (`links.inter_site`), which no
//!   book prices yet, and GCP VLAN attachments (the book's rows stop at 50 Gbps).
//! - An on-premises source pays no egress and no requests.
//! - A licence plan is the book's `licence.<plan>.<component>[.tN]` rows: a core-year or
//!   usable-TB-year rate (graduated when tiered), and `percent_off` brackets picked by the
//!   term's length that apply to every component of the plan.
//! - Hardware is priced from the catalog model that matches the scenario's profile: the
//!   enclosure with `cluster.enclosure_raw_tb` raw TB, the node with `cluster.node_cores`
//!   cores. A profile the catalog lacks is an error naming the field (price it by adding
//!   the model to the catalog and the book). Switches are priced only when racks have
//!   switches.
//! - Power is priced from `onprem.power.electricity.<pricing.power_region>` (default
//!   `us-va`), PUE from `onprem.power.pue`, space from `onprem.space.colocation.na`.

use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::calendar::Date;
use crate::cloud::CloudPrices;
use crate::egress::{EgressRate, Tier};
use crate::field::FieldError;
use crate::library::{Builtin, Library};
use crate::price_book::{
    Catalog, Confidence, InstanceCatalog, PriceBook, PriceBookError, PriceRow, Unit, FX_USD_PER_EUR,
};
use crate::pricing::{Basis, Component, Plan, Prices, QuantityTier, SpaceRate, TermDiscount};
use crate::scenario::{EgressPath, Provider, Scenario, ScenarioErrors};
use crate::units::{Bytes, Usd, UsdPerGb, UsdPerGib, UsdPerHour, UsdPerRequest};

/// One price-book row behind a figure of a report, as the assumptions panel and the PDF
/// show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RowRef {
    pub id: String,
    pub item: String,
    /// The value used, after any scenario override, in `unit`.
    pub value: f64,
    pub unit: Unit,
    pub source: String,
    pub read_on: Date,
    pub confidence: Confidence,
    /// The book's own value when `pricing.overrides` replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden_from: Option<f64>,
    /// What the row priced, e.g. `egress`, `licence`, `power`.
    pub used_for: String,
}

impl RowRef {
    fn new(row: &PriceRow, used_for: &str) -> RowRef {
        RowRef {
            id: row.id.clone(),
            item: row.item.clone(),
            value: row.value,
            unit: row.unit,
            source: row.source.clone(),
            read_on: row.read_on,
            confidence: row.confidence,
            overridden_from: row.overridden_from,
            used_for: used_for.into(),
        }
    }

    /// A placeholder or estimate that no override replaced: confirm before quoting.
    pub fn needs_override(&self) -> bool {
        self.confidence.needs_override() && self.overridden_from.is_none()
    }
}

/// A cost the price book cannot price for this scenario. It counts as $0 in the report,
/// and is listed so nobody mistakes the $0 for a price.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Unpriced {
    /// The scenario field whose cost is missing, e.g. `links.inter_site`.
    pub field: String,
    pub reason: String,
}

/// Where a report's prices come from.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Assumptions {
    /// Every row used, in the order the report's cost lines use them.
    pub rows_used: Vec<RowRef>,
    /// Ids of the rows in `rows_used` that still hold a placeholder or estimate.
    pub needs_override: Vec<String>,
    pub unpriced: Vec<Unpriced>,
}

impl Assumptions {
    /// True for a report priced by hand (tests, the doc example): nothing to trace.
    pub fn is_empty(&self) -> bool {
        self.rows_used.is_empty() && self.needs_override.is_empty() && self.unpriced.is_empty()
    }
}

/// The prices for one scenario and the rows they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PricedWith {
    pub prices: Prices,
    pub assumptions: Assumptions,
}

/// Prices a scenario from the built-in book it names (`pricing.price_book`; empty: the
/// newest) and the built-in catalog. Every problem is reported at once, each naming the
/// scenario field to change.
///
/// ```
/// use lakeplan_models::priced;
/// use lakeplan_models::scenario::Scenario;
///
/// let s = Scenario::parse(r#"{
///     "start_month": "2026-01",
///     "lake": {"initial_pb": 450, "target_pb": 770, "target_month": "2030-01"},
///     "change": {"value": 10},
///     "source": {"provider": "gcp", "region": "us-central1"},
///     "sites": [{"name": "Region 1"}],
///     "pricing": {"price_book": "2026-11", "plan": "capacity-only"}
/// }"#).unwrap();
/// let p = priced::price(&s).unwrap();
/// assert_eq!(p.prices.book, "2026-11");
/// assert!(p.assumptions.rows_used.iter().any(|r| r.id == "gcp.interconnect.egress.na"));
///
/// let mut elsewhere = s.clone();
/// elsewhere.source.region = "mars-1".into();
/// let e = priced::price(&elsewhere).unwrap_err();
/// assert_eq!(e.0[0].path, "source.region");
/// ```
pub fn price(scenario: &Scenario) -> Result<PricedWith, ScenarioErrors> {
    price_in(&Builtin, scenario)
}

/// The book `id` for `scenario`: the one it carries ([`crate::scenario::Pricing::book`])
/// when that is the one, else the built-in one. A 422-style error naming
/// `pricing.price_book` otherwise. For the what-ifs that list a book's plans.
pub(crate) fn book_for<'s>(
    scenario: &'s Scenario,
    id: &str,
) -> Result<&'s PriceBook, ScenarioErrors> {
    match scenario.pricing.book.as_ref().filter(|b| b.0.id() == id) {
        Some(b) => Ok(b.0.as_ref()),
        None => PriceBook::builtin(id).map_err(|e| {
            ScenarioErrors(vec![FieldError::new("pricing.price_book", e.to_string())])
        }),
    }
}

/// [`price`] with the books of `library` (a server's stored books, the browser's fetched
/// ones): a book it does not hold is an error naming `pricing.price_book` and the books it
/// does hold.
pub fn price_in(library: &dyn Library, scenario: &Scenario) -> Result<PricedWith, ScenarioErrors> {
    let id = match scenario.pricing.price_book.as_str() {
        "" => library.newest(),
        named => named,
    };
    let attached = scenario.pricing.book.as_ref().filter(|b| b.0.id() == id);
    let book = match attached {
        Some(b) => Ok(b.0.as_ref()),
        None => library.book(id),
    };
    let book = book.map_err(|e| {
        let message = match e {
            PriceBookError::UnknownBook { id, known } => {
                format!("must be a price book you can use ({known}), got \"{id}\"")
            }
            other => format!("cannot be read: {other}"),
        };
        ScenarioErrors(vec![FieldError::new("pricing.price_book", message)])
    });
    match (book, catalog_in(library, scenario)) {
        (Ok(book), Ok(catalog)) => price_from(book, catalog, scenario),
        (book, catalog) => {
            let mut errors = book.err().map_or_else(Vec::new, |e| e.0);
            errors.extend(catalog.err().map_or_else(Vec::new, |e| e.0));
            Err(ScenarioErrors(errors))
        }
    }
}

/// The catalog `scenario` names (`pricing.catalog`; empty: the library's newest): the one
/// it carries when that is the one, else the library's. An error naming
/// `pricing.catalog` and the catalogs the library holds otherwise.
pub fn catalog_in<'a>(
    library: &'a dyn Library,
    scenario: &'a Scenario,
) -> Result<&'a Catalog, ScenarioErrors> {
    let id = match scenario.pricing.catalog.as_str() {
        "" => library.newest_catalog(),
        named => named,
    };
    let attached = scenario.pricing.attached_catalog.as_ref();
    if let Some(c) = attached.filter(|c| c.0.id == id) {
        return Ok(c.0.as_ref());
    }
    library.catalog(id).map_err(|e| {
        let message = match e {
            PriceBookError::UnknownBook { id, known } => {
                format!("must be a hardware catalog you can use ({known}), got \"{id}\"")
            }
            other => format!("cannot be read: {other}"),
        };
        ScenarioErrors(vec![FieldError::new("pricing.catalog", message)])
    })
}

/// Prices a scenario from a given book and catalog, whatever `pricing.price_book` says:
/// the path for re-pricing with another book and for tests with inline books.
pub fn price_from(
    book: &PriceBook,
    catalog: &Catalog,
    scenario: &Scenario,
) -> Result<PricedWith, ScenarioErrors> {
    let mut errors = Vec::new();
    let overrides = numeric_overrides(&scenario.pricing.overrides, &mut errors);
    // Without overrides (the common case) the book is used as it is: copying it, every
    // row's strings included, cost more than the whole report.
    let overridden = if overrides.is_empty() {
        Cow::Borrowed(book)
    } else {
        match book.with_overrides(overrides.iter().map(|(id, v)| (id, v))) {
            Ok(b) => Cow::Owned(b),
            Err(e) => {
                match e {
                    PriceBookError::Overrides(list) => errors.extend(list),
                    other => errors.push(FieldError::new("pricing.overrides", other.to_string())),
                }
                // Go on with the book's own values, to report the other problems too.
                Cow::Borrowed(book)
            }
        }
    };
    let mut p = Pricer {
        book: &overridden,
        catalog,
        rows_used: Vec::new(),
        unpriced: Vec::new(),
        errors,
    };
    let egress = p.egress(scenario);
    let request = p.request(scenario);
    let cloud_port = p.cloud_port(scenario);
    let inter_site_port = p.inter_site_port(scenario);
    let licence = p.licence(scenario);
    let cloud = p.cloud(scenario);
    let hardware = p.hardware(scenario);
    let support = p.number(
        "support.hardware",
        Unit::PercentPerYear,
        "pricing.price_book",
        "hardware support",
    );
    let power = p.power(scenario);
    let pue = p.number(
        "onprem.power.pue",
        Unit::Ratio,
        "pricing.price_book",
        "power",
    );
    let space = p.number(
        "onprem.space.colocation.na",
        Unit::UsdPerKwMonth,
        "pricing.price_book",
        "space",
    );
    let (
        Some(egress),
        Some(request),
        Some(cloud_port),
        Some(licence),
        Some((enclosure, node, switch)),
        Some(support),
        Some(power),
        Some(pue),
        Some(space),
    ) = (
        egress, request, cloud_port, licence, hardware, support, power, pue, space,
    )
    else {
        if p.errors.is_empty() {
            p.errors.push(FieldError::new(
                "pricing",
                "cannot be priced from this book (no single field is at fault)",
            ));
        }
        return Err(ScenarioErrors(p.errors));
    };
    let Some(cloud) = cloud else {
        return Err(ScenarioErrors(p.errors));
    };
    if !p.errors.is_empty() {
        return Err(ScenarioErrors(p.errors));
    }
    let needs_override = p
        .rows_used
        .iter()
        .filter(|r| r.needs_override())
        .map(|r| r.id.clone())
        .collect();
    Ok(PricedWith {
        prices: Prices {
            book: overridden.id().to_string(),
            egress,
            request,
            cloud_port,
            inter_site_port,
            licence,
            enclosure,
            node,
            switch,
            support_fraction_per_year: support / 100.0,
            power_usd_per_kwh: power,
            pue,
            space: SpaceRate::PerKwMonth(space),
            cloud,
        },
        assumptions: Assumptions {
            rows_used: p.rows_used,
            needs_override,
            unpriced: p.unpriced,
        },
    })
}

/// Overrides are any JSON in the scenario; the book takes numbers in the row's unit.
/// Sorted by id, as `raw` is. (A list rather than a second map type: the browser bundle
/// would carry a copy of the map code for it.)
fn numeric_overrides(
    raw: &BTreeMap<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for (id, v) in raw {
        match v.as_f64() {
            Some(x) => out.push((id.clone(), x)),
            None => errors.push(FieldError::new(
                format!("pricing.overrides.{id}"),
                format!("must be a number in the row's unit, got {v}"),
            )),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Regions

/// Where one cloud's egress over one path is priced, for a set of its regions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EgressRegions {
    pub provider: Provider,
    pub path: EgressPath,
    /// The provider's region names this entry covers.
    pub regions: &'static [&'static str],
    /// The book's `region` column of the rows it reads (`None` for `-`), so a test can
    /// check that the table and the book agree on geography.
    pub book_region: Option<&'static str>,
    pub price: EgressSource,
}

/// A flat price is one row; a tiered price is a tier group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EgressSource {
    Row(&'static str),
    Tiers(&'static str),
}

/// What a volume price is charged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Volume {
    /// Bytes moved in a month (egress, traffic between zones).
    Moved,
    /// Bytes kept for a month (the object store).
    Stored,
}

/// The cloud rate of licence B, when the scenario gives none.
pub const CLOUD_RATE: &str = "software.cloud-rate";

const GCP_NORTH_AMERICA: &[&str] = &[
    "us-central1",
    "us-east1",
    "us-east4",
    "us-east5",
    "us-south1",
    "us-west1",
    "us-west2",
    "us-west3",
    "us-west4",
    "northamerica-northeast1",
    "northamerica-northeast2",
];
const GCP_EUROPE: &[&str] = &[
    "europe-central2",
    "europe-north1",
    "europe-southwest1",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "europe-west8",
    "europe-west9",
    "europe-west10",
    "europe-west12",
];
const GCP_ASIA: &[&str] = &[
    "asia-east1",
    "asia-east2",
    "asia-northeast1",
    "asia-northeast2",
    "asia-northeast3",
    "asia-south1",
    "asia-south2",
    "asia-southeast1",
];
/// Both regions AWS calls "US East", the geography of the book's AWS rows.
const AWS_US_EAST: &[&str] = &["us-east-1", "us-east-2"];
const AZURE_US: &[&str] = &[
    "centralus",
    "eastus",
    "eastus2",
    "northcentralus",
    "southcentralus",
    "westcentralus",
    "westus",
    "westus2",
    "westus3",
];

const EGRESS_REGIONS: &[EgressRegions] = &[
    EgressRegions {
        provider: Provider::Gcp,
        path: EgressPath::Interconnect,
        regions: GCP_NORTH_AMERICA,
        book_region: Some("north-america"),
        price: EgressSource::Row("gcp.interconnect.egress.na"),
    },
    EgressRegions {
        provider: Provider::Gcp,
        path: EgressPath::Interconnect,
        regions: GCP_EUROPE,
        book_region: Some("europe"),
        price: EgressSource::Row("gcp.interconnect.egress.eu"),
    },
    EgressRegions {
        provider: Provider::Gcp,
        path: EgressPath::Interconnect,
        regions: GCP_ASIA,
        book_region: Some("asia"),
        price: EgressSource::Row("gcp.interconnect.egress.asia"),
    },
    EgressRegions {
        provider: Provider::Gcp,
        path: EgressPath::Internet,
        regions: GCP_NORTH_AMERICA,
        book_region: Some("worldwide"),
        price: EgressSource::Tiers("gcp.internet.egress"),
    },
    EgressRegions {
        provider: Provider::Gcp,
        path: EgressPath::Internet,
        regions: GCP_EUROPE,
        book_region: Some("worldwide"),
        price: EgressSource::Tiers("gcp.internet.egress"),
    },
    EgressRegions {
        provider: Provider::Gcp,
        path: EgressPath::Internet,
        regions: GCP_ASIA,
        book_region: Some("worldwide"),
        price: EgressSource::Tiers("gcp.internet.egress"),
    },
    EgressRegions {
        provider: Provider::Aws,
        path: EgressPath::Interconnect,
        regions: AWS_US_EAST,
        book_region: Some("us-east-1"),
        price: EgressSource::Row("aws.directconnect.egress.us-east-1"),
    },
    EgressRegions {
        provider: Provider::Aws,
        path: EgressPath::Internet,
        regions: AWS_US_EAST,
        book_region: Some("us-east-1"),
        price: EgressSource::Tiers("aws.internet.egress"),
    },
    EgressRegions {
        provider: Provider::Azure,
        path: EgressPath::Interconnect,
        regions: AZURE_US,
        book_region: None,
        price: EgressSource::Row("azure.expressroute.egress.lowest"),
    },
    EgressRegions {
        provider: Provider::Azure,
        path: EgressPath::Internet,
        regions: AZURE_US,
        book_region: Some("us"),
        price: EgressSource::Tiers("azure.internet.egress.microsoft"),
    },
];

/// The region table: which cloud regions can be priced, over which path, from which rows.
pub fn egress_regions() -> &'static [EgressRegions] {
    EGRESS_REGIONS
}

fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::Gcp => "gcp",
        Provider::Aws => "aws",
        Provider::Azure => "azure",
        Provider::Onprem => "onprem",
    }
}

fn path_name(p: EgressPath) -> &'static str {
    match p {
        EgressPath::Interconnect => "interconnect",
        EgressPath::Internet => "internet",
    }
}

/// The id prefix of a provider's dedicated-port rows, and the product's name.
fn port_rows(p: Provider) -> Option<(&'static str, &'static str)> {
    match p {
        Provider::Gcp => Some(("gcp.interconnect.port.", "Dedicated Interconnect")),
        Provider::Aws => Some(("aws.directconnect.port.", "Direct Connect")),
        Provider::Azure => Some(("azure.expressroute.port.", "ExpressRoute")),
        Provider::Onprem => None,
    }
}

// ---------------------------------------------------------------------------------------
// The pricer

struct Pricer<'b> {
    book: &'b PriceBook,
    catalog: &'b Catalog,
    rows_used: Vec<RowRef>,
    unpriced: Vec<Unpriced>,
    errors: Vec<FieldError>,
}

impl<'b> Pricer<'b> {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    fn unpriced(&mut self, field: &str, reason: String) {
        self.unpriced.push(Unpriced {
            field: field.into(),
            reason,
        });
    }

    fn used(&mut self, row: &PriceRow, used_for: &str) {
        match self.rows_used.iter_mut().find(|r| r.id == row.id) {
            Some(seen) if !seen.used_for.split(", ").any(|u| u == used_for) => {
                seen.used_for = format!("{}, {used_for}", seen.used_for);
            }
            Some(_) => {}
            None => self.rows_used.push(RowRef::new(row, used_for)),
        }
    }

    /// A row the model needs; a book without it cannot price `field`.
    fn row(&mut self, id: &str, field: &str) -> Option<&'b PriceRow> {
        match self.book.row(id) {
            Ok(r) => Some(r),
            Err(e) => {
                self.fail(field, format!("cannot be priced: {e}"));
                None
            }
        }
    }

    /// A row's value in `unit`, recorded as used.
    fn number(&mut self, id: &str, unit: Unit, field: &str, used_for: &str) -> Option<f64> {
        let row = self.row(id, field)?;
        match row.value_in(unit) {
            Ok(v) => {
                self.used(row, used_for);
                Some(v)
            }
            Err(e) => {
                self.fail(field, format!("cannot be priced: {e}"));
                None
            }
        }
    }

    fn egress(&mut self, s: &Scenario) -> Option<EgressRate> {
        let (provider, path) = (s.source.provider, s.source.egress_path);
        if provider == Provider::Onprem {
            return Some(EgressRate::FlatPerGib(UsdPerGib(0.0)));
        }
        let region = s.source.region.as_str();
        let entry = EGRESS_REGIONS
            .iter()
            .find(|e| e.provider == provider && e.path == path && e.regions.contains(&region));
        let Some(entry) = entry else {
            let known: Vec<&str> = EGRESS_REGIONS
                .iter()
                .filter(|e| e.provider == provider && e.path == path)
                .flat_map(|e| e.regions.iter().copied())
                .collect();
            if known.is_empty() {
                self.fail(
                    "source.egress_path",
                    format!(
                        "cannot be priced: price book {} has no {} egress for {}",
                        self.book.id(),
                        path_name(path),
                        provider_name(provider)
                    ),
                );
            } else {
                self.fail(
                    "source.region",
                    format!(
                        "must be a {} region that price book {} prices for {} egress ({}), got \"{region}\"",
                        provider_name(provider),
                        self.book.id(),
                        path_name(path),
                        known.join(", ")
                    ),
                );
            }
            return None;
        };
        let id = match entry.price {
            EgressSource::Row(id) | EgressSource::Tiers(id) => id,
        };
        self.volume_rate(id, Volume::Moved, "source.region", "egress")
    }

    /// A price on a volume, from row `id` (flat) or tier group `id` (graduated): per GiB or
    /// per GB moved (a euro price converted with the book's rate), or per GiB stored for a
    /// month. Egress and the object store are priced alike; a row of the other kind is
    /// refused.
    fn volume_rate(
        &mut self,
        id: &str,
        kind: Volume,
        field: &str,
        used_for: &str,
    ) -> Option<EgressRate> {
        let rows: Vec<&'b PriceRow> = match self.book.row(id) {
            Ok(r) => vec![r],
            Err(_) => match self.book.tiers(id) {
                Ok(rows) => rows,
                Err(e) => {
                    self.fail(field, format!("cannot be priced: {e}"));
                    return None;
                }
            },
        };
        for r in &rows {
            self.used(r, used_for);
        }
        let unit = rows.first()?.unit;
        let fx = match unit {
            Unit::EurPerGb => self.fx()?,
            _ => 1.0,
        };
        let bound = |r: &PriceRow, per_gib: bool| {
            r.tier.as_ref().and_then(|t| t.to).map(|to| {
                if per_gib {
                    Bytes::from_gib(to)
                } else {
                    Bytes::from_gb(to)
                }
            })
        };
        let flat = rows.len() == 1 && rows[0].tier.is_none();
        let fits = match kind {
            Volume::Moved => matches!(unit, Unit::UsdPerGib | Unit::UsdPerGb | Unit::EurPerGb),
            Volume::Stored => unit == Unit::UsdPerGibMonth,
        };
        if !fits {
            self.fail(
                field,
                format!(
                    "cannot be priced: {id} is in {unit}, not a price per {}",
                    match kind {
                        Volume::Moved => "GB or GiB moved",
                        Volume::Stored => "GiB stored a month",
                    }
                ),
            );
            return None;
        }
        match unit {
            Unit::UsdPerGib | Unit::UsdPerGibMonth if flat => {
                Some(EgressRate::FlatPerGib(UsdPerGib(rows[0].value)))
            }
            Unit::UsdPerGb | Unit::EurPerGb if flat => {
                Some(EgressRate::FlatPerGb(UsdPerGb(rows[0].value * fx)))
            }
            Unit::UsdPerGib | Unit::UsdPerGibMonth => Some(EgressRate::TieredPerGib(
                rows.iter()
                    .map(|r| Tier {
                        up_to: bound(r, true),
                        price: UsdPerGib(r.value),
                    })
                    .collect(),
            )),
            Unit::UsdPerGb | Unit::EurPerGb => Some(EgressRate::TieredPerGb(
                rows.iter()
                    .map(|r| Tier {
                        up_to: bound(r, false),
                        price: UsdPerGb(r.value * fx),
                    })
                    .collect(),
            )),
            other => {
                self.fail(
                    field,
                    format!("cannot be priced: {id} is in {other}, not a price per GB or GiB"),
                );
                None
            }
        }
    }

    /// The cloud placements' prices: the instance's hourly rate for the commitment, the
    /// cloud rate, the object store of the lake's region and the traffic between its
    /// zones. `Some(None)` without a `cloud_cluster` section; `None` after an error.
    fn cloud(&mut self, s: &Scenario) -> Option<Option<CloudPrices>> {
        let Some(c) = &s.cloud_cluster else {
            return Some(None);
        };
        const FIELD: &str = "cloud_cluster.instance";
        let catalog = InstanceCatalog::builtin();
        let provider = s.source.provider;
        let offered = || {
            catalog
                .of(provider_name(provider))
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Ok(t) = catalog.get(&c.instance) else {
            let known = offered();
            self.fail(
                FIELD,
                if known.is_empty() {
                    format!(
                        "must be an instance type of instance catalog {}, got \"{}\"; it has none for a lake in {}",
                        catalog.id,
                        c.instance,
                        provider_name(provider)
                    )
                } else {
                    format!(
                        "must be an instance type of instance catalog {} for a lake in {} ({known}), got \"{}\"",
                        catalog.id,
                        provider_name(provider),
                        c.instance
                    )
                },
            );
            return None;
        };
        if t.provider.as_str() != provider_name(provider) {
            self.fail(
                FIELD,
                format!(
                    "must be an instance of the lake's provider, {} ({}), got \"{}\"",
                    provider_name(provider),
                    offered(),
                    c.instance
                ),
            );
            return None;
        }
        let price_id = t.price_id(c.commitment);
        let hourly = match self.book.row(&price_id) {
            Ok(row) => match row.value_in(Unit::UsdPerHour) {
                Ok(v) => {
                    self.used(row, "cloud instances");
                    v
                }
                Err(e) => {
                    self.fail(FIELD, format!("cannot be priced: {e}"));
                    return None;
                }
            },
            Err(_) => {
                let elsewhere = PriceBook::latest()
                    .ok()
                    .filter(|b| b.id() != self.book.id() && b.row(&price_id).is_ok())
                    .map_or_else(
                        || {
                            "no public price is known, so a price book with that row is needed"
                                .to_string()
                        },
                        |b| format!("price book {} has one", b.id()),
                    );
                self.fail(
                    FIELD,
                    format!(
                        "cannot be priced: price book {} has no {} price for {} (row {price_id}); {elsewhere}",
                        self.book.id(),
                        c.commitment.label(),
                        c.instance
                    ),
                );
                return None;
            }
        };
        let cloud_rate = match c.cloud_rate_usd_per_tb_month {
            Some(r) => r,
            None => self.number(
                CLOUD_RATE,
                Unit::UsdPerUsableTbMonth,
                "cloud_cluster.cloud_rate_usd_per_tb_month",
                "licence B (cloud rate)",
            )?,
        };
        let licence_a = self.plan_named(
            crate::cloud::LICENCE_A_PLAN,
            s.pricing.term_years,
            "cloud_cluster.instance",
        )?;
        let region = s.source.region.as_str();
        let store_id = match provider {
            Provider::Azure if AZURE_US.contains(&region) => "azure.storage.hot.us".to_string(),
            Provider::Azure => format!("azure.storage.hot.{region}"),
            other => format!("{}.storage.standard.{region}", provider_name(other)),
        };
        let object_store =
            self.volume_rate(&store_id, Volume::Stored, "source.region", "object store")?;
        let writes_id = match provider {
            Provider::Gcp => "gcp.storage.class-a.standard",
            Provider::Aws => "aws.storage.put.standard",
            _ => "azure.storage.write.hot",
        };
        let object_writes = match self.book.row(writes_id) {
            Ok(_) => Some(UsdPerRequest::per_10k(self.number(
                writes_id,
                Unit::UsdPer10kRequests,
                "source.region",
                "object store",
            )?)),
            Err(_) => {
                self.unpriced(
                    "source.mean_object_mb",
                    format!(
                        "writes to the object store: price book {} has no row {writes_id}",
                        self.book.id()
                    ),
                );
                None
            }
        };
        let zone_id = match provider {
            Provider::Gcp => "gcp.network.inter-zone",
            Provider::Aws => "aws.network.inter-az",
            _ => "azure.network.inter-az",
        };
        let cross_zone = if c.across_zones {
            Some(self.volume_rate(
                zone_id,
                Volume::Moved,
                "cloud_cluster.across_zones",
                "traffic between zones",
            )?)
        } else {
            None
        };
        Some(Some(CloudPrices {
            instance: crate::cloud::Instance::new(t, c.commitment, hourly),
            licence_a,
            cloud_rate,
            object_store,
            object_writes,
            cross_zone,
        }))
    }

    fn fx(&mut self) -> Option<f64> {
        self.number(
            FX_USD_PER_EUR,
            Unit::UsdPerEur,
            "pricing.price_book",
            "egress (euro to dollar)",
        )
    }

    fn request(&mut self, s: &Scenario) -> Option<Option<UsdPerRequest>> {
        match s.source.provider {
            Provider::Onprem => Some(None),
            Provider::Gcp => {
                let v = self.number(
                    "gcp.storage.class-b.standard",
                    Unit::UsdPer10kRequests,
                    "pricing.price_book",
                    "requests",
                )?;
                Some(Some(UsdPerRequest::per_10k(v)))
            }
            other => {
                self.unpriced(
                    "source.mean_object_mb",
                    format!(
                        "per-request charges at the source: price book {} has no {} request rows",
                        self.book.id(),
                        provider_name(other)
                    ),
                );
                Some(None)
            }
        }
    }

    fn cloud_port(&mut self, s: &Scenario) -> Option<UsdPerHour> {
        let provider = s.source.provider;
        let Some((prefix, product)) = port_rows(provider) else {
            self.unpriced(
                "links.cloud",
                format!(
                    "circuits from an on-premises source are not in price book {}",
                    self.book.id()
                ),
            );
            return Some(UsdPerHour(0.0));
        };
        if s.source.egress_path == EgressPath::Internet {
            self.unpriced(
                "links.cloud",
                format!(
                    "over the internet {} rents no port; the sites' internet transit is not in price book {}",
                    provider_name(provider),
                    self.book.id()
                ),
            );
            return Some(UsdPerHour(0.0));
        }
        let book = self.book;
        // In file order: the first row for the speed asked for prices it.
        let sold: Vec<(u32, &PriceRow)> = book
            .rows()
            .iter()
            .filter_map(|r| {
                let speed = r.id.strip_prefix(prefix)?.strip_suffix('g')?;
                Some((speed.parse::<u32>().ok()?, r))
            })
            .collect();
        let gbps = s.links.cloud.port_gbps;
        let Some(&(_, row)) = sold.iter().find(|(speed, _)| f64::from(*speed) == gbps) else {
            // Slowest first, each put in place as found (a sort would add its own code
            // to the browser bundle for these few numbers).
            let mut ascending: Vec<u32> = Vec::new();
            for &(speed, _) in &sold {
                ascending.insert(ascending.partition_point(|&s| s <= speed), speed);
            }
            let speeds: Vec<String> = ascending.iter().map(u32::to_string).collect();
            let offer = if speeds.is_empty() {
                "no port speeds".to_string()
            } else {
                format!("{} Gbps", speeds.join(", "))
            };
            self.fail(
                "links.cloud.port_gbps",
                format!(
                    "must be a port speed {} sells for {product} in price book {} ({offer}), got {gbps}",
                    provider_name(provider),
                    book.id()
                ),
            );
            return None;
        };
        let v = self.number(
            &row.id,
            Unit::UsdPerHour,
            "links.cloud.port_gbps",
            "cloud ports",
        )?;
        if provider == Provider::Gcp {
            self.unpriced(
                "links.cloud",
                format!(
                    "GCP VLAN attachments: price book {}'s rows stop at 50 Gbps attachments, so none is charged",
                    book.id()
                ),
            );
        }
        Some(UsdPerHour(v))
    }

    fn inter_site_port(&mut self, s: &Scenario) -> UsdPerHour {
        if s.sites.len() > 1 {
            self.unpriced(
                "links.inter_site",
                format!(
                    "carrier circuits between sites are not in price book {}; their port-hours are $0",
                    self.book.id()
                ),
            );
        }
        UsdPerHour(0.0)
    }

    fn licence(&mut self, s: &Scenario) -> Option<Plan> {
        self.plan_named(&s.pricing.plan, s.pricing.term_years, "pricing.plan")
    }

    /// The book's licence plan `name` under a `term`-year contract; an error at `field`
    /// when the book has no such plan.
    fn plan_named(&mut self, name: &str, term: u32, field: &str) -> Option<Plan> {
        let book = self.book;
        let plan = match book.plan(name) {
            Ok(p) => p,
            Err(_) => {
                self.fail(
                    field,
                    format!(
                        "must be a licence plan of price book {} ({}), got \"{}\"",
                        book.id(),
                        book.plans().join(", "),
                        name
                    ),
                );
                return None;
            }
        };
        let prefix = format!("licence.{}.", plan.id);
        // Components in file order, each with its rows (one flat row, or the tiers of a group).
        let mut groups: Vec<(&str, Vec<&PriceRow>)> = Vec::new();
        for &row in &plan.rows {
            let name = row
                .id
                .strip_prefix(&prefix)
                .and_then(|rest| rest.split('.').next())
                .unwrap_or(row.id.as_str());
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, rows)) => rows.push(row),
                None => groups.push((name, vec![row])),
            }
        }
        let mut components = Vec::new();
        let mut discounts: Vec<TermDiscount> = Vec::new();
        let mut ok = true;
        for (name, rows) in groups {
            let Some(&first) = rows.first() else { continue };
            let tiered = first.tier.is_some();
            let one_price = rows.iter().all(|r| {
                r.unit == first.unit
                    && r.tier.as_ref().map(|t| &t.group) == first.tier.as_ref().map(|t| &t.group)
            }) && (tiered || rows.len() == 1);
            if !one_price {
                self.fail(
                    field,
                    format!(
                        "cannot be priced: the rows of component {name} in plan {} are not one price or one tier group",
                        plan.id
                    ),
                );
                ok = false;
                continue;
            }
            let basis = match first.unit {
                Unit::UsdPerCoreYear => Basis::PerCoreYear,
                Unit::UsdPerUsableTbYear => Basis::PerUsableTbYear,
                Unit::PercentOff => {
                    ok &= self.term_discounts(plan.id, &rows, term, &mut discounts);
                    continue;
                }
                other => {
                    self.fail(
                        field,
                        format!(
                            "cannot be priced: row {} is in {other}, which no licence component is charged in",
                            first.id
                        ),
                    );
                    ok = false;
                    continue;
                }
            };
            for r in &rows {
                self.used(r, "licence");
            }
            components.push(Component {
                name: name.to_string(),
                basis,
                rate: if tiered { 0.0 } else { first.value },
                tiers: if tiered {
                    rows.iter()
                        .map(|r| QuantityTier {
                            up_to: r.tier.as_ref().and_then(|t| t.to),
                            rate: r.value,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                term_discounts: Vec::new(),
            });
        }
        if !ok {
            return None;
        }
        // The book's term discount applies to the whole licence.
        for c in &mut components {
            c.term_discounts = discounts.clone();
        }
        Some(Plan {
            name: plan.id.to_string(),
            components,
        })
    }

    /// Reads `percent_off` rows into [`TermDiscount`]s and records the one that applies to
    /// `term`. Brackets must start on whole years and not fall with longer terms, because
    /// the model applies the largest discount whose `min_years` the term reaches; that is
    /// the bracket containing the term only under those two conditions.
    fn term_discounts(
        &mut self,
        plan: &str,
        rows: &[&PriceRow],
        term: u32,
        out: &mut Vec<TermDiscount>,
    ) -> bool {
        let mut previous = 0.0;
        let mut applies: Option<&PriceRow> = None;
        for &r in rows {
            let from = r.tier.as_ref().map_or(0.0, |t| t.from);
            let bad = if from.fract() != 0.0 {
                Some(format!("starts at {from} years, not a whole number"))
            } else if r.value < previous {
                Some(format!(
                    "gives {} % off, less than a shorter term's {previous} %",
                    r.value
                ))
            } else {
                None
            };
            if let Some(why) = bad {
                self.fail(
                    "pricing.plan",
                    format!(
                        "cannot be priced: term-discount row {} of plan {plan} {why}",
                        r.id
                    ),
                );
                return false;
            }
            previous = r.value;
            out.push(TermDiscount {
                min_years: from as u32,
                fraction: r.value / 100.0,
            });
            if r.tier.as_ref().is_none_or(|t| t.contains(f64::from(term))) {
                applies = Some(r);
            }
        }
        if let Some(r) = applies {
            self.used(r, "licence term discount");
        }
        true
    }

    fn hardware(&mut self, s: &Scenario) -> Option<(Usd, Usd, Usd)> {
        let c = &s.cluster;
        let catalog = self.catalog;
        let enclosure = catalog
            .enclosures
            .iter()
            .find(|e| (e.raw_tb - c.enclosure_raw_tb).abs() <= 1e-9 * e.raw_tb);
        let enclosure = match enclosure {
            Some(e) => self.number(
                &format!("hardware.{}", e.id),
                Unit::UsdPerEnclosure,
                "cluster.enclosure_raw_tb",
                "enclosures",
            ),
            None => {
                let known: Vec<String> = catalog
                    .enclosures
                    .iter()
                    .map(|e| format!("{} ({})", e.raw_tb, e.id))
                    .collect();
                self.fail(
                    "cluster.enclosure_raw_tb",
                    format!(
                        "must be the raw TB of a catalog enclosure to be priced ({}), got {}",
                        known.join(", "),
                        c.enclosure_raw_tb
                    ),
                );
                None
            }
        };
        let node = match catalog.nodes.iter().find(|n| n.cores == c.node_cores) {
            Some(n) => self.number(
                &format!("hardware.{}", n.id),
                Unit::UsdPerNode,
                "cluster.node_cores",
                "nodes",
            ),
            None => {
                let known: Vec<String> = catalog
                    .nodes
                    .iter()
                    .map(|n| format!("{} ({})", n.cores, n.id))
                    .collect();
                self.fail(
                    "cluster.node_cores",
                    format!(
                        "must be the cores of a catalog node to be priced ({}), got {}",
                        known.join(", "),
                        c.node_cores
                    ),
                );
                None
            }
        };
        let switch = if c.switches_per_rack > 0 {
            self.number(
                "hardware.switch",
                Unit::UsdPerSwitch,
                "cluster.switches_per_rack",
                "switches",
            )
        } else {
            Some(0.0)
        };
        Some((Usd(enclosure?), Usd(node?), Usd(switch?)))
    }

    fn power(&mut self, s: &Scenario) -> Option<f64> {
        const PREFIX: &str = "onprem.power.electricity.";
        let region = &s.pricing.power_region;
        let id = format!("{PREFIX}{region}");
        if self.book.row(&id).is_err() {
            let known: Vec<&str> = self
                .book
                .rows()
                .iter()
                .filter_map(|r| r.id.strip_prefix(PREFIX))
                .collect();
            self.fail(
                "pricing.power_region",
                format!(
                    "must be a region with an electricity row in price book {} ({}), got \"{region}\"",
                    self.book.id(),
                    known.join(", ")
                ),
            );
            return None;
        }
        self.number(&id, Unit::UsdPerKwh, "pricing.power_region", "power")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Every entry of the region table reads rows the book has, in the geography the
    /// entry claims, for the provider and path it is listed under.
    #[test]
    fn the_region_table_agrees_with_the_book() {
        let book = PriceBook::builtin("2026-11").unwrap();
        for e in EGRESS_REGIONS {
            let rows = match e.price {
                EgressSource::Row(id) => vec![book.row(id).unwrap()],
                EgressSource::Tiers(g) => book.tiers(g).unwrap(),
            };
            for r in rows {
                assert_eq!(r.region.as_deref(), e.book_region, "{}", r.id);
                assert_eq!(r.provider.as_str(), provider_name(e.provider), "{}", r.id);
                assert_eq!(
                    r.path.map(|p| p.as_str()),
                    Some(path_name(e.path)),
                    "{}",
                    r.id
                );
                assert_eq!(r.category, crate::price_book::Category::Egress, "{}", r.id);
            }
        }
        // No region is listed twice for one provider and path.
        for (i, a) in EGRESS_REGIONS.iter().enumerate() {
            for b in &EGRESS_REGIONS[i + 1..] {
                if a.provider == b.provider && a.path == b.path {
                    assert!(a.regions.iter().all(|r| !b.regions.contains(r)));
                }
            }
        }
    }
}
