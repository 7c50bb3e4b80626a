//! The cloud instance catalog (`data/catalog/instances.csv`): the storage-optimised
//! instance types a cluster on cloud instances is sized from (`docs/model.md#the-cluster-on-cloud-instances`),
//! each with its cores, memory, local NVMe and network, sourced and dated like a price.
//!
//! As with the hardware catalog, prices live in the price book
//! (`<provider>.instance.<type>.<commitment>` rows, [`InstanceType::price_id`]), so a new
//! book re-prices the same instances and a type nobody has published a price for is an
//! error when a scenario asks for it, never a zero.

use std::collections::BTreeMap;

use super::table::{Cells, Table};
use super::{Confidence, PriceBookError, Provider};
use crate::calendar::Date;

/// One instance type.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InstanceType {
    /// `<provider>.<type>` in lower case: `aws.i7ie.48xlarge`, `azure.standard_l80s_v3`.
    pub id: String,
    pub provider: Provider,
    /// `i7ie`, `z3`, `lsv3`.
    pub family: String,
    pub vcpu: u32,
    /// What a per-core licence counts: vCPU / 2 where each core runs two threads.
    pub physical_cores: u32,
    pub memory_gib: f64,
    /// Local NVMe, decimal TB (10^12 B), converted from GiB where the provider writes GiB.
    pub nvme_tb: f64,
    /// The local NVMe as the provider writes it (`8 x 7500 GB`, `36000 GiB`).
    pub nvme_as_published: String,
    pub network_gbps: f64,
    pub source: String,
    pub read_on: Date,
    pub confidence: Confidence,
    pub notes: String,
}

/// The instance types, one version of the catalog.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InstanceCatalog {
    pub id: String,
    pub instances: Vec<InstanceType>,
}

/// The columns of an instance catalog file, in file order.
pub const INSTANCE_COLUMNS: &[&str] = &[
    "id",
    "provider",
    "family",
    "vcpu",
    "physical_cores",
    "memory_gib",
    "nvme_tb",
    "nvme_as_published",
    "network_gbps",
    "source",
    "read_on",
    "confidence",
    "notes",
];

/// How long the customer commits to the instances; each has its own price-book row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Commitment {
    #[default]
    #[serde(rename = "on_demand")]
    OnDemand,
    #[serde(rename = "1y")]
    OneYear,
    #[serde(rename = "3y")]
    ThreeYears,
}

impl Commitment {
    /// As the scenario writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Commitment::OnDemand => "on_demand",
            Commitment::OneYear => "1y",
            Commitment::ThreeYears => "3y",
        }
    }

    /// The last segment of the price-book row's id.
    pub fn row_suffix(self) -> &'static str {
        match self {
            Commitment::OnDemand => "on-demand",
            Commitment::OneYear => "1y",
            Commitment::ThreeYears => "3y",
        }
    }

    /// For people: "on demand", "1-year commitment".
    pub fn label(self) -> &'static str {
        match self {
            Commitment::OnDemand => "on demand",
            Commitment::OneYear => "1-year commitment",
            Commitment::ThreeYears => "3-year commitment",
        }
    }
}

impl InstanceType {
    /// The type without its provider: `i7ie.48xlarge`.
    pub fn type_name(&self) -> &str {
        self.id.split_once('.').map_or(self.id.as_str(), |(_, t)| t)
    }

    /// The price-book row of this type's hourly price under `commitment`:
    /// `aws.instance.i7ie.48xlarge.on-demand`. Book ids have no `_`, so Azure's
    /// `standard_l80s_v3` is written `standard-l80s-v3` there.
    pub fn price_id(&self, commitment: Commitment) -> String {
        format!(
            "{}.instance.{}.{}",
            self.provider,
            self.type_name().replace('_', "-"),
            commitment.row_suffix()
        )
    }

    fn parse(c: &Cells<'_>) -> Result<InstanceType, PriceBookError> {
        let id = c.required("id")?;
        let ok = id.chars().all(|ch| {
            ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '-' | '_')
        });
        if !ok || id.starts_with('.') || id.ends_with('.') {
            return Err(c.error(
                "id",
                format!(
                    "\"{id}\" must be <provider>.<type> in lowercase a-z, 0-9, '.', '-' and '_'"
                ),
            ));
        }
        let provider = c.word("provider", Provider::from_word, || {
            "gcp, aws, azure".to_string()
        })?;
        if !matches!(provider, Provider::Gcp | Provider::Aws | Provider::Azure) {
            return Err(c.error("provider", "must be a cloud: gcp, aws or azure"));
        }
        if !id.starts_with(&format!("{provider}.")) {
            return Err(c.error(
                "id",
                format!("must start with the provider, \"{provider}.\""),
            ));
        }
        let vcpu = c.count("vcpu")?;
        let physical_cores = c.count("physical_cores")?;
        if physical_cores > vcpu {
            return Err(c.error("physical_cores", format!("must be at most the {vcpu} vCPU")));
        }
        Ok(InstanceType {
            id: id.into(),
            provider,
            family: c.required("family")?.into(),
            vcpu,
            physical_cores,
            memory_gib: c.positive("memory_gib")?,
            nvme_tb: c.positive("nvme_tb")?,
            nvme_as_published: c.required("nvme_as_published")?.into(),
            network_gbps: c.positive("network_gbps")?,
            source: c.required("source")?.into(),
            read_on: c.date("read_on")?,
            confidence: c.word("confidence", Confidence::from_word, Confidence::known)?,
            notes: c.text("notes").into(),
        })
    }
}

