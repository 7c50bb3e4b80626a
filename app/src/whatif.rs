//! The What-if view under the planner's results: the goal-seek answers, every licence plan
//! side by side, the sensitivity tornados and a Monte Carlo run over the inputs that are
//! guesses. Every figure and sentence comes from `lakeplan_models::whatif`; this module
//! only lays them out.
//!
//! Folded by default: the answers cost tens of reports each (goal-seek bisects, a tornado
//! moves 18 inputs both ways), so they are computed when the view is open and the scenario
//! changes (once the inputs rest), never on a keystroke while it is closed. The Monte Carlo
//! runs only on request, in a worker (`crate::worker`), so the page keeps answering while it
//! runs.
//! Tables are HTML text (`crate::html`), charts SVG text (`lakeplan-charts`).

use std::fmt::Write as _;

use lakeplan_charts::ChartStyle;
use lakeplan_models::display::{grouped, significant, usd_short};
use lakeplan_models::scenario::Scenario;
use lakeplan_models::whatif::distribution::Dist;
use lakeplan_models::whatif::goal_seek::{goal_seek, GoalSeekOptions};
use lakeplan_models::whatif::plans::compare_plans;
use lakeplan_models::whatif::sensitivity::{sensitivity, SensitivityOptions, Tornado};
use lakeplan_models::whatif::uncertainty::{
    default_spec, range_label, UncertaintyResult, UncertaintySpec,
};
use leptos::prelude::*;

use crate::html::{escape, table, Cell};
use crate::state::Planner;

