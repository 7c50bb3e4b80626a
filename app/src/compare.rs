//! Saved scenarios side by side (`/compare?ids=a,b,c`): the inputs that differ and the key
//! figures with their differences from the first scenario.
//!
//! The browser fetches the saved scenarios and computes the reports and the comparison
//! itself with `lakeplan_models::compare`, the same function behind `GET /api/compare`, so
//! the page and the API cannot disagree and the server does no model work for the page.

use crate::shelf::Shelf;
use lakeplan_models::compare::{Comparison, Figure};
use leptos::either::Either;

use crate::show::{delta_text, figure_text};
use leptos::prelude::*;
use serde_json::Value;

/// What the page shows: one column per scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub ids: Vec<String>,
    pub names: Vec<String>,
    pub comparison: Comparison,
}

/// Reads `ids=a,b,c` from a query string.
pub fn ids_of(query: &str) -> Vec<String> {
    crate::doc::parse_query(query)
        .into_iter()
        .filter(|(k, _)| k == "ids")
        .flat_map(|(_, v)| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Computes the comparison of saved scenarios given as JSON, in order.
pub fn compare_docs(ids: Vec<String>, docs: &[Value], shelf: &Shelf) -> Result<Loaded, String> {
    let mut reports = Vec::with_capacity(docs.len());
    let mut filled = Vec::with_capacity(docs.len());
    let mut names = Vec::with_capacity(docs.len());
    for (id, d) in ids.iter().zip(docs) {
        let (f, filled_in) = crate::state::figures(d, shelf).map_err(|errors| {
            let first = errors
                .first()
                .map(|e| format!("{}: {}", e.path, e.message))
                .unwrap_or_default();
            format!("Scenario {id} no longer computes ({first}).")
        })?;
        names.push(f.scenario.name.clone());
        reports.push(f.report);
        filled.push(filled_in);
    }
    Ok(Loaded {
        ids,
        names,
        comparison: lakeplan_models::compare::compare(&filled, &reports),
    })
}

fn value_text(v: &Option<Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let ids = ids_of(&crate::location::query());
    let state = RwSignal::new(None::<Result<Loaded, String>>);
    #[cfg(feature = "hydrate")]
    {
        let ids = ids.clone();
        Effect::new(move |_| load(ids.clone(), state));
    }
    let few = ids.len() < 2;
    view! {
        <section class="card compare" aria-labelledby="compare-title">
            <h1 id="compare-title">"Compare scenarios"</h1>
            <p><a href="/">"Back to the planner"</a></p>
            {move || {
                if few {
                    return Either::Left(view! { <p class="notice bad">"Pick two or more saved scenarios to compare (Open… in the planner)."</p> });
                }
                Either::Right(match state.get() {
                    None => Either::Left(view! { <p class="muted" role="status">"Loading the scenarios…"</p> }),
                    Some(Err(e)) => Either::Right(Either::Left(view! { <p class="notice bad" role="alert">{e}</p> })),
                    Some(Ok(l)) => Either::Right(Either::Right(view! { <div class="compare-tables" inner_html=tables_html(&l)></div> })),
                })
            }}
        </section>
    }
}

/// The two tables as HTML text (see `crate::html` for why not `view!`).
pub fn tables_html(loaded: &Loaded) -> String {
    use crate::html::{escape, table, Cell};
    let mut head = vec!["Field".to_string()];
    head.extend(loaded.names.iter().cloned());
    let inputs: Vec<Vec<Cell>> = loaded
        .comparison
        .inputs
        .iter()
        .map(|d| {
            let mut row = vec![Cell::text(d.path.clone())];
            row.extend(d.values.iter().map(|v| Cell::text(value_text(v))));
            row
        })
        .collect();
    let figures: Vec<Vec<Cell>> = loaded
        .comparison
        .figures
        .iter()
        .map(|f| {
            let label = match f.unit.as_str() {
                "month" => f.label.clone(),
                unit => format!("{} ({unit})", f.label),
            };
            let mut row = vec![Cell::text(label)];
            row.extend(
                f.values
                    .iter()
                    .zip(&f.deltas)
                    .enumerate()
                    .map(|(i, (v, d))| Cell::Figure {
                        text: figure_text(*v, &f.unit),
                        metric: f.key.clone(),
                        raw: match v {
                            Some(Figure::Number(x)) => x.to_string(),
                            Some(Figure::Month(m)) => m.to_string(),
                            None => "null".to_string(),
                        },
                        note: (i > 0).then(|| delta_text(*d, &f.unit)),
                    }),
            );
            row
        })
        .collect();
    let mut out = String::from("<h2>Inputs that differ</h2>");
    if inputs.is_empty() {
        out.push_str(r#"<p class="muted">None: the scenarios have the same inputs.</p>"#);
    } else {
        out.push_str(&table("compare-inputs", &head, &inputs));
    }
    head[0] = "Figure".to_string();
    out.push_str(&format!(
        r#"<h2>Key figures</h2><p class="muted">Differences are from {}, the first of the {} scenarios.</p>"#,
        escape(loaded.names.first().map_or("", String::as_str)),
        loaded.names.len()
    ));
    out.push_str(&table("compare-figures", &head, &figures));
    out
}

#[cfg(feature = "hydrate")]
fn load(ids: Vec<String>, state: RwSignal<Option<Result<Loaded, String>>>) {
    leptos::task::spawn_local(async move {
        let mut docs = Vec::with_capacity(ids.len());
        for id in &ids {
            match crate::api::get(id).await {
                Ok(envelope) => docs.push(envelope.scenario),
                Err(f) => {
                    state.set(Some(Err(format!("Scenario {id}: {}", f.sentence()))));
                    return;
                }
            }
        }
        let shelf = crate::shelf::sync::for_docs(&docs).await;
        state.set(Some(compare_docs(ids, &docs, &shelf)));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_query_in_order() {
        assert_eq!(ids_of("?ids=b,a, c,"), vec!["b", "a", "c"]);
        assert!(ids_of("").is_empty());
    }

    #[test]
    fn deltas_read_with_sign_and_unit() {
        assert_eq!(delta_text(Some(0.0), "USD"), "same");
        assert_eq!(delta_text(Some(-2_083.3), "Gbps"), "−2\u{2009}083");
        assert_eq!(delta_text(Some(3.0), "month"), "+3 months");
        assert_eq!(delta_text(None, "Gbps"), "—");
        assert_eq!(figure_text(Some(Figure::Number(1.85e9)), "USD"), "$1.85 B");
    }

    #[test]
    fn two_presets_compare_on_what_differs() {
        let a = crate::state::preset_doc(crate::state::preset_or_default(None));
        let mut b = a.clone();
        crate::doc::set(&mut b, "change.value", Value::from(5));
        let l = compare_docs(vec!["a".into(), "b".into()], &[a, b], &Shelf::default()).unwrap();
        assert_eq!(l.comparison.inputs.len(), 1);
        assert_eq!(l.comparison.inputs[0].path, "change.value");
        let rate = l
            .comparison
            .figures
            .iter()
            .find(|f| f.key == "sustained_gbps.first")
            .unwrap();
        // 10 → 5 %/day of 450 PB: 4 166.7 → 2 083.3 Gbps.
        assert_eq!(delta_text(rate.deltas[1], &rate.unit), "−2\u{2009}083");
        let html = tables_html(&l);
        assert!(
            html.contains("<th scope=\"row\">change.value</th><td>10.0</td><td>5.0</td>"),
            "{html}"
        );
        assert!(
            html.contains(r#"data-metric="sustained_gbps.first""#),
            "{html}"
        );
    }
}