impl InstanceCatalog {
    /// Parses a catalog from CSV text; `file` names it in error messages. Every problem
    /// at once, in file order.
    pub fn check(id: &str, file: &str, text: &str) -> Result<InstanceCatalog, Vec<PriceBookError>> {
        let table = Table::read(file, text, INSTANCE_COLUMNS)?;
        let mut catalog = InstanceCatalog {
            id: id.into(),
            instances: Vec::new(),
        };
        let mut errors = Vec::new();
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        for c in table.records() {
            let row = c.and_then(|c| {
                let t = InstanceType::parse(&c)?;
                match seen.insert(t.id.clone(), c.line) {
                    Some(first) => {
                        Err(c.error("id", format!("duplicate id, first on line {first}")))
                    }
                    None => Ok(t),
                }
            });
            match row {
                Ok(t) => catalog.instances.push(t),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(catalog)
        } else {
            Err(errors)
        }
    }

    /// [`InstanceCatalog::check`], answering the first problem.
    pub fn parse(id: &str, file: &str, text: &str) -> Result<InstanceCatalog, PriceBookError> {
        InstanceCatalog::check(id, file, text).map_err(super::first)
    }

    /// The type `id` names, or an error listing the provider's types.
    pub fn get(&self, id: &str) -> Result<&InstanceType, PriceBookError> {
        self.instances
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| PriceBookError::NoModel {
                kind: "instance type",
                id: id.into(),
                known: self
                    .instances
                    .iter()
                    .map(|t| t.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The types of one provider (`gcp`, as a scenario's `source.provider` writes it), in
    /// file order: what the planner's picker offers.
    pub fn of<'a, 'p>(
        &'a self,
        provider: &'p str,
    ) -> impl Iterator<Item = &'a InstanceType> + Clone + use<'a, 'p> {
        self.instances
            .iter()
            .filter(move |t| t.provider.as_str() == provider)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const HEAD: &str = "id,provider,family,vcpu,physical_cores,memory_gib,nvme_tb,nvme_as_published,network_gbps,source,read_on,confidence,notes\n";

    #[test]
    fn reads_a_row_and_names_its_price_rows() {
        let text = format!("{HEAD}azure.standard_l80s_v3,azure,lsv3,80,40,640,19.2,10 x 1.92 TB,32,learn.microsoft.com,2026-12-05,list,\n");
        let c = InstanceCatalog::parse("t", "t.csv", &text).unwrap();
        let t = c.get("azure.standard_l80s_v3").unwrap();
        assert_eq!(t.type_name(), "standard_l80s_v3");
        assert_eq!(
            t.price_id(Commitment::ThreeYears),
            "azure.instance.standard-l80s-v3.3y"
        );
        assert_eq!(c.of("aws").count(), 0);
        assert_eq!(c.of("azure").count(), 1);
        let e = c.get("aws.nope").unwrap_err().to_string();
        assert!(
            e.contains("aws.nope") && e.contains("azure.standard_l80s_v3"),
            "{e}"
        );
    }

    #[test]
    fn every_problem_names_its_line_and_column() {
        let text = format!(
            "{HEAD}aws.x,gcp,x,8,4,32,1,1 TB,10,s,2026-12-05,list,\n\
             aws.y,aws,y,8,16,32,1,1 TB,10,s,2026-12-05,list,\n\
             aws.z,aws,z,8,4,32,0,1 TB,10,s,2026-12-05,list,\n\
             aws.z,aws,z,8,4,32,1,1 TB,10,s,2026-12-05,list,\n\
             aws.z,aws,z,8,4,32,1,1 TB,10,s,2026-12-05,list,\n"
        );
        let e = InstanceCatalog::check("t", "t.csv", &text).unwrap_err();
        let text: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(e.len(), 4, "{text:#?}");
        assert!(
            text[0].contains("line 2") && text[0].contains("id"),
            "{}",
            text[0]
        );
        assert!(text[1].contains("physical_cores"), "{}", text[1]);
        assert!(text[2].contains("nvme_tb"), "{}", text[2]);
        assert!(
            text[3].contains("duplicate id, first on line 5"),
            "{}",
            text[3]
        );
    }
}