/// The answers that need no run: goal-seek, plans, tornados, as one block of HTML.
pub fn answers_html(s: &Scenario, seed_days: f64, percent: f64, dark: bool) -> String {
    let mut out = String::new();
    out.push_str(r#"<h3>What makes the plan work</h3><ul class="answers">"#);
    match goal_seek(
        s,
        &GoalSeekOptions {
            seed_within_days: Some(seed_days),
        },
    ) {
        Ok(g) => {
            let sentences = g
                .ports
                .iter()
                .map(|a| ("ports_needed_every_month", a.sentence.as_str()))
                .chain([("max_change", g.max_change.sentence.as_str())])
                .chain(
                    g.saturation
                        .iter()
                        .map(|a| ("saturation", a.sentence.as_str())),
                )
                .chain(
                    g.seed_ports
                        .iter()
                        .map(|a| ("seed_ports", a.sentence.as_str())),
                )
                .chain(
                    g.break_even
                        .iter()
                        .map(|a| ("break_even", a.sentence.as_str())),
                )
                .chain(
                    g.next_enclosure
                        .iter()
                        .map(|a| ("next_enclosure", a.sentence.as_str())),
                )
                .chain(
                    g.placement
                        .iter()
                        .map(|a| ("placement", a.sentence.as_str())),
                );
            for (metric, sentence) in sentences {
                let _ = write!(
                    out,
                    r#"<li data-metric="goal_seek.{metric}">{}</li>"#,
                    escape(sentence)
                );
            }
        }
        Err(e) => out.push_str(&error_item(&e.0)),
    }
    out.push_str("</ul>");

    out.push_str("<h3>Licence plans on the same cluster</h3>");
    match compare_plans(s) {
        Ok(c) => {
            let _ = write!(out, r#"<p class="sentence">{}</p>"#, escape(&c.sentence));
            let mut head = vec!["Plan".to_string()];
            for y in &c.periods {
                head.push(format!("Total, {y} years"));
                head.push(format!("$/TB-month, {y} years"));
            }
            let rows: Vec<Vec<Cell>> = c
                .plans
                .iter()
                .map(|p| {
                    let mut row = vec![Cell::text(if p.is_scenario_plan {
                        format!("{} (this plan)", p.plan)
                    } else {
                        p.plan.clone()
                    })];
                    for period in &p.periods {
                        row.push(figure(
                            usd_short(period.total_usd),
                            "plan_total_usd",
                            period.total_usd,
                        ));
                        let per = period.usd_per_effective_tb_month.unwrap_or(f64::NAN);
                        row.push(figure(
                            if per.is_finite() {
                                format!("${}", grouped(per, 2))
                            } else {
                                "—".into()
                            },
                            "plan_usd_per_effective_tb_month",
                            per,
                        ));
                    }
                    row
                })
                .collect();
            out.push_str(&table("plans", &head, &rows));
        }
        Err(e) => out.push_str(&error_item(&e.0)),
    }

    let _ = write!(
        out,
        "<h3>What moves the answer most (each input ±{} %)</h3>",
        grouped(percent, 0)
    );
    match sensitivity(
        s,
        &SensitivityOptions {
            percent,
            inputs: Vec::new(),
        },
    ) {
        Ok(sens) => {
            let style = ChartStyle {
                width: 760,
                height: 520,
                dark,
                ..ChartStyle::default()
            };
            for t in [&sens.peak_bandwidth, &sens.total_cost]
                .into_iter()
                .chain(sens.cloud.as_ref())
            {
                let _ = write!(
                    out,
                    r#"<div class="tornado-block"><figure class="chart" data-chart="tornado-{}">{}<figcaption>{}</figcaption></figure>{}</div>"#,
                    escape(&t.output),
                    lakeplan_charts::tornado(t, &style),
                    escape(&t.sentence),
                    tornado_table(t)
                );
            }
        }
        Err(e) => out.push_str(&error_item(&e.0)),
    }
    out
}

fn figure(text: String, metric: &str, raw: f64) -> Cell {
    Cell::Figure {
        text,
        metric: metric.into(),
        raw: raw.to_string(),
        note: None,
    }
}

fn amount(v: f64, unit: &str) -> String {
    match unit {
        "USD" => usd_short(v),
        // Counts are whole: "84 ports", not "84.00 ports".
        "ports" | "enclosures" => format!("{} {unit}", grouped(v, 0)),
        _ => format!("{} {unit}", significant(v, 4)),
    }
}

fn tornado_table(t: &Tornado) -> String {
    let head: Vec<String> = [
        "Input",
        "Low",
        "High",
        "Output at low",
        "Output at high",
        "Swing",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    // Inputs that do not move this output are named in the sentence; the table lists the
    // ones that do.
    let rows: Vec<Vec<Cell>> = t
        .rows
        .iter()
        .filter(|r| r.swing > 0.0)
        .map(|r| {
            vec![
                Cell::text(r.label.clone()),
                figure(significant(r.low_value, 4), "low_value", r.low_value),
                figure(significant(r.high_value, 4), "high_value", r.high_value),
                figure(amount(r.output_low, &t.unit), "output_low", r.output_low),
                figure(amount(r.output_high, &t.unit), "output_high", r.output_high),
                figure(amount(r.swing, &t.unit), "swing", r.swing),
            ]
        })
        .collect();
    table(&format!("tornado tornado-{}", t.output), &head, &rows)
}

fn error_item(errors: &[lakeplan_models::field::FieldError]) -> String {
    let mut out = String::from(r#"<p class="notice bad">"#);
    for e in errors {
        let _ = write!(out, "{}: {} ", escape(&e.path), escape(&e.message));
    }
    out.push_str("</p>");
    out
}

/// The Monte Carlo's answer: its sentences, fan charts and the percentiles by year.
pub fn uncertainty_html(r: &UncertaintyResult, dark: bool) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<ul class="answers" data-metric="mc_trials" data-value="{}" data-seed="{}" data-digest="{}">"#,
        r.trials_run,
        r.seed,
        r.digest()
    );
    for s in &r.sentences {
        let _ = write!(out, "<li>{}</li>", escape(s));
    }
    out.push_str("</ul><h4>How the inputs were drawn</h4><ul class=\"answers muted\">");
    for i in &r.inputs {
        let _ = write!(out, "<li>{}</li>", escape(&i.sentence));
    }
    for c in &r.correlations {
        let _ = write!(
            out,
            "<li>{} and {} move together: rank correlation {} stated, {} in the trials drawn.</li>",
            escape(&c.a),
            escape(&c.b),
            significant(c.stated, 2),
            significant(c.drawn, 2)
        );
    }
    out.push_str("</ul>");
    let style = ChartStyle {
        dark,
        ..ChartStyle::default()
    };
    out.push_str(r#"<div class="charts">"#);
    for key in ["peak_gbps", "cost_usd"] {
        let _ = write!(
            out,
            r#"<figure class="chart" data-chart="fan-{key}">{}</figure>"#,
            lakeplan_charts::fan(r, key, &style)
        );
    }
    out.push_str("</div>");
    // P10/P50/P90 at the end of each year, for every metric.
    let mut head = vec!["Figure".to_string(), "Month".to_string()];
    head.extend(r.percentiles.iter().map(|p| format!("P{}", percentile(*p))));
    let mut rows = Vec::new();
    for m in &r.metrics {
        for (i, month) in r.months.iter().enumerate() {
            let year_end = month.to_string().ends_with("-12") || i + 1 == r.months.len();
            if !year_end {
                continue;
            }
            let mut row = vec![Cell::text(m.label.clone()), Cell::text(month.to_string())];
            for (pi, p) in r.percentiles.iter().enumerate() {
                let v = m
                    .values
                    .get(pi)
                    .and_then(|vs| vs.get(i))
                    .copied()
                    .unwrap_or(f64::NAN);
                row.push(Cell::Figure {
                    text: amount(v, &m.unit),
                    metric: format!("{}.p{}", m.key, percentile(*p)),
                    raw: v.to_string(),
                    note: None,
                });
            }
            rows.push(row);
        }
    }
    out.push_str(&table("percentiles", &head, &rows));
    // The chance each path is saturated by each year's end.
    let ends: Vec<usize> = r
        .months
        .iter()
        .enumerate()
        .filter(|(i, m)| m.to_string().ends_with("-12") || i + 1 == r.months.len())
        .map(|(i, _)| i)
        .collect();
    let mut head = vec!["Saturated by".to_string()];
    head.extend(ends.iter().map(|&i| r.months[i].to_string()));
    let rows: Vec<Vec<Cell>> = r
        .saturation
        .iter()
        .map(|p| {
            let mut row = vec![Cell::text(p.path.clone())];
            row.extend(ends.iter().map(|&i| {
                let v = p.probability.get(i).copied().unwrap_or(f64::NAN);
                Cell::Figure {
                    text: format!("{} %", grouped(v * 100.0, 0)),
                    metric: "saturation_probability".into(),
                    raw: v.to_string(),
                    note: None,
                }
            }));
            row
        })
        .collect();
    out.push_str(&table("saturation", &head, &rows));
    out
}

/// 50 → "50", 97.5 → "97.5".
fn percentile(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        p.to_string()
    }
}

/// What the form shows for one distribution: its kind and up to three numbers.
fn dist_fields(d: &Dist) -> (&'static str, [f64; 3]) {
    match *d {
        Dist::Uniform { min, max } => ("uniform", [min, max, 0.0]),
        Dist::Triangular { min, mode, max } => ("triangular", [min, mode, max]),
        Dist::Normal { mean, sd } => ("normal", [mean, sd, 0.0]),
        Dist::LogNormal { median, sigma } => ("lognormal", [median, sigma, 0.0]),
    }
}

fn dist_of(kind: &str, v: [f64; 3]) -> Dist {
    match kind {
        "uniform" => Dist::Uniform {
            min: v[0],
            max: v[1],
        },
        "normal" => Dist::Normal {
            mean: v[0],
            sd: v[1],
        },
        "lognormal" => Dist::LogNormal {
            median: v[0],
            sigma: v[1],
        },
        _ => Dist::Triangular {
            min: v[0],
            mode: v[1],
            max: v[2],
        },
    }
}

/// The labels of a distribution's numbers.
fn dist_labels(kind: &str) -> [&'static str; 3] {
    match kind {
        "uniform" => ["min", "max", ""],
        "normal" => ["mean", "sd", ""],
        "lognormal" => ["median", "σ of ln", ""],
        _ => ["min", "most likely", "max"],
    }
}

/// One row of the ranges form, as the user edits it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct RangeRow {
    path: String,
    on: bool,
    kind: String,
    values: [String; 3],
}

fn rows_of(spec: &UncertaintySpec) -> Vec<RangeRow> {
    spec.inputs
        .iter()
        .map(|i| {
            let (kind, v) = dist_fields(&i.dist);
            RangeRow {
                path: i.path.clone(),
                on: true,
                kind: kind.into(),
                values: v.map(|x| significant(x, 4).replace('\u{2009}', "")),
            }
        })
        .collect()
}

/// The spec the form states; a number that does not read names its input.
#[cfg(test)]
fn spec_of(rows: &[RangeRow], seed: &str, trials: &str) -> Result<UncertaintySpec, String> {
    spec_with(rows, seed, trials, "", &Correlation::default())
}

/// "These two move together", as the form states it: both paths and a rank correlation;
/// an empty rank means none.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Correlation {
    a: String,
    b: String,
    rank: String,
}

