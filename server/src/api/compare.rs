//! `GET /api/compare?ids=A,B[,C…]`: saved scenarios side by side.
//!
//! Each entry is a scenario id, optionally with a version (`A@2`), so two versions of one
//! scenario compare as well as two scenarios. The comparison itself is
//! `lakeplan_models::compare`, which the browser runs too; this loads the scenarios and
//! prices each with its own book.

use axum::extract::State;
use axum::Json;
use lakeplan_api::paths;
use lakeplan_api::scenarios::{Compared, Comparison};
use lakeplan_api::ApiError;
use lakeplan_models::compare::compare as compare_models;
use lakeplan_models::field::FieldError;
use lakeplan_models::report::compute_priced_in;
use lakeplan_store::{ScenarioId, Version};

use super::error::AppError;
use super::extract::{parse_scenario, parse_version, Params};
use super::ApiState;
use crate::auth::Caller;

/// Enough for a table a person reads; more is a mistake or a scraper.
pub const MAX_SCENARIOS: usize = 10;

/// One `ids` entry.
fn entry(text: &str) -> Result<(ScenarioId, Option<Version>), AppError> {
    let (id, version) = match text.split_once('@') {
        Some((id, v)) => (id, Some(v)),
        None => (text, None),
    };
    let id = id.parse::<ScenarioId>().map_err(|e| {
        AppError::bad_request(
            "ids",
            format!("must list scenario ids (ID or ID@VERSION): {e}"),
        )
    })?;
    let version = match version {
        None => None,
        Some(v) => Some(parse_version(v).ok_or_else(|| {
            AppError::bad_request(
                "ids",
                format!("{text:?}: the version after @ must be a whole number ≥ 1"),
            )
        })?),
    };
    Ok((id, version))
}

/// Saved scenarios side by side: the inputs that differ, the key figures and their deltas
/// against the first.
#[utoipa::path(
    get,
    path = paths::COMPARE,
    tag = "scenarios",
    params(("ids" = String, Query, description = "2 to 10 comma-separated scenario ids, each optionally `ID@VERSION`.")),
    responses(
        (status = 200, description = "The comparison.", body = Comparison),
        (status = 400, description = "`ids` is missing, lists fewer than 2 or more than 10, or holds something that is not an id.", body = ApiError),
        (status = 404, description = "A scenario or version does not exist.", body = ApiError),
        (status = 410, description = "A scenario is deleted.", body = ApiError),
        (status = 422, description = "A saved scenario cannot be priced under this model.", body = ApiError)
    )
)]
pub async fn compare(
    State(s): State<ApiState>,
    caller: Caller,
    params: Params,
) -> Result<Json<Comparison>, AppError> {
    let signed = caller.signed()?.clone();
    let Some(ids) = params.get("ids") else {
        return Err(AppError::bad_request(
            "ids",
            "is required: ids=ID,ID[,…] lists the scenarios to compare (ID@VERSION for an earlier version)",
        ));
    };
    let wanted = ids
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(entry)
        .collect::<Result<Vec<_>, _>>()?;
    if !(2..=MAX_SCENARIOS).contains(&wanted.len()) {
        return Err(AppError::bad_request(
            "ids",
            format!(
                "must list 2 to {MAX_SCENARIOS} scenarios, got {}",
                wanted.len()
            ),
        ));
    }
    let loaded = s
        .storage
        .call(move |st| {
            let mut out = Vec::with_capacity(wanted.len());
            for (id, v) in &wanted {
                // Another team's scenario is "not found", as everywhere.
                let team = st.team_of(id)?;
                if signed.user.role_in(&team).is_none() {
                    return Err(lakeplan_store::StoreError::NotFound { id: *id });
                }
                out.push(match v {
                    None => {
                        let c = st.get(id)?;
                        let meta = Compared {
                            id: id.to_string(),
                            version: c.version.0,
                            name: c.name,
                            customer: c.customer,
                            price_book: c.price_book,
                        };
                        (meta, c.body)
                    }
                    Some(v) => {
                        let r = st.version(id, *v)?;
                        let meta = Compared {
                            id: id.to_string(),
                            version: r.info.version.0,
                            name: r.info.name,
                            customer: r.info.customer,
                            price_book: r.info.price_book,
                        };
                        (meta, r.body)
                    }
                });
            }
            Ok(out)
        })
        .await?;
    let books = s.shelf(&caller).await?;
    let mut scenarios = Vec::with_capacity(loaded.len());
    let mut values = Vec::with_capacity(loaded.len());
    let mut reports = Vec::with_capacity(loaded.len());
    let mut problems: Vec<FieldError> = Vec::new();
    for (meta, body) in loaded {
        let value: serde_json::Value = serde_json::from_str(&body).map_err(|e| {
            AppError::Internal(format!("scenario {} is not stored as JSON: {e}", meta.id))
        })?;
        match parse_scenario(&body)
            .and_then(|sc| compute_priced_in(&books.shelf, &sc).map_err(AppError::from))
        {
            Ok(report) => reports.push(report),
            Err(AppError::Invalid { errors }) => problems.extend(errors.into_iter().map(|e| {
                FieldError::new(
                    e.path,
                    format!(
                        "{} (scenario {} version {})",
                        e.message, meta.id, meta.version
                    ),
                )
            })),
            Err(other) => return Err(other),
        }
        values.push(value);
        scenarios.push(meta);
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid { errors: problems });
    }
    let c = compare_models(&values, &reports);
    Ok(Json(Comparison {
        scenarios,
        inputs: c.inputs,
        figures: c.figures,
    }))
}
