//! The built-in price books and hardware catalog, as tables compiled into the crate.
//!
//! `build.rs` reads the CSV files listed in [`crate::price_book`] with that module's parser
//! (so a malformed row stops the build with the parser's message naming the file, line, row
//! and column) and writes the rows it accepted as the static tables included below. At run
//! time a book is only copied out of its table: the browser bundle carries no CSV text and
//! no CSV parser. The tests check that each table equals what the parser reads from its file,
//! and hold the data itself to the facts file: every row sourced and dated, every figure that
//! is not public marked as a stand-in, every catalog model priced.

use std::sync::OnceLock;

use crate::calendar::Date;
use crate::price_book::{
    Catalog, Category, Confidence, EnclosureModel, InstanceCatalog, InstanceType, NetworkPath,
    NodeModel, PriceBook, PriceBookError, PriceRow, Provider, Tier, Unit, BOOKS,
};
#[cfg(test)]
use crate::price_book::{Commitment, INSTANCES};

/// A [`PriceRow`] as `build.rs` writes it: borrowed text, the tier as (group, from, to).
struct Row {
    id: &'static str,
    provider: Provider,
    category: Category,
    item: &'static str,
    region: Option<&'static str>,
    path: Option<NetworkPath>,
    unit: Unit,
    tier: Option<(&'static str, f64, Option<f64>)>,
    value: f64,
    condition: &'static str,
    source: &'static str,
    read_on: Date,
    confidence: Confidence,
    notes: &'static str,
    line: u64,
}

/// An [`EnclosureModel`] as `build.rs` writes it.
struct Enclosure {
    id: &'static str,
    model: &'static str,
    drives: u32,
    drive_tb: f64,
    raw_tb: f64,
    ru: u32,
    idle_w: Option<f64>,
    active_w: f64,
    max_w: Option<f64>,
    source: &'static str,
    read_on: Date,
    confidence: Confidence,
    notes: &'static str,
}

/// A [`NodeModel`] as `build.rs` writes it.
struct Node {
    id: &'static str,
    model: &'static str,
    cpu: Option<&'static str>,
    cores: u32,
    memory_gb: Option<f64>,
    network: Option<&'static str>,
    ru: u32,
    idle_w: Option<f64>,
    active_w: f64,
    max_w: Option<f64>,
    write_gbytes_per_s: f64,
    read_gbytes_per_s: f64,
    throughput_confidence: Confidence,
    source: &'static str,
    read_on: Date,
    confidence: Confidence,
    notes: &'static str,
}

/// An [`InstanceType`] as `build.rs` writes it.
struct Instance {
    id: &'static str,
    provider: Provider,
    family: &'static str,
    vcpu: u32,
    physical_cores: u32,
    memory_gib: f64,
    nvme_tb: f64,
    nvme_as_published: &'static str,
    network_gbps: f64,
    source: &'static str,
    read_on: Date,
    confidence: Confidence,
    notes: &'static str,
}

impl Instance {
    fn to_model(&self) -> InstanceType {
        InstanceType {
            id: self.id.into(),
            provider: self.provider,
            family: self.family.into(),
            vcpu: self.vcpu,
            physical_cores: self.physical_cores,
            memory_gib: self.memory_gib,
            nvme_tb: self.nvme_tb,
            nvme_as_published: self.nvme_as_published.into(),
            network_gbps: self.network_gbps,
            source: self.source.into(),
            read_on: self.read_on,
            confidence: self.confidence,
            notes: self.notes.into(),
        }
    }
}

// Defines `BOOK_ROWS: &[&[Row]]` (one table per entry of `BOOKS`, in order), `ENCLOSURES`
// and `NODES`.
include!(concat!(env!("OUT_DIR"), "/builtin_tables.rs"));

impl Row {
    fn to_row(&self) -> PriceRow {
        PriceRow {
            id: self.id.into(),
            provider: self.provider,
            category: self.category,
            item: self.item.into(),
            region: self.region.map(String::from),
            path: self.path,
            unit: self.unit,
            tier: self.tier.map(|(group, from, to)| Tier {
                group: group.into(),
                from,
                to,
            }),
            value: self.value,
            condition: self.condition.into(),
            source: self.source.into(),
            read_on: self.read_on,
            confidence: self.confidence,
            notes: self.notes.into(),
            overridden_from: None,
            line: self.line,
        }
    }
}

impl Enclosure {
    fn to_model(&self) -> EnclosureModel {
        EnclosureModel {
            id: self.id.into(),
            model: self.model.into(),
            drives: self.drives,
            drive_tb: self.drive_tb,
            raw_tb: self.raw_tb,
            ru: self.ru,
            idle_w: self.idle_w,
            active_w: self.active_w,
            max_w: self.max_w,
            source: self.source.into(),
            read_on: self.read_on,
            confidence: self.confidence,
            notes: self.notes.into(),
        }
    }
}

impl Node {
    fn to_model(&self) -> NodeModel {
        NodeModel {
            id: self.id.into(),
            model: self.model.into(),
            cpu: self.cpu.map(String::from),
            cores: self.cores,
            memory_gb: self.memory_gb,
            network: self.network.map(String::from),
            ru: self.ru,
            idle_w: self.idle_w,
            active_w: self.active_w,
            max_w: self.max_w,
            write_gbytes_per_s: self.write_gbytes_per_s,
            read_gbytes_per_s: self.read_gbytes_per_s,
            throughput_confidence: self.throughput_confidence,
            source: self.source.into(),
            read_on: self.read_on,
            confidence: self.confidence,
            notes: self.notes.into(),
        }
    }
}

static BUILT_BOOKS: OnceLock<Vec<PriceBook>> = OnceLock::new();
static BUILT_CATALOG: OnceLock<Catalog> = OnceLock::new();
static BUILT_INSTANCES: OnceLock<InstanceCatalog> = OnceLock::new();

impl InstanceCatalog {
    /// The built-in instance catalog, copied out of its table on first use.
    pub fn builtin() -> &'static InstanceCatalog {
        BUILT_INSTANCES.get_or_init(|| InstanceCatalog {
            id: INSTANCE_CATALOG_ID.into(),
            instances: INSTANCE_TYPES.iter().map(Instance::to_model).collect(),
        })
    }
}