/// The spec with extra percentiles ("5, 95") and an optional correlation.
fn spec_with(
    rows: &[RangeRow],
    seed: &str,
    trials: &str,
    percentiles: &str,
    corr: &Correlation,
) -> Result<UncertaintySpec, String> {
    let mut inputs = Vec::new();
    for r in rows.iter().filter(|r| r.on) {
        let mut v = [0.0; 3];
        let wanted = if r.kind == "triangular" { 3 } else { 2 };
        for (i, text) in r.values.iter().enumerate().take(wanted) {
            v[i] = lakeplan_models::field::parse_number(&r.path, text).map_err(|e| {
                let (input, value) = (range_label(&r.path), dist_labels(&r.kind)[i]);
                format!("{input} ({value}): {}", e.message)
            })?;
        }
        inputs.push(lakeplan_models::whatif::uncertainty::UncertainInput {
            path: r.path.clone(),
            dist: dist_of(&r.kind, v),
        });
    }
    let seed = seed
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("seed must be a whole number ≥ 0, got {seed:?}"))?;
    let trials = trials
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("trials must be a whole number ≥ 1, got {trials:?}"))?;
    let mut wanted = Vec::new();
    for text in percentiles
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        wanted.push(
            lakeplan_models::field::parse_number("percentiles", text)
                .map_err(|e| format!("percentiles: {}", e.message))?,
        );
    }
    let mut correlations = Vec::new();
    if !corr.rank.trim().is_empty() {
        let rank = lakeplan_models::field::parse_number("correlation", &corr.rank)
            .map_err(|e| format!("correlation: {}", e.message))?;
        correlations.push(lakeplan_models::whatif::uncertainty::RankCorrelation {
            a: corr.a.clone(),
            b: corr.b.clone(),
            rank,
        });
    }
    Ok(UncertaintySpec {
        seed,
        trials,
        percentiles: wanted,
        inputs,
        correlations,
    })
}

#[component]
pub fn WhatIf() -> impl IntoView {
    let open = RwSignal::new(false);
    // The body's code (the what-ifs' models and views) is a separate wasm module, fetched
    // the first time the view opens (`crate::lazy`); the first load does without it.
    let loaded = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        #[cfg(feature = "hydrate")]
        if !loaded.get_untracked() {
            leptos::task::spawn_local(async move {
                match preload_whatif_body().await {
                    Ok(()) => {
                        failed.set(false);
                        if !loaded.get_untracked() {
                            loaded.set(true);
                        }
                    }
                    Err(_) => failed.set(true),
                }
            });
        }
    };
    view! {
        <section class="card whatif" aria-labelledby="whatif-title">
            <div class="whatif-head">
                <h2 id="whatif-title">"What-ifs"</h2>
                <span class="muted">"goal-seek, licence plans, sensitivity, uncertainty"</span>
                <button type="button" class="button" name="whatif.open"
                    aria-expanded=move || open.get().to_string()
                    on:click=toggle>
                    {move || if open.get() { "Hide" } else { "Show the what-ifs" }}
                </button>
            </div>
            <div class="whatif-body" class:hidden=move || !open.get() aria-busy=move || (open.get() && !loaded.get()).to_string()>
                {move || loaded.get().then(|| crate::lazy::shown(whatif_body(open))).flatten()}
                {move || failed.get().then(|| view! {
                    <p class="notice bad" role="alert">{crate::lazy::NotLoaded::MESSAGE}</p>
                })}
            </div>
        </section>
    }
}

