//! Store records as the contract writes them (`lakeplan-api`): ids and times as text,
//! versions as numbers. The store keeps its own typed records; this is the one place they
//! cross into the API's types.

use lakeplan_api::scenarios as wire;
use lakeplan_store as store;
use serde_json::value::RawValue;

use super::AppError;

pub fn summary(s: store::Summary) -> wire::Summary {
    wire::Summary {
        id: s.id.to_string(),
        team: s.team.to_string(),
        name: s.name,
        customer: s.customer,
        version: s.version.0,
        price_book: s.price_book,
        created_at: s.created_at.to_string(),
        updated_at: s.updated_at.to_string(),
        deleted_at: s.deleted_at.map(|t| t.to_string()),
        purge_after: s.purge_after.map(|t| t.to_string()),
    }
}

pub fn deletion(d: store::Deletion) -> wire::Deletion {
    wire::Deletion {
        id: d.id.to_string(),
        version: d.version.0,
        deleted_at: d.deleted_at.to_string(),
        purge_after: d.purge_after.to_string(),
    }
}

pub fn origin(o: store::Origin) -> wire::Origin {
    match o {
        store::Origin::Create => wire::Origin::Create,
        store::Origin::Duplicate { scenario, version } => wire::Origin::Duplicate {
            scenario: scenario.to_string(),
            version: version.0,
        },
        store::Origin::Save => wire::Origin::Save,
        store::Origin::Restore { version } => wire::Origin::Restore { version: version.0 },
        store::Origin::Reprice { from_book } => wire::Origin::Reprice { from_book },
    }
}

pub fn version_info(v: store::VersionInfo) -> wire::VersionInfo {
    wire::VersionInfo {
        version: v.version.0,
        saved_at: v.saved_at.to_string(),
        name: v.name,
        customer: v.customer,
        price_book: v.price_book,
        origin: origin(v.origin),
        saved_by: v.saved_by,
    }
}

/// A stored scenario body as raw JSON, written into an answer as it is stored: no parse
/// into a tree and no writing out again on every read.
pub fn raw(
    id: &store::ScenarioId,
    version: store::Version,
    body: String,
) -> Result<Box<RawValue>, AppError> {
    RawValue::from_string(body).map_err(|e| {
        AppError::Internal(format!(
            "scenario {id} version {version} is stored as text that is not JSON: {e}"
        ))
    })
}

pub fn envelope(c: store::Current) -> Result<wire::ScenarioEnvelope, AppError> {
    let scenario = raw(&c.id, c.version, c.body)?;
    Ok(wire::ScenarioEnvelope {
        id: c.id.to_string(),
        team: c.team.to_string(),
        version: c.version.0,
        name: c.name,
        customer: c.customer,
        price_book: c.price_book,
        created_at: c.created_at.to_string(),
        updated_at: c.updated_at.to_string(),
        scenario,
    })
}

pub fn version_envelope(r: store::VersionRecord) -> Result<wire::VersionEnvelope, AppError> {
    let scenario = raw(&r.id, r.info.version, r.body)?;
    let i = r.info;
    Ok(wire::VersionEnvelope {
        id: r.id.to_string(),
        version: i.version.0,
        saved_at: i.saved_at.to_string(),
        name: i.name,
        customer: i.customer,
        price_book: i.price_book,
        origin: origin(i.origin),
        saved_by: i.saved_by,
        scenario,
    })
}
