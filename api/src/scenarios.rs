//! Saved scenarios as the API shows them: the envelope around a saved scenario file, the
//! list, the history, a deletion, a comparison, a re-pricing preview, the price books.
//!
//! Ids are random UUIDs in lowercase hyphenated form, versions whole numbers from 1 (also
//! the `ETag`, which a save sends back in `If-Match`), times RFC 3339 in UTC with
//! milliseconds. The envelope keeps `id` and `version` out of the scenario file, so what a
//! client `PUT`s is exactly a scenario file.

use lakeplan_models::compare::{FigureRow, InputDifference};
use lakeplan_models::reprice::RowChange;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A saved scenario's current version (or a version restored, duplicated, re-priced).
///
/// `S` is how the scenario file is held: the server writes it as stored text (a
/// [`RawValue`], never parsed on a read); the browser reads it as a JSON tree to edit.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(bound = ""))]
pub struct ScenarioEnvelope<S = Box<RawValue>> {
    pub id: String,
    /// The team that owns the scenario: only its members see it.
    pub team: String,
    pub version: u64,
    pub name: String,
    pub customer: String,
    /// The price book that prices this version (pinned at save).
    pub price_book: String,
    pub created_at: String,
    /// When the current version was saved.
    pub updated_at: String,
    /// The scenario file, every default filled in, as saved.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub scenario: S,
}

/// A line of the scenario list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub id: String,
    pub team: String,
    pub name: String,
    pub customer: String,
    pub version: u64,
    pub price_book: String,
    pub created_at: String,
    pub updated_at: String,
    /// Set for a deleted scenario (listed with `?deleted=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// When a deleted scenario is purged for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_after: Option<String>,
}

/// `GET /api/scenarios`: most recently saved first (deleted: most recently deleted first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScenarioList {
    pub scenarios: Vec<Summary>,
}

/// What a delete did, and until when it can be undone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deletion {
    pub id: String,
    pub version: u64,
    pub deleted_at: String,
    pub purge_after: String,
}

/// Why a version exists, so a history tells a save from a restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The first version of a new scenario.
    Create,
    /// A copy of another scenario's version.
    Duplicate { scenario: String, version: u64 },
    /// An edit saved by a user.
    Save,
    /// A copy of an earlier version of the same scenario.
    Restore { version: u64 },
    /// The same inputs, priced with a newer book.
    Reprice { from_book: String },
}

/// A line of a scenario's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionInfo {
    pub version: u64,
    pub saved_at: String,
    pub name: String,
    pub customer: String,
    pub price_book: String,
    pub origin: Origin,
    /// Who saved it: their email, with the token's name when saved through an API token
    /// (`ana@example.com (token ci)`); empty for versions saved before authors were kept.
    pub saved_by: String,
}

/// `GET /api/scenarios/{id}/versions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct History {
    pub id: String,
    pub current_version: u64,
    /// Newest first.
    pub versions: Vec<VersionInfo>,
}

/// `GET /api/scenarios/{id}/versions/{v}`: one version with its scenario file.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionEnvelope {
    pub id: String,
    pub version: u64,
    pub saved_at: String,
    pub name: String,
    pub customer: String,
    pub price_book: String,
    pub origin: Origin,
    /// Who saved it (see [`VersionInfo::saved_by`]).
    pub saved_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub scenario: Box<RawValue>,
}

/// One scenario of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compared {
    pub id: String,
    pub version: u64,
    pub name: String,
    pub customer: String,
    pub price_book: String,
}

/// `GET /api/compare`: the inputs that differ and the key figures with their deltas
/// against the first scenario (`lakeplan_models::compare`, which the browser runs too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub scenarios: Vec<Compared>,
    pub inputs: Vec<InputDifference>,
    pub figures: Vec<FigureRow>,
}

/// `GET /api/scenarios/{id}/reprice`: what re-pricing with the newest book would change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepricePreview {
    pub id: String,
    pub version: u64,
    /// The book the scenario is priced with.
    pub from: String,
    /// The newest book.
    pub to: String,
    /// True when `from` is the newest book: nothing to re-price.
    pub up_to_date: bool,
    /// Key figures that change, `values` = [with `from`, with `to`].
    pub figures: Vec<FigureRow>,
    /// Price rows whose value changes.
    pub rows: Vec<RowChange>,
}