/// The what-ifs' controls and answers, in their own wasm module.
#[leptos::wasm_split::wasm_split(whatif_body, wasm_split_path = ::leptos::wasm_split, preload(preload_whatif_body), fallible)]
fn whatif_body(open: RwSignal<bool>) -> Result<AnyView, crate::lazy::NotLoaded> {
    let planner = expect_context::<Planner>();
    let dark = use_context::<crate::state::DarkTheme>().map(|d| d.0);
    let seed_days = RwSignal::new(90.0_f64);
    let percent = RwSignal::new(20.0_f64);
    // The answers cost tens of reports (goal-seek bisects, a tornado moves every input both
    // ways), far more than the figures an edit changes: they follow once the inputs rest,
    // so a keystroke updates the figures and charts at once (issue 16: 16 ms) and the
    // answers a moment later, marked as being worked out meanwhile.
    let answers = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    {
        let timer = StoredValue::new_local(None::<leptos::prelude::TimeoutHandle>);
        Effect::new(move |before: Option<()>| {
            if !open.get() {
                return;
            }
            let dark = dark.map(|d| d.get()).unwrap_or(false);
            let (days, pct) = (seed_days.get(), percent.get());
            planner.shown.track();
            if let Some(t) = timer.get_value() {
                t.clear();
            }
            pending.set(true);
            let work = move || {
                timer.set_value(None);
                let html = planner.shown.with_untracked(|c| {
                    c.as_ref()
                        .and_then(|c| c.0.figures.as_ref())
                        .map(|f| answers_html(&f.scenario, days, pct, dark))
                        .unwrap_or_default()
                });
                answers.set(html);
                pending.set(false);
            };
            let wait = if before.is_some() {
                ANSWERS_AFTER
            } else {
                std::time::Duration::ZERO
            };
            timer.set_value(leptos::prelude::set_timeout_with_handle(work, wait).ok());
        });
    }
    Ok(view! {
            <div class="whatif-controls">
                <label>"Seed within "
                    <input type="number" name="whatif.seed_within_days" min="1" step="1"
                        prop:value=move || seed_days.get().to_string()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                if v > 0.0 { seed_days.set(v) }
                            }
                        }/>
                    " days"
                </label>
                <label>"Move each input by ±"
                    <select name="whatif.percent" prop:value=move || percent.get().to_string()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() { percent.set(v) }
                        }>
                        <option value="10">"10"</option>
                        <option value="20">"20"</option>
                        <option value="30">"30"</option>
                        <option value="50">"50"</option>
                    </select>
                    " %"
                </label>
            </div>
            <div class="whatif-answers" class:stale=move || pending.get() aria-busy=move || pending.get().to_string()
                inner_html=move || answers.get()></div>
            <p><button type="button" class="button" name="whatif.plans_csv" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                planner.shown.with_untracked(|c| {
                    if let Some(f) = c.as_ref().and_then(|c| c.0.figures.as_ref()) {
                        if let Ok(plans) = compare_plans(&f.scenario) {
                            // No version: the planner's scenario may be edited since it was saved.
                            let stem = lakeplan_models::export::file_stem(&f.scenario.name, None);
                            crate::browser::download_text(
                                &format!("{stem}-licence-plans.csv"),
                                "text/csv",
                                &lakeplan_models::whatif::plans::plans_to_csv(&plans),
                            );
                        }
                    }
                });
            }>"Export the plan comparison (CSV)"</button></p>
            <Uncertainty open=open/>
    }
    .into_any())
}

