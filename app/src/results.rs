//! The answers: a verdict in plain words, key figures, the claims check, chain vs fan-out,
//! a table by year and the assumptions behind the prices. Everything is a field of the
//! report; this module only chooses words and rounding.

use lakeplan_models::display::{days, grouped, significant, usd_short, usd_whole};
use lakeplan_models::topology::Topology;
use lakeplan_models::verdict::verdict;
use leptos::prelude::*;

use crate::show;
use crate::state::{DisplayUnits, Figures, Planner};

/// The figures a result view draws.
type Fig = std::sync::Arc<Figures>;

/// The answers' column. The server renders the live view (below) inside a wrapper the
/// browser adopts as it is until the page needs the model (`crate::model`), so
/// hydration neither needs the model nor draws anything; once the model is in, the live
/// view replaces it and follows every edit.
#[component]
pub fn Results() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let stale = Memo::new(move |_| planner.outcome.with(|o| o.is_err()));
    let error_count = Memo::new(move |_| {
        planner
            .outcome
            .with(|o| o.as_ref().err().map_or(0, Vec::len))
    });
    // In the browser the live view replaces the server's in a task of its own, after the
    // one in which the model arrived and computed: two shorter tasks rather than one long
    // one that would hold the page (Lighthouse's blocking time).
    #[cfg(feature = "hydrate")]
    let model = {
        let live = RwSignal::new(None);
        Effect::new(move |_| {
            if let Some(m) = planner.model.get() {
                set_timeout(
                    move || {
                        live.set(Some(m));
                        // Live once the live view is drawn, in the task after.
                        set_timeout(crate::mark_live, std::time::Duration::ZERO);
                    },
                    std::time::Duration::ZERO,
                );
            }
        });
        live
    };
    #[cfg(not(feature = "hydrate"))]
    let model = planner.model;
    let body = move || match model.get() {
        // In the browser, once the model is in.
        #[cfg(feature = "hydrate")]
        Some(m) => leptos::either::Either::Left((m.results)()),
        // On the server, the live view's HTML; in the browser, the same adopted (hydrating
        // an `inner_html` leaves the element's content as it is).
        #[cfg(not(feature = "hydrate"))]
        Some(m) => leptos::either::Either::<AnyView, _>::Right(adopted((m.results)().to_html())),
        None => leptos::either::Either::<AnyView, _>::Right(adopted(String::new())),
    };
    view! {
        <div class="results" class:stale=stale aria-live="polite">
            {move || stale.get().then(|| view! {
                <p class="stale-note" role="status">
                    {move || format!(
                        "Showing the last valid figures: {} input{} to correct (highlighted).",
                        error_count.get(),
                        if error_count.get() == 1 { "" } else { "s" }
                    )}
                </p>
            })}
            {body}
        </div>
    }
}

/// The server's results as HTML, in a wrapper that takes no room in the layout.
fn adopted(html: String) -> impl IntoView {
    view! { <div class="served" inner_html=html></div> }
}

/// The results as they follow the planner: the model's part of the page (`crate::model`).
pub fn live() -> AnyView {
    let planner = expect_context::<Planner>();
    view! {
        {move || {
            planner
                .shown
                .get()
                .and_then(|c| c.0.figures.clone())
                .map(|c| {
                    let units = planner.units.get();
                    view! {
                        <VerdictBanner c=c.clone()/>
                        <KeyFigures c=c.clone() units=units/>
                        <Charts c=c.clone()/>
                        <ClaimsCheck c=c.clone()/>
                        <TopologyComparison c=c.clone()/>
                        <YearTable c=c.clone()/>
                        <crate::cloud::CloudPlacements c=c/>
                    }
                })
        }}
        <Assumptions/>
    }
    .into_any()
}

