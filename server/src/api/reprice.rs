//! Re-pricing a saved scenario with the newest price book.
//!
//! A saved scenario keeps the book it was priced with, so its figures do not move when a
//! new book ships. Moving it is explicit: `GET …/reprice` shows which key figures and
//! price rows would change (`lakeplan_models::reprice::preview`, which the browser can run
//! too), and `POST …/reprice` with `If-Match` saves a new version naming the newest book.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use lakeplan_models::compare::FigureRow;
use lakeplan_models::reprice::{self, RowChange};
use lakeplan_store::{Origin, ScenarioId, Version};
use serde::Serialize;

use super::error::AppError;
use super::extract::{parse_scenario, scenario_id, IfMatch};
use super::scenarios::{ready_to_save, scenario_response};
use super::ApiState;

#[derive(Serialize)]
struct Preview {
    id: ScenarioId,
    version: Version,
    /// The book the scenario is priced with.
    from: String,
    /// The newest book.
    to: String,
    /// True when `from` is the newest book: nothing to re-price.
    up_to_date: bool,
    /// Key figures that change, `values` = [with `from`, with `to`].
    figures: Vec<FigureRow>,
    /// Price rows whose value changes.
    rows: Vec<RowChange>,
}

/// `GET /api/scenarios/{id}/reprice`
pub async fn preview(
    State(s): State<ApiState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let current = s.storage.call(move |st| st.get(&id)).await?;
    let scenario = parse_scenario(&current.body)?;
    let p = reprice::preview(&scenario).map_err(|e| AppError::Invalid { errors: e.0 })?;
    Ok(axum::Json(Preview {
        id,
        version: current.version,
        up_to_date: p.from == p.to,
        from: p.from,
        to: p.to,
        figures: p.figures,
        rows: p.rows,
    })
    .into_response())
}

/// `POST /api/scenarios/{id}/reprice` with `If-Match`: a new version priced with the
/// newest book, or the current version unchanged (200, same ETag) when it already is.
pub async fn apply(
    State(s): State<ApiState>,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let current = s.storage.call(move |st| st.get(&id)).await?;
    if current.version != expected {
        return Err(lakeplan_store::StoreError::Conflict {
            id,
            expected,
            current: current.version,
        }
        .into());
    }
    let scenario = parse_scenario(&current.body)?;
    let newest = reprice::to_newest(&scenario);
    if newest.pricing.price_book == scenario.pricing.price_book {
        return scenario_response(&current, false);
    }
    let from_book = scenario.pricing.price_book.clone();
    let draft = ready_to_save(newest)?;
    let saved = s
        .storage
        .call(move |st| st.save(&id, expected, &draft, &Origin::Reprice { from_book }))
        .await?;
    scenario_response(&saved, false)
}