/// The ranges form and the Monte Carlo run.
#[component]
fn Uncertainty(open: RwSignal<bool>) -> impl IntoView {
    let planner = expect_context::<Planner>();
    let dark = use_context::<crate::state::DarkTheme>().map(|d| d.0);
    let rows = RwSignal::new(Vec::<RangeRow>::new());
    let seed = RwSignal::new("1".to_string());
    let trials = RwSignal::new("10000".to_string());
    let percentiles = RwSignal::new(String::new());
    let corr = RwSignal::new(Correlation::default());
    let progress = RwSignal::new(None::<f64>);
    let result = RwSignal::new(None::<Result<UncertaintyResult, String>>);
    // First ranges around the plan, once the view opens (and again on "reset").
    let reset = move || {
        let spec = planner.shown.with_untracked(|c| {
            let f = c.as_ref()?.0.figures.as_ref()?;
            default_spec(&f.scenario).ok()
        });
        let rows_now = spec.as_ref().map(rows_of).unwrap_or_default();
        // The pair most often moving together: how much changes and how big the lake gets.
        corr.set(Correlation {
            a: rows_now.first().map(|r| r.path.clone()).unwrap_or_default(),
            b: rows_now.get(1).map(|r| r.path.clone()).unwrap_or_default(),
            rank: String::new(),
        });
        rows.set(rows_now);
    };
    Effect::new(move |_| {
        if open.get() && rows.with_untracked(Vec::is_empty) {
            reset();
        }
    });
    // Another preset is another plan: its own inputs to range (a path of the last one may
    // not exist in it).
    Effect::new(move |before: Option<()>| {
        planner.preset.track();
        if before.is_some() {
            reset();
        }
    });
    // The run happens in a worker (`crate::worker`), started when the view opens so the
    // first run finds it ready; a run whose scenario changes under it starts again with the
    // new one.
    #[cfg(feature = "hydrate")]
    let worker = StoredValue::new_local(None::<crate::worker::MonteCarloWorker>);
    // The number of the run under way: a report of an earlier one (queued before it was
    // ended) is not shown.
    #[cfg(feature = "hydrate")]
    let current = StoredValue::new(0_u32);
    // A stale run's restart, waiting for the inputs to rest.
    #[cfg(feature = "hydrate")]
    let again = StoredValue::new_local(None::<leptos::prelude::TimeoutHandle>);
    #[cfg(feature = "hydrate")]
    let end_run = move || {
        current.update_value(|n| *n += 1);
        if let Some(t) = again.try_update_value(Option::take).flatten() {
            t.clear();
        }
    };
    // The worker, started unless it is running.
    #[cfg(feature = "hydrate")]
    let ensure_worker = move || -> Result<(), String> {
        if worker.with_value(Option::is_none) {
            worker.set_value(Some(start_worker(worker, current, progress, result)?));
        }
        Ok(())
    };
    #[cfg(feature = "hydrate")]
    let stop_worker = move || {
        worker.with_value(|w| {
            if let Some(w) = w {
                w.stop();
            }
        })
    };
    #[cfg(feature = "hydrate")]
    let send = move |request: Result<String, String>| {
        let request = match request {
            Ok(r) => r,
            Err(e) => {
                result.set(Some(Err(e)));
                progress.set(None);
                return;
            }
        };
        end_run();
        let id = current.get_value();
        let sent = ensure_worker().and_then(|()| {
            worker.with_value(|w| match w {
                Some(w) => w.run(id, &request),
                None => Err("the Monte Carlo's worker did not start".into()),
            })
        });
        match sent {
            Ok(()) => progress.set(Some(0.0)),
            Err(e) => {
                result.set(Some(Err(e)));
                progress.set(None);
            }
        }
    };
    // The request as the form and the planner stand now, with the form's trials or others.
    let request_with_trials = move |other_trials: Option<&str>| -> Result<String, String> {
        let spec_rows = rows.get_untracked();
        let (seed, trials, percentiles, corr) = (
            seed.get_untracked(),
            other_trials.map_or_else(|| trials.get_untracked(), str::to_string),
            percentiles.get_untracked(),
            corr.get_untracked(),
        );
        spec_with(&spec_rows, &seed, &trials, &percentiles, &corr)?;
        let request = planner.shown.with_untracked(|c| {
            let c = c.as_ref()?;
            let pricing = &c.0.figures.as_ref()?.scenario.pricing;
            let (book, catalog) = planner.books.with_untracked(|s| {
                (
                    s.shelved_book(&pricing.price_book)
                        .map(|b| (*b.rows).clone()),
                    s.shelved_catalog(&pricing.catalog)
                        .map(|b| (*b.rows).clone()),
                )
            });
            Some(RunRequest {
                filled: c.0.filled.clone(),
                book,
                catalog,
                ranges: spec_rows,
                seed,
                trials,
                percentiles,
                corr,
            })
        });
        let request = request.ok_or("Fix the fields marked in red first.")?;
        serde_json::to_string(&request).map_err(|e| e.to_string())
    };
    let request = move || request_with_trials(None);
    #[cfg(feature = "hydrate")]
    {
        // Started when the view opens; a failure to start is told by the first run.
        Effect::new(move |_| {
            let _ = ensure_worker();
        });
        // A first run is slow: V8 runs the worker's code unoptimised until it has seen it
        // hot, so the first 10 000-trial run of a page took 230-340 ms against 85-95 ms
        // for the next. Once the view has opened and rested, each worker runs the plan's
        // ranges at a few thousand trials and the page drops the answers (a run number
        // never current); a real run ends them at their next pause. One at most per view.
        set_timeout(
            move || {
                if current.try_get_value() != Some(0) {
                    return;
                }
                let warm_up = request_with_trials(Some(WARM_UP_TRIALS));
                if let Ok(request) = warm_up {
                    worker.with_value(|w| {
                        if let Some(w) = w {
                            let _ = w.warm_up(&request);
                        }
                    });
                }
            },
            WARM_UP_AFTER,
        );
        // A run whose scenario changes is stale: it stops, and the run starts again on the
        // new scenario once the user has paused (not on every keystroke: a run's first
        // slices, reading the request and allocating its trials, are the ones that cost the
        // page most).
        Effect::new(move |before: Option<()>| {
            planner.shown.track();
            if before.is_some() && progress.get_untracked().is_some() {
                end_run();
                // Stopped at its next pause: a stale run's trials are work for nothing.
                // The worker stays (`public/mc-worker.js` says why).
                stop_worker();
                // The bar in a task of its own, after the edit's figures.
                set_timeout(
                    move || {
                        if progress.try_get_untracked().flatten().is_some() {
                            progress.set(Some(0.0));
                        }
                    },
                    std::time::Duration::ZERO,
                );
                let restart = leptos::prelude::set_timeout_with_handle(
                    move || {
                        again.set_value(None);
                        if progress.try_get_untracked().flatten().is_some() {
                            send(request());
                        }
                    },
                    RESTART_AFTER,
                );
                again.set_value(restart.ok());
            }
        });
    }
    let run = move |_| {
        #[cfg(feature = "hydrate")]
        send(request());
        #[cfg(not(feature = "hydrate"))]
        let _ = request;
    };
    let stop = move |_| {
        #[cfg(feature = "hydrate")]
        {
            end_run();
            stop_worker();
        }
        progress.set(None);
    };
    let result_html = move || {
        let dark = dark.map(|d| d.get()).unwrap_or(false);
        result.with(|r| match r {
            None => String::new(),
            Some(Err(e)) => format!(r#"<p class="notice bad" role="alert">{}</p>"#, escape(e)),
            Some(Ok(r)) => uncertainty_html(r, dark),
        })
    };
    view! {
        <h3>"Ranges instead of guesses"</h3>
        <p class="muted">"Tick the inputs that are guesses and give each a range; the run draws them together, "
            "with a fixed seed so a colleague gets the same figures."</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Ranges"><table class="ranges">
            <thead><tr><th>"Input"</th><th>"Range"</th><th colspan="3">"Values"</th></tr></thead>
            <tbody>
                {move || rows.get().into_iter().enumerate().map(|(i, r)| {
                    let labels = dist_labels(&r.kind);
                    let path = r.path.clone();
                    let input = range_label(&path).to_string();
                    view! {
                        <tr>
                            <th scope="row"><label title=path.clone()>
                                <input type="checkbox" name=format!("mc.{path}.on") prop:checked=r.on
                                    on:change=move |ev| rows.update(|rs| rs[i].on = event_target_checked(&ev))/>
                                " " {input.clone()}
                            </label></th>
                            <td><select name=format!("mc.{path}.dist") aria-label=format!("Distribution of {input}") prop:value=r.kind.clone()
                                on:change=move |ev| rows.update(|rs| rs[i].kind = event_target_value(&ev))>
                                <option value="triangular">"triangular"</option>
                                <option value="uniform">"uniform"</option>
                                <option value="normal">"normal"</option>
                                <option value="lognormal">"log-normal"</option>
                            </select></td>
                            {(0..3).map(|j| {
                                let label = labels[j];
                                let value = r.values[j].clone();
                                let path = path.clone();
                                // A distribution of two values leaves the third cell
                                // empty, so the row's rule runs the table's width.
                                view! { <td>{(!label.is_empty()).then(|| view! {
                                    <label class="range-value">{label}" "
                                        <input type="text" inputmode="decimal" size="8" name=format!("mc.{path}.{j}") prop:value=value
                                            on:change=move |ev| rows.update(|rs| rs[i].values[j] = event_target_value(&ev))/>
                                    </label>
                                })}</td> }
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
        <div class="whatif-controls">
            <label>"Moving together: "
                <select name="mc.corr.a" aria-label="First input" prop:value=move || corr.get().a
                    on:change=move |ev| corr.update(|c| c.a = event_target_value(&ev))>
                    {move || rows.get().into_iter().map(|r| view! { <option value=r.path.clone()>{range_label(&r.path).to_string()}</option> }).collect_view()}
                </select>
                " and "
                <select name="mc.corr.b" aria-label="Second input" prop:value=move || corr.get().b
                    on:change=move |ev| corr.update(|c| c.b = event_target_value(&ev))>
                    {move || rows.get().into_iter().map(|r| view! { <option value=r.path.clone()>{range_label(&r.path).to_string()}</option> }).collect_view()}
                </select>
                ", rank correlation "
                <input type="text" inputmode="decimal" size="5" name="mc.corr.rank" placeholder="none"
                    prop:value=move || corr.get().rank
                    on:change=move |ev| corr.update(|c| c.rank = event_target_value(&ev))/>
            </label>
            <label>"Also percentiles " <input type="text" size="10" name="mc.percentiles" placeholder="e.g. 5, 95"
                prop:value=move || percentiles.get()
                on:change=move |ev| percentiles.set(event_target_value(&ev))/></label>
        </div>
        <div class="whatif-controls">
            <label>"Seed " <input type="text" inputmode="numeric" size="10" name="mc.seed" prop:value=move || seed.get()
                on:change=move |ev| seed.set(event_target_value(&ev))/></label>
            <label>"Trials " <input type="text" inputmode="numeric" size="8" name="mc.trials" prop:value=move || trials.get()
                on:change=move |ev| trials.set(event_target_value(&ev))/></label>
            <button type="button" class="button primary" name="mc.run" on:click=run
                disabled=move || progress.get().is_some()>"Run"</button>
            <button type="button" class="button" name="mc.stop" on:click=stop
                disabled=move || progress.get().is_none()>"Stop"</button>
            <button type="button" class="button" on:click=move |_| reset()>"Reset the ranges"</button>
            <progress class="mc-progress" max="1" value=move || progress.get().unwrap_or(0.0).to_string()
                class:idle=move || progress.get().is_none() aria-label="Monte Carlo progress"></progress>
        </div>
        <div class="mc-result" inner_html=result_html></div>
    }
}

/// A run as the worker gets it: the scenario the page shows (every default filled in), the
/// rows of the stored book and catalog it is priced with, and the ranges form as typed.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct RunRequest {
    filled: serde_json::Value,
    book: Option<lakeplan_api::books::BookRows>,
    catalog: Option<lakeplan_api::books::BookRows>,
    ranges: Vec<RangeRow>,
    seed: String,
    trials: String,
    percentiles: String,
    corr: Correlation,
}

/// How long the inputs must rest before the what-ifs' answers are worked out again.
const ANSWERS_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

/// How long the inputs must rest before a run they made stale starts again.
#[cfg(feature = "hydrate")]
const RESTART_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

/// The trials of each worker's warm-up run, whose answer is dropped ([`Uncertainty`]):
/// enough for V8 to optimise the trials' code (1 000 left the next run half as slow again,
/// 3 000 did not).
#[cfg(feature = "hydrate")]
const WARM_UP_TRIALS: &str = "3000";
/// How long after the view opens the warm-up starts (a user who runs at once skips it).
#[cfg(feature = "hydrate")]
const WARM_UP_AFTER: std::time::Duration = std::time::Duration::from_millis(400);

/// Trials between two pauses of a run in the worker (about 10 ms of its time): the page
/// hears the progress, and a stale run ends, at most this late.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const SLICE: u32 = 1_000;

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl RunRequest {
    /// Reads the request with the page's own code: the run, ready to step through.
    #[cfg(test)]
    fn start(self) -> Result<lakeplan_models::whatif::uncertainty::MonteCarloRun, String> {
        self.start_part(0, 1)
    }

    /// Reads the request with the page's own code: part `part` of `parts` of the run
    /// (`MonteCarloRun::part`), ready to step through.
    fn start_part(
        self,
        part: u32,
        parts: u32,
    ) -> Result<lakeplan_models::whatif::uncertainty::MonteCarloRun, String> {
        let shelf = crate::shelf::Shelf::of_rows(self.book, self.catalog);
        let joined = |errors: Vec<lakeplan_models::field::FieldError>| {
            errors
                .iter()
                .map(|f| format!("{}: {}", f.path, f.message))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let (computed, _) = crate::state::figures(&self.filled, &shelf).map_err(joined)?;
        let spec = spec_with(
            &self.ranges,
            &self.seed,
            &self.trials,
            &self.percentiles,
            &self.corr,
        )?;
        let mc = lakeplan_models::whatif::uncertainty::MonteCarlo::new(&computed.scenario, &spec)
            .map_err(|e| joined(e.0))?;
        Ok(lakeplan_models::whatif::uncertainty::MonteCarloRun::part(
            mc, part, parts,
        ))
    }

    /// Reads the request and runs it to the end, telling the share done after each slice.
    #[cfg(test)]
    fn run(self, mut progress: impl FnMut(f64)) -> Result<UncertaintyResult, String> {
        let mut run = self.start()?;
        while !run.is_done() {
            progress(run.step(SLICE));
        }
        Ok(run.result())
    }
}

/// A run under way in a worker: the lead's answer as JSON (`Result<UncertaintyResult,
/// String>`) in a JS string, another part's trials as bytes in a `Uint8Array`, or nothing
/// when it was ended before it was done.
#[cfg(feature = "hydrate")]
pub type WorkerRun =
    std::pin::Pin<Box<dyn std::future::Future<Output = Option<wasm_bindgen::JsValue>>>>;

/// Starts part `part` of `parts` of a request in a worker
/// (`crate::worker::monte_carlo_worker`): its share of the trials
/// (`MonteCarloRun::part`). Between two slices it calls `go_on` with the share done and
/// waits for its promise: the worker tells the page the progress, lets the page's messages
/// in, and answers whether the run is still wanted. Part 0 leads: once its own share is
/// done it calls `gather` for the other parts' trials (a promise of their bytes, or of
/// nothing when the run was ended meanwhile), merges them and answers for the whole run;
/// the other parts answer with their trials as bytes.
/// A future in a box (not an `async fn`, which a split function cannot be): its code stays
/// in the what-ifs' module.
#[cfg(feature = "hydrate")]
#[leptos::wasm_split::wasm_split(run_in_worker, wasm_split_path = ::leptos::wasm_split, preload(preload_run_in_worker), fallible)]
pub fn run_in_worker(
    request: String,
    part: u32,
    parts: u32,
    go_on: js_sys::Function,
    gather: js_sys::Function,
) -> Result<WorkerRun, crate::lazy::NotLoaded> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    Ok(Box::pin(async move {
        let started = serde_json::from_str::<RunRequest>(&request)
            .map_err(|e| format!("the run's request: {e}"))
            .and_then(|r| r.start_part(part, parts));
        let mut run = match started {
            Ok(run) => run,
            // Every part reads the same request: the lead tells the error.
            Err(e) if part == 0 => return Some(answer(&Err(e))),
            Err(_) => return Some(js_sys::Uint8Array::new_with_length(0).into()),
        };
        loop {
            let done = run.step(SLICE);
            if run.is_done() {
                break;
            }
            let asked = go_on
                .call1(&wasm_bindgen::JsValue::NULL, &done.into())
                .map(js_sys::Promise::from)
                .map(JsFuture::from);
            let wanted = match asked {
                Ok(answer) => answer.await.ok().and_then(|v| v.as_bool()),
                Err(_) => None,
            };
            if wanted != Some(true) {
                return None;
            }
        }
        if part != 0 {
            return Some(js_sys::Uint8Array::from(run.to_bytes().as_slice()).into());
        }
        if parts > 1 {
            let asked = gather
                .call0(&wasm_bindgen::JsValue::NULL)
                .map(js_sys::Promise::from)
                .map(JsFuture::from);
            let others = match asked {
                Ok(answer) => answer.await.ok()?,
                Err(_) => return None,
            };
            // Nothing: the run was ended while the others ran.
            let others = others.dyn_into::<js_sys::Array>().ok()?;
            for bytes in others.iter() {
                let Some(bytes) = bytes.dyn_ref::<js_sys::Uint8Array>() else {
                    return Some(answer(&Err("a part of the run answered no trials".into())));
                };
                if let Err(e) = run.merge_bytes(&bytes.to_vec()) {
                    return Some(answer(&Err(format!("a part of the run: {e}"))));
                }
            }
            if !run.is_whole() {
                return Some(answer(&Err(
                    "a part of the run did not answer its trials".into()
                )));
            }
        }
        Some(answer(&Ok(run.result())))
    }))
}

/// The lead's answer as the page reads it.
#[cfg(feature = "hydrate")]
fn answer(outcome: &Result<UncertaintyResult, String>) -> wasm_bindgen::JsValue {
    serde_json::to_string(outcome)
        .unwrap_or_else(|e| format!(r#"{{"Err":"the run's answer: {e}"}}"#))
        .into()
}

/// Starts the worker, whose reports set the run's progress and result.
#[cfg(feature = "hydrate")]
fn start_worker(
    worker: StoredValue<Option<crate::worker::MonteCarloWorker>, LocalStorage>,
    current: StoredValue<u32>,
    progress: RwSignal<Option<f64>>,
    result: RwSignal<Option<Result<UncertaintyResult, String>>>,
) -> Result<crate::worker::MonteCarloWorker, String> {
    use crate::worker::Report;
    crate::worker::MonteCarloWorker::start(move |run, report| match report {
        // A report of a run that has since ended (or of a view no longer shown).
        _ if run.is_some_and(|run| current.try_get_value() != Some(run)) => {}
        Report::Progress(done) => {
            if progress.try_get_untracked().flatten().is_some() {
                progress.set(Some(done));
            }
        }
        Report::Done(json) => {
            let answer = serde_json::from_str::<Result<UncertaintyResult, String>>(&json)
                .unwrap_or_else(|e| Err(format!("the run's answer: {e}")));
            result.set(Some(answer));
            progress.set(None);
        }
        Report::Failed(e) => {
            result.set(Some(Err(format!("The Monte Carlo stopped: {e}"))));
            progress.set(None);
            // Not from inside its own handler: the next run starts a new worker.
            leptos::task::spawn_local(async move { worker.set_value(None) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Scenario {
        lakeplan_models::presets::reference().scenario().unwrap()
    }

    #[test]
    fn the_answers_are_the_models_sentences_and_tables() {
        let s = reference();
        let html = answers_html(&s, 90.0, 20.0, false);
        let g = goal_seek(
            &s,
            &GoalSeekOptions {
                seed_within_days: Some(90.0),
            },
        )
        .unwrap();
        assert!(html.contains(&escape(&g.max_change.sentence)), "{html}");
        assert!(html.contains(r#"<table class="plans">"#), "{html}");
        assert!(html.contains("tornado-peak_gbps"), "{html}");
        assert!(html.contains("<svg"), "{html}");
    }

    /// The worker's path: the request as JSON, read with the page's code, run, the answer
    /// as JSON read back: every figure to the bit of a run made directly.
    #[test]
    fn a_run_through_the_worker_request_gives_the_same_bits() {
        let doc = crate::state::preset_doc(lakeplan_models::presets::reference());
        let shelf = crate::shelf::Shelf::default();
        let (computed, filled) = crate::state::figures(&doc, &shelf).unwrap();
        let spec = UncertaintySpec {
            trials: 700,
            ..default_spec(&computed.scenario).unwrap()
        };
        let mut ranges = rows_of(&spec);
        ranges[0].values[0] = "0.1234567890123456789".into();
        let corr = Correlation {
            a: ranges[0].path.clone(),
            b: ranges[1].path.clone(),
            rank: "0.3".into(),
        };
        let request = RunRequest {
            filled: filled.clone(),
            book: None,
            catalog: None,
            ranges: ranges.clone(),
            seed: "42".into(),
            trials: "700".into(),
            percentiles: "5, 97.5".into(),
            corr: corr.clone(),
        };
        let json = serde_json::to_string(&request).unwrap();
        let mut reports = Vec::new();
        let answer = serde_json::from_str::<RunRequest>(&json)
            .unwrap()
            .run(|done| reports.push(done));
        let back: Result<UncertaintyResult, String> =
            serde_json::from_str(&serde_json::to_string(&answer).unwrap()).unwrap();
        let direct = lakeplan_models::whatif::uncertainty::run(
            &computed.scenario,
            &spec_with(&ranges, "42", "700", "5, 97.5", &corr).unwrap(),
        )
        .unwrap();
        assert_eq!(back.unwrap().digest(), direct.digest());
        assert_eq!(reports, vec![1.0]);
        // Split between two workers as the page splits it: the second part's trials come
        // to the first as bytes, and the first answers with the same bits.
        let part = |k: u32| {
            let mut run = serde_json::from_str::<RunRequest>(&json)
                .unwrap()
                .start_part(k, 2)
                .unwrap();
            while !run.is_done() {
                run.step(SLICE);
            }
            run
        };
        let mut lead = part(0);
        lead.merge_bytes(&part(1).to_bytes()).unwrap();
        assert_eq!(lead.result().digest(), direct.digest());
        // A bad range is named, and nothing runs.
        let mut bad = serde_json::from_str::<RunRequest>(&json).unwrap();
        bad.ranges[0].values[1] = "ten".into();
        let e = bad.run(|_| panic!("no trials")).unwrap_err();
        assert!(e.contains("most likely"), "{e}");
    }

    /// The run the end-to-end suite makes in the browser's worker (the reference preset
    /// over 60 months, the ranges the view opens with, seed 1, 10 000 trials), made here
    /// natively: its digest is the file the browser's run must match to the bit
    /// (`end2end/tests/whatif.spec.ts`).
    #[test]
    fn the_browsers_default_run_has_the_native_digest() {
        let mut doc = crate::state::preset_doc(lakeplan_models::presets::reference());
        doc["horizon_months"] = serde_json::json!(60);
        let (computed, _) = crate::state::figures(&doc, &crate::shelf::Shelf::default()).unwrap();
        let rows = rows_of(&default_spec(&computed.scenario).unwrap());
        let corr = Correlation {
            a: rows[0].path.clone(),
            b: rows[1].path.clone(),
            rank: String::new(),
        };
        let spec = spec_with(&rows, "1", "10000", "", &corr).unwrap();
        let digest = lakeplan_models::whatif::uncertainty::run(&computed.scenario, &spec)
            .unwrap()
            .digest();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../end2end/fixtures/monte-carlo-digest.txt");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, format!("{digest}\n")).unwrap();
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            golden.trim(),
            digest,
            "the seeded run changed; if that is meant, UPDATE_GOLDEN=1 cargo test -p \
             lakeplan-app --features ssr rewrites {}",
            path.display()
        );
    }

    #[test]
    fn the_form_reads_back_the_spec_it_was_given() {
        let s = reference();
        let spec = default_spec(&s).unwrap();
        let rows = rows_of(&spec);
        let back = spec_of(&rows, "1", "10000").unwrap();
        assert_eq!(back.inputs.len(), spec.inputs.len());
        assert_eq!(back.inputs[0].dist, spec.inputs[0].dist);
        let mut bad = rows.clone();
        bad[0].values[1] = "ten".into();
        let e = spec_of(&bad, "1", "10000").unwrap_err();
        assert!(e.starts_with("Daily change (most likely)"), "{e}");
        assert!(spec_of(&rows, "-1", "10").is_err());
        let corr = Correlation {
            a: "change.value".into(),
            b: "lake.target_pb".into(),
            rank: "0.6".into(),
        };
        let with = spec_with(&rows, "3", "500", "5, 97.5", &corr).unwrap();
        assert_eq!(with.percentiles, vec![5.0, 97.5]);
        assert_eq!(with.correlations[0].rank, 0.6);
        assert_eq!(with.correlations[0].b, "lake.target_pb");
        let s = reference();
        let r = lakeplan_models::whatif::uncertainty::run(&s, &with).unwrap();
        let html = uncertainty_html(&r, false);
        assert!(html.contains(r#"data-metric="peak_gbps.p97.5""#), "{html}");
        assert!(html.contains(r#"<table class="saturation">"#), "{html}");
        assert!(spec_with(&rows, "1", "10", "x", &corr).is_err());
    }

    #[test]
    fn a_run_shows_its_seed_charts_and_percentiles() {
        let s = reference();
        let mut spec = default_spec(&s).unwrap();
        spec.trials = 300;
        let r = lakeplan_models::whatif::uncertainty::run(&s, &spec).unwrap();
        let html = uncertainty_html(&r, false);
        assert!(html.contains(r#"data-seed="1""#), "{html}");
        assert!(html.contains(r#"data-chart="fan-peak_gbps""#), "{html}");
        assert!(html.contains(r#"data-metric="peak_gbps.p50""#), "{html}");
    }
}