/// The verdict, worded by `lakeplan_models::verdict` so the PDF says the same sentences.
#[component]
fn VerdictBanner(c: Fig) -> impl IntoView {
    let r = &c.report;
    let s = &r.summary;
    let v = verdict(r);
    let feasible = v.feasible;
    view! {
        <section class="card verdict" class:ok=feasible class:bad=!feasible aria-label="Verdict">
            <p class="verdict-headline" data-metric="verdict">{v.headline}</p>
            <p data-metric="seed_days" data-value=s.seed_days.map(|d| d.to_string()).unwrap_or_else(|| "null".into())>
                {v.seeding}
            </p>
            {v.details.into_iter().map(|d| view! { <p class="verdict-detail">{d}</p> }).collect_view()}
        </section>
    }
}

/// One key figure: rounded for people, raw in `data-value` for scripts.
#[component]
fn Card(
    #[prop(into)] label: String,
    metric: &'static str,
    value: String,
    raw: String,
    #[prop(optional)] unit: &'static str,
    #[prop(optional, into)] note: String,
    #[prop(optional, into)] site: Option<String>,
) -> impl IntoView {
    view! {
        <div class="figure">
            <div class="figure-label">{label}</div>
            <div class="figure-value">
                <span class="value" data-metric=metric data-value=raw data-site=site>{value}</span>
                " "
                <span class="unit">{unit}</span>
            </div>
            {(!note.is_empty()).then(|| view! { <div class="figure-note">{note}</div> })}
        </div>
    }
}

#[component]
fn KeyFigures(c: Fig, units: DisplayUnits) -> impl IntoView {
    let r = &c.report;
    let first = r.months.first()?;
    let last = r.months.last().unwrap_or(first);
    let (sus, rate_unit) = show::rate(first.sustained_gbps, units);
    let (peak, _) = show::rate(first.peak_gbps, units);
    let (sus_end, _) = show::rate(last.sustained_gbps, units);
    let (lake0, cap_unit) = show::capacity(first.lake_pb, units);
    let (lake_end, _) = show::capacity(last.lake_pb, units);
    let (change0, change_unit) = show::per_day(first.daily_change_pb, units);
    let cloud = first.paths.first();
    let ports_needed = r.max_ports_needed(0);
    let streams = cloud.map_or(0, |p| p.streams_needed);
    let total_egress = r.own_topology().map_or(0.0, |t| t.egress_usd);
    let sites = first
        .sites
        .iter()
        .zip(&last.sites)
        .map(|(a, b)| {
            let name = b.name.to_string();
            view! {
                <Card label=format!("Enclosures, {name}") metric="enclosures" value=format!("{} → {}", grouped(a.enclosures as f64, 0), grouped(b.enclosures as f64, 0))
                    raw=b.enclosures.to_string() site=name.clone()
                    note=format!("{} nodes, {} racks by {}", grouped(b.nodes as f64, 0), b.racks, last.month)/>
            }
        })
        .collect_view();
    Some(view! {
        <section class="card figures" aria-label="Key figures">
            <div class="figure headline">
                <div class="figure-label">"Sustained replication rate"</div>
                <div class="figure-value">
                    <span class="value" data-metric="sustained_gbps" data-value=first.sustained_gbps.to_string()>{sus}</span>
                    " "
                    <span class="unit">{rate_unit}</span>
                </div>
                <div class="figure-note">
                    {format!("{change0} {change_unit} changes in {}; {sus_end} {rate_unit} by {}", first.month, last.month)}
                </div>
            </div>
            <div class="figure-grid">
                <Card label="Busy-day peak" metric="peak_gbps" value=peak raw=first.peak_gbps.to_string() unit=rate_unit/>
                <Card label="Daily change" metric="daily_change_pb" value=change0.clone() raw=first.daily_change_pb.to_string() unit=change_unit/>
                <Card label="Lake" metric="lake_pb" value=format!("{lake0} → {lake_end}") raw=last.lake_pb.to_string() unit=cap_unit
                    note=r.summary.implied_cagr.map(|g| format!("{} % a year", grouped(g * 100.0, 2))).unwrap_or_default()/>
                <Card label="Cloud ports needed" metric="ports_needed" value=grouped(ports_needed as f64, 0) raw=ports_needed.to_string() unit="ports"
                    note=cloud.map(|p| format!("{} planned, {} % of the wire used at the start", p.ports, grouped(p.utilization * 100.0, 1))).unwrap_or_default()/>
                <Card label="TCP streams needed" metric="streams_needed" value=grouped(streams as f64, 0) raw=streams.to_string() unit="streams"
                    note=cloud.map(|p| format!("{} Gbps per stream", grouped(p.per_stream_gbps, 3))).unwrap_or_default()/>
                <Card label="Cloud egress, whole horizon" metric="egress_usd" value=usd_short(total_egress) raw=total_egress.to_string()
                    note=format!("{} in {}", usd_short(first.egress_usd), first.month)/>
                <Card label="Total cost, whole horizon" metric="total_cost_usd" value=usd_short(r.summary.total_cost_usd) raw=r.summary.total_cost_usd.to_string()
                    note=r.summary.usd_per_effective_tb_month.map(|v| format!("${} per effective TB-month", grouped(v, 2))).unwrap_or_default()/>
                {sites}
            </div>
        </section>
    })
}