impl PriceBook {
    /// A built-in book by id (`"2026-11"`), copied out of its table on first use and then
    /// shared.
    pub fn builtin(id: &str) -> Result<&'static PriceBook, PriceBookError> {
        let books = BUILT_BOOKS.get_or_init(|| {
            BOOKS
                .iter()
                .zip(BOOK_ROWS)
                .map(|(b, rows)| {
                    PriceBook::from_checked_rows(b.id, rows.iter().map(Row::to_row).collect())
                })
                .collect()
        });
        books
            .iter()
            .find(|b| b.id() == id)
            .ok_or_else(|| PriceBookError::UnknownBook {
                id: id.into(),
                known: PriceBook::ids().join(", "),
            })
    }

    /// The newest built-in book: what a new scenario starts from.
    pub fn latest() -> Result<&'static PriceBook, PriceBookError> {
        let newest = PriceBook::ids().into_iter().max().unwrap_or_default();
        PriceBook::builtin(newest)
    }
}

impl Catalog {
    /// The built-in catalog, copied out of its table on first use.
    pub fn builtin() -> Result<&'static Catalog, PriceBookError> {
        Ok(BUILT_CATALOG.get_or_init(|| Catalog {
            id: CATALOG_ID.into(),
            enclosures: ENCLOSURES.iter().map(Enclosure::to_model).collect(),
            nodes: NODES.iter().map(Node::to_model).collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeSet;

    use super::*;
    use crate::price_book::CATALOG;

    fn builtin() -> &'static PriceBook {
        PriceBook::builtin("2026-11").unwrap()
    }

    fn read(file: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn each_table_equals_what_the_parser_reads_from_its_file() {
        assert_eq!(BOOK_ROWS.len(), BOOKS.len());
        for b in BOOKS {
            let parsed = PriceBook::parse(b.id, b.file, &read(b.file)).unwrap();
            assert_eq!(PriceBook::builtin(b.id).unwrap(), &parsed, "{}", b.file);
        }
        let parsed = Catalog::parse(CATALOG.id, CATALOG.file, &read(CATALOG.file)).unwrap();
        assert_eq!(Catalog::builtin().unwrap(), &parsed);
        let file = read(crate::price_book::INSTANCES.file);
        let parsed = InstanceCatalog::parse(INSTANCES.id, INSTANCES.file, &file).unwrap();
        assert_eq!(InstanceCatalog::builtin(), &parsed);
    }

    /// Each instance's NVMe in decimal TB is what the provider writes, converted: `36000
    /// GiB` is 38.65471 TB (to the 5 decimals the file keeps), `16 x 7500 GB` 120 TB.
    #[test]
    fn instance_nvme_is_the_published_figure_in_decimal_tb() {
        for t in &InstanceCatalog::builtin().instances {
            let text = t.nvme_as_published.split(" (").next().unwrap();
            let (count, size) = match text.split_once(" x ") {
                Some((n, rest)) => (n.parse::<f64>().unwrap(), rest),
                None => (1.0, text),
            };
            let (number, unit) = size.split_once(' ').unwrap();
            let per = number.parse::<f64>().unwrap()
                * match unit {
                    "GiB" => 1.073741824e9,
                    "GB" => 1e9,
                    "TB" => 1e12,
                    other => panic!("{}: unit {other}", t.id),
                };
            let tb = count * per / 1e12;
            assert!(
                (tb - t.nvme_tb).abs() < 5e-6,
                "{}: {tb} vs {}",
                t.id,
                t.nvme_tb
            );
        }
    }

    /// Every instance price names a catalog type and commitment; every type the catalog
    /// has is either priced on demand in the newest book or said to have no public price.
    #[test]
    fn instance_prices_and_the_catalog_agree() {
        let catalog = InstanceCatalog::builtin();
        let book = PriceBook::latest().unwrap();
        for r in book.rows_in(Category::Instance) {
            let known = catalog.instances.iter().any(|t| {
                [
                    Commitment::OnDemand,
                    Commitment::OneYear,
                    Commitment::ThreeYears,
                ]
                .iter()
                .any(|c| t.price_id(*c) == r.id)
            });
            assert!(known, "{} prices no catalog instance", r.id);
            assert_eq!(r.unit, Unit::UsdPerHour, "{}", r.id);
        }
        let priced: Vec<&str> = catalog
            .instances
            .iter()
            .filter(|t| book.row(&t.price_id(Commitment::OnDemand)).is_ok())
            .map(|t| t.id.as_str())
            .collect();
        // The Azure L-series has no first-hand price: left unpriced, never guessed.
        assert!(
            priced.iter().all(|id| !id.starts_with("azure.")),
            "{priced:?}"
        );
        assert!(
            priced.contains(&"aws.i7ie.48xlarge") && priced.contains(&"gcp.z3-highmem-88-highlssd")
        );
    }

    // ---- the built-in data against the facts file

    #[test]
    fn every_builtin_book_and_the_catalog_parse() {
        assert_eq!(PriceBook::ids(), vec!["2026-11", "2026-12"]);
        for id in PriceBook::ids() {
            let book = PriceBook::builtin(id).unwrap();
            assert_eq!(book.id(), id);
            assert!(
                book.rows().len() > 50,
                "{id} has {} rows",
                book.rows().len()
            );
        }
        assert_eq!(PriceBook::latest().unwrap().id(), "2026-12");
        let catalog = Catalog::builtin().unwrap();
        assert_eq!(catalog.enclosures.len(), 3);
        assert_eq!(catalog.nodes.len(), 2);
    }

    #[test]
    fn an_unknown_book_names_the_field_and_the_known_books() {
        let e = PriceBook::builtin("2025-01").unwrap_err().to_string();
        assert_eq!(
            e,
            "pricing.price_book: unknown price book \"2025-01\"; the books known here: 2026-11, 2026-12"
        );
    }

    #[test]
    fn ids_are_unique_within_each_file() {
        let ids: BTreeSet<&str> = builtin().rows().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), builtin().rows().len());
        let c = Catalog::builtin().unwrap();
        let ids: BTreeSet<&str> = c
            .enclosures
            .iter()
            .map(|e| e.id.as_str())
            .chain(c.nodes.iter().map(|n| n.id.as_str()))
            .collect();
        assert_eq!(ids.len(), c.enclosures.len() + c.nodes.len());
    }

    #[test]
    fn every_row_has_source_date_and_confidence() {
        // Source, read_on and confidence are required by the parser; what is left to check
        // is that no row claims to have been read after its book was assembled.
        for id in PriceBook::ids() {
            let (year, month) = id.split_once('-').unwrap();
            let book_month = (year.parse::<u16>().unwrap(), month.parse::<u8>().unwrap());
            for r in PriceBook::builtin(id).unwrap().rows() {
                assert!(!r.source.is_empty() && !r.item.is_empty(), "{}", r.id);
                assert!((r.read_on.year, r.read_on.month) <= book_month, "{}", r.id);
            }
        }
        let c = Catalog::builtin().unwrap();
        let dated = c
            .enclosures
            .iter()
            .map(|e| (&e.id, &e.source, e.read_on))
            .chain(c.nodes.iter().map(|n| (&n.id, &n.source, n.read_on)));
        for (id, source, read_on) in dated {
            assert!(!source.is_empty() && read_on.year >= 2026, "{id}");
        }
    }

    /// The facts file marks these U (not public or not known): each must ship marked, so a
    /// report can say which totals rest on stand-ins.
    #[test]
    fn every_value_not_public_is_marked_and_says_how_to_override_it() {
        let b = builtin();
        let must_be_placeholders = [
            "gcp.internet.egress.t2",
            "azure.internet.egress.microsoft.t2",
            "azure.internet.egress.transit.t2",
            "azure.expressroute.port.10g",
            "azure.expressroute.port.100g",
            "fx.usd-per-eur",
            "hardware.node.cbox-gen5",
            "hardware.node.cbox-gen6",
            "hardware.switch",
            "support.hardware",
        ];
        for id in must_be_placeholders {
            assert_eq!(
                b.row(id).unwrap().confidence,
                Confidence::Placeholder,
                "{id}"
            );
        }
        for r in b.rows_in(Category::Licence) {
            assert_eq!(r.confidence, Confidence::Placeholder, "{}", r.id);
        }
        for r in b.rows_in(Category::Hardware) {
            assert!(r.confidence.needs_override(), "{}", r.id);
        }
        for r in b.rows() {
            let says_placeholder = r.notes.contains("PLACEHOLDER");
            assert_eq!(
                says_placeholder,
                r.confidence == Confidence::Placeholder,
                "{}: notes and confidence disagree",
                r.id
            );
            assert_eq!(
                r.source.contains("placeholder"),
                r.confidence == Confidence::Placeholder,
                "{}: source and confidence disagree",
                r.id
            );
            if r.confidence.needs_override() {
                assert!(r.notes.contains("Must be overridden"), "{}", r.id);
            }
        }
        // The ten above, three enclosure estimates, fifteen licence rows.
        assert_eq!(b.needing_override().count(), 10 + 3 + 15);
        for n in &Catalog::builtin().unwrap().nodes {
            assert_eq!(n.throughput_confidence, Confidence::Placeholder, "{}", n.id);
            assert!(n.notes.contains("Must be overridden"), "{}", n.id);
        }
    }

    #[test]
    fn spot_checks_against_the_facts_file() {
        let b = builtin();
        let v = |id: &str| b.row(id).unwrap().value;
        assert_eq!(v("gcp.interconnect.egress.na"), 0.02);
        assert_eq!(v("gcp.interconnect.egress.eu"), 0.02);
        assert_eq!(v("gcp.interconnect.egress.asia"), 0.042);
        assert_eq!(v("gcp.interconnect.port.100g"), 23.28);
        assert_eq!(v("aws.directconnect.port.400g"), 85.0);
        assert_eq!(v("onprem.space.colocation.na"), 184.06);
        assert_eq!(v("onprem.power.electricity.us-ca"), 0.1864);
        assert_eq!(v("onprem.power.pue"), 1.58);
        assert_eq!(
            b.row("gcp.internet.egress.t1").unwrap().unit,
            Unit::UsdPerGib
        );
        assert_eq!(
            b.row("aws.internet.egress.t1").unwrap().unit,
            Unit::UsdPerGb
        );
        let aws: Vec<f64> = b
            .tiers("aws.internet.egress")
            .unwrap()
            .iter()
            .map(|r| r.value)
            .collect();
        assert_eq!(aws, vec![0.09, 0.085, 0.07, 0.05]);
        let t = b
            .row("aws.internet.egress.t4")
            .unwrap()
            .tier
            .clone()
            .unwrap();
        assert_eq!((t.from, t.to), (150_000.0, None));
    }

    /// The enclosure estimates are $29.06 per usable TB times usable TB at the model's
    /// defaults (146+4, 8 % reserve), rounded to the dollar.
    #[test]
    fn enclosure_estimates_follow_from_the_benchmark_and_the_catalog() {
        let b = builtin();
        let per_tb = b
            .row("benchmark.solidigm.hardware")
            .unwrap()
            .value_in(Unit::UsdPerUsableTb)
            .unwrap();
        for e in &Catalog::builtin().unwrap().enclosures {
            let row = b.row(&format!("hardware.{}", e.id)).unwrap();
            let usable = e.raw_tb * 146.0 / 150.0 * 0.92;
            assert_eq!(
                row.value_in(Unit::UsdPerEnclosure).unwrap(),
                (usable * per_tb).round()
            );
            assert_eq!(row.confidence, Confidence::Estimate);
        }
        assert_eq!(
            b.row("hardware.enclosure.ceres-v2.61tb").unwrap().value,
            35_174.0
        );
    }

    #[test]
    fn every_catalog_model_has_a_price_and_every_priced_model_is_in_the_catalog() {
        let b = builtin();
        let c = Catalog::builtin().unwrap();
        for e in &c.enclosures {
            b.row(&format!("hardware.{}", e.id)).unwrap();
        }
        for n in &c.nodes {
            b.row(&format!("hardware.{}", n.id)).unwrap();
        }
        for r in b.rows_in(Category::Hardware) {
            let model = r.id.strip_prefix("hardware.").unwrap();
            match r.unit {
                Unit::UsdPerEnclosure => drop(c.enclosure(model).unwrap()),
                Unit::UsdPerNode => drop(c.node(model).unwrap()),
                Unit::UsdPerSwitch => {}
                other => panic!("{} has unit {other}", r.id),
            }
        }
    }

    #[test]
    fn catalog_matches_the_facts_file() {
        let c = Catalog::builtin().unwrap();
        let big = c.enclosure("enclosure.ceres-v2.61tb").unwrap();
        assert_eq!((big.drives, big.raw_tb, big.ru), (22, 1351.68, 1));
        assert_eq!(
            (big.idle_w, big.active_w, big.max_w),
            (Some(368.0), 728.0, Some(850.0))
        );
        assert_eq!(big.raw().0, 1.35168e15);
        let gen5 = c.node("node.cbox-gen5").unwrap();
        assert_eq!(
            (gen5.cores, gen5.active_w, gen5.max_w),
            (48, 500.0, Some(700.0))
        );
        assert_eq!(c.node("node.cbox-gen6").unwrap().cores, 64);
        let e = c.node("node.gen7").unwrap_err().to_string();
        assert!(
            e.contains("no node \"node.gen7\"") && e.contains("node.cbox-gen5"),
            "{e}"
        );
    }
}