/// The report's charts, drawn by `lakeplan-charts` as SVG in the page (the PDF embeds the
/// same drawings). The theme is read from the page so the colours match it.
#[component]
fn Charts(c: Fig) -> impl IntoView {
    let dark = use_context::<crate::state::DarkTheme>().map(|d| d.0);
    let planner = expect_context::<Planner>();
    let drawings = move || {
        let dark = dark.map(|d| d.get()).unwrap_or(false);
        let style = lakeplan_charts::ChartStyle {
            dark,
            iec: planner.units.get().iec,
            ..lakeplan_charts::ChartStyle::default()
        };
        lakeplan_charts::CHARTS
            .iter()
            .map(|chart| {
                let svg = (chart.draw)(&c.report, &style);
                view! { <figure class="chart" data-chart=chart.name inner_html=svg></figure> }
            })
            .collect_view()
    };
    view! {
        <section class="card charts" aria-label="Charts">
            {drawings}
        </section>
    }
}

#[component]
fn ClaimsCheck(c: Fig) -> impl IntoView {
    let r = &c.report;
    if r.claims.is_empty() {
        return None;
    }
    let rows = r
        .claims
        .iter()
        .map(|cl| {
            let verdict = if cl.agrees_with_plan {
                "agrees".to_string()
            } else if cl.ratio_to_plan < 1.0 {
                format!("{}× lower", significant(cl.factor, 3))
            } else {
                format!("{}× higher", significant(cl.factor, 3))
            };
            view! {
                <tr>
                    <th scope="row">{cl.label.clone()}</th>
                    <td class="num">{grouped(cl.percent_per_day, 2)}</td>
                    <td class="num">{grouped(cl.tbps, 3)}</td>
                    <td class="num">{grouped(cl.pb_per_month, 1)}</td>
                    <td data-metric="claim_factor" data-value=cl.factor.to_string()>{verdict}</td>
                </tr>
            }
        })
        .collect_view();
    // The sentence a sales engineer says out loud: the plan's change in all three forms,
    // then how far each other statement is from it.
    let sentence = r.claims.first().map(|plan| {
        let mut s = format!(
            "{} %/day = {} Tbps = {} PB/month at {} PB.",
            significant(plan.percent_per_day, 3),
            significant(plan.tbps, 3),
            significant(plan.pb_per_month, 4),
            significant(plan.lake_pb, 3)
        );
        for cl in r.claims.iter().skip(1) {
            let stated = match cl.basis {
                lakeplan_models::claims::ClaimBasis::PercentPerDay => {
                    format!("{} %/day", significant(cl.value, 3))
                }
                lakeplan_models::claims::ClaimBasis::PbPerDay => {
                    format!("{} PB/day", significant(cl.value, 3))
                }
                lakeplan_models::claims::ClaimBasis::PbPerMonth => {
                    format!("{} PB/month", significant(cl.value, 3))
                }
                lakeplan_models::claims::ClaimBasis::Tbps => {
                    format!("{} Tbps", significant(cl.value, 3))
                }
            };
            let how = if cl.agrees_with_plan {
                "agrees".to_string()
            } else if cl.ratio_to_plan < 1.0 {
                format!("is {}× lower", significant(cl.factor, 3))
            } else {
                format!("is {}× higher", significant(cl.factor, 3))
            };
            s.push_str(&format!(" The {stated} claim ({}) {how}.", cl.label));
        }
        s
    });
    Some(view! {
        <section class="card claims" aria-labelledby="claims-title">
            <h2 id="claims-title">"Claims check"</h2>
            <p class="claims-sentence" data-metric="claims_sentence">{sentence}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Claims table"><table>
                <thead><tr><th>"Statement"</th><th class="num">"%/day"</th><th class="num">"Tbps"</th><th class="num">"PB/month"</th><th>"vs the plan"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    })
}

#[component]
fn TopologyComparison(c: Fig) -> impl IntoView {
    let r = &c.report;
    let cols = r
        .topologies
        .iter()
        .map(|t| {
            let name = match t.topology {
                Topology::Chain => "Chain",
                Topology::FanOut => "Fan-out",
            };
            let current = t.topology == r.topology;
            view! {
                <tr class:current=current>
                    <th scope="row">{name}{current.then_some(" (this plan)")}</th>
                    <td class="num">{significant(t.copies_leaving_cloud, 3)}</td>
                    <td class="num" data-metric="topology_egress_usd" data-topology=t.topology.name() data-value=t.egress_usd.to_string()>{usd_short(t.egress_usd)}</td>
                    <td class="num">{grouped(t.max_cloud_ports_needed as f64, 0)}</td>
                    <td class="num">{t.seed_days.map(days).unwrap_or_else(|| "never".into())}</td>
                    <td class="num">{usd_short(t.total_cost_usd)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card topologies" aria-labelledby="topo-title">
            <h2 id="topo-title">"Chain vs fan-out"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Chain vs fan-out table"><table>
                <thead><tr><th>"Topology"</th><th class="num">"Copies leaving the cloud"</th><th class="num">"Egress"</th>
                    <th class="num">"Cloud ports needed"</th><th class="num">"Seeding (days)"</th><th class="num">"Total cost"</th></tr></thead>
                <tbody>{cols}</tbody>
            </table></div>
        </section>
    }
}

#[component]
fn YearTable(c: Fig) -> impl IntoView {
    let planner = expect_context::<Planner>();
    let r = &c.report;
    let book = planner.books.with_untracked(|s| s.describe(&r.price_book));
    let rows = r
        .years
        .iter()
        .map(|y| {
            let k = &y.cost_usd;
            view! {
                <tr>
                    <th scope="row">{y.year}{(y.months < 12).then(|| format!(" ({} mo)", y.months))}</th>
                    <td class="num">{usd_whole(k.egress + k.requests)}</td>
                    <td class="num">{usd_whole(k.ports)}</td>
                    <td class="num">{usd_whole(k.licence)}</td>
                    <td class="num">{usd_whole(k.hardware + k.support)}</td>
                    <td class="num">{usd_whole(k.power + k.space)}</td>
                    <td class="num" data-metric="year_total_usd" data-value=k.total.to_string()>{usd_whole(k.total)}</td>
                    <td class="num">{usd_whole(y.cumulative_usd)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card years" aria-labelledby="years-title">
            <h2 id="years-title">"Cost by year (USD)"</h2>
            <p class="muted">"Priced with " <span data-metric="price_book_used">{book}</span></p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Cost by year table">
                <table>
                    <thead><tr><th>"Year"</th><th class="num">"Egress"</th><th class="num">"Ports"</th><th class="num">"Licence"</th>
                        <th class="num">"Hardware + support"</th><th class="num">"Power + space"</th><th class="num">"Total"</th><th class="num">"Cumulative"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The price-book rows behind the figures, with an input to override each. Its own view,
/// redrawn only when the rows change (another book, an override, another preset): an edit
/// that moves only the figures leaves the table, its inputs and what is typed in them alone.
#[component]
fn Assumptions() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let used = Memo::new_with_compare(
        move |_| {
            planner
                .shown
                .with(|c| c.as_ref().and_then(|c| c.0.figures.clone()))
        },
        rows_changed,
    );
    // The rows are drawn when the section is opened (`crate::disclosure`).
    let open = RwSignal::new(false);
    move || {
        used.get().map(|c| {
            let r = &c.report;
            let summary = format!(
                "Assumptions: price book {} ({} rows, {} placeholders)",
                r.price_book,
                r.assumptions.rows_used.len(),
                r.assumptions.needs_override.len()
            );
            view! {
                <crate::disclosure::Disclosure class="card assumptions" open=open
                    summary=view! { <h2>{summary}</h2> }.into_any()>
                    {assumptions_table(planner, &c.report.assumptions)}
                </crate::disclosure::Disclosure>
            }
        })
    }
}

/// Whether another computation prices with other rows than the last one shown.
fn rows_changed(a: Option<&Option<Fig>>, b: Option<&Option<Fig>>) -> bool {
    fn rows(s: Option<&Option<Fig>>) -> Option<(&String, &lakeplan_models::priced::Assumptions)> {
        s.and_then(Option::as_ref)
            .map(|c| (&c.report.price_book, &c.report.assumptions))
    }
    rows(a) != rows(b)
}

fn assumptions_table(planner: Planner, a: &lakeplan_models::priced::Assumptions) -> impl IntoView {
    let rows = a
        .rows_used
        .iter()
        .map(|row| {
            let flagged = row.needs_override();
            view! {
                <tr class:placeholder=flagged>
                    <td><code>{row.id.clone()}</code><div class="muted">{row.item.clone()}</div></td>
                    <td>{row.used_for.clone()}</td>
                    <td class="num">
                        <OverrideInput planner=planner id=row.id.clone() book_value=row.overridden_from.unwrap_or(row.value)/>
                        " "<span class="muted">{row.unit.to_string()}</span>
                    </td>
                    <td>{row.source.clone()}</td>
                    <td>{row.read_on.to_string()}</td>
                    <td>{row.confidence.to_string()}{flagged.then_some(" ⚠ replace with a quote")}</td>
                </tr>
            }
        })
        .collect_view();
    let unpriced = a
        .unpriced
        .iter()
        .map(|u| view! { <li><code>{u.field.clone()}</code>": "{u.reason.clone()}</li> })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Price-book rows used">
            <table>
                <thead><tr><th>"Row"</th><th>"Prices"</th><th class="num">"Value (type to override)"</th><th>"Source"</th><th>"Read on"</th><th>"Confidence"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <ul class="unpriced">{unpriced}</ul>
    }
}

/// A price-book value the scenario may override (`pricing.overrides.<row id>`), e.g. a
/// negotiated egress rate. Empty means the book's value, shown as the placeholder.
#[component]
fn OverrideInput(planner: Planner, id: String, book_value: f64) -> impl IntoView {
    let path = format!("pricing.overrides.{id}");
    let text = planner
        .doc
        .with_untracked(|d| crate::doc::get(d, &path).map(crate::state::value_text))
        .unwrap_or_default();
    let error_path = path.clone();
    let edit_path = path.clone();
    view! {
        <input class="override" type="text" inputmode="decimal" name=edit_path.clone()
            aria-label=format!("Override {id}") placeholder=significant(book_value, 4) value=text
            on:change=move |ev| {
                let t = event_target_value(&ev);
                if t.trim().is_empty() {
                    planner.doc.update(|d| {
                        if let Some(map) = d.pointer_mut("/pricing/overrides").and_then(|m| m.as_object_mut()) {
                            map.remove(&id);
                        }
                    });
                } else {
                    planner.edit(&edit_path, crate::fields::Kind::Number, t);
                }
            }/>
        <span class="error" data-error-for=path role="alert">
            {move || planner.error_of(&error_path).map(|m| format!("{error_path} {m}"))}
        </span>
    }
}
