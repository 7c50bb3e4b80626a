//! The cluster on cloud instances in the planner: the form's section (off until asked
//! for, since a scenario without it reports what it always did) and the placements it
//! answers with (`lakeplan_models::cloud`): the sentences, the charts and the table by
//! year. Every figure is a field of the report.

use lakeplan_models::cloud::Placement;
use lakeplan_models::display::{grouped, usd_whole};
use lakeplan_models::price_book::{Commitment, InstanceCatalog, InstanceType, PriceBook};
use leptos::prelude::*;
use serde_json::json;

use crate::fields::{self, FieldDef};
use crate::html::{self, Cell};
use crate::planner::FieldInput;
use crate::state::Planner;

const SECTION: &str = "cloud_cluster";
const INSTANCE: &str = "cloud_cluster.instance";

/// The instance a new section starts with: the lake's provider's first type the newest
/// built-in book prices on demand (any of its types when none is priced).
fn first_instance(provider: &str) -> Option<&'static InstanceType> {
    let mut of = InstanceCatalog::builtin().of(provider);
    let priced = PriceBook::latest().ok().and_then(|b| {
        of.clone()
            .find(|t| b.row(&t.price_id(Commitment::OnDemand)).is_ok())
    });
    priced.or_else(|| of.next())
}

/// "88 vCPU (44 cores) · 704 GiB · 38.65 TB NVMe · 62 Gbps": what the sizing reads.
fn specs(t: &InstanceType) -> String {
    format!(
        "{} vCPU ({} cores) · {} GiB · {} TB local NVMe ({}) · {} Gbps · catalog figures: {}",
        t.vcpu,
        t.physical_cores,
        grouped(t.memory_gib, 0),
        grouped(t.nvme_tb, 2),
        t.nvme_as_published,
        grouped(t.network_gbps, 0),
        t.confidence
    )
}

/// The form's section: a switch, then the instance picker (the lake's provider's types,
/// with the chosen one's figures) and the section's fields.
#[component]
pub fn CloudInputs() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let on = Memo::new(move |_| {
        planner
            .doc
            .with(|d| crate::doc::get(d, SECTION).is_some_and(|v| v.is_object()))
    });
    let provider = Memo::new(move |_| planner.text_of("source.provider"));
    let toggle = move |checked: bool| {
        if checked {
            let id =
                first_instance(&provider.get_untracked()).map_or(String::new(), |t| t.id.clone());
            planner.set(SECTION, json!({ "instance": id }));
        } else {
            planner.remove(SECTION);
        }
    };
    let instance = Memo::new(move |_| planner.text_of(INSTANCE));
    let error = Memo::new(move |_| planner.error_of(INSTANCE));
    let options = move || {
        let p = provider.get();
        InstanceCatalog::builtin()
            .of(&p)
            .map(|t| {
                let id = t.id.clone();
                let sel = id.clone();
                view! { <option value=id selected=move || instance.with(|i| *i == sel)>{t.type_name().to_string()}</option> }
            })
            .collect_view()
    };
    let chosen = move || {
        instance.with(|i| {
            InstanceCatalog::builtin()
                .get(i)
                .map(specs)
                .unwrap_or_default()
        })
    };
    let (basic, advanced): (Vec<FieldDef>, Vec<FieldDef>) =
        fields::CLOUD.fields.iter().partition(|f| !f.advanced);
    let fields = move || {
        on.get().then(|| {
            let basic = basic.clone();
            let advanced = advanced.clone();
            view! {
                <div class="field" class:invalid=move || error.with(Option::is_some)>
                    <label for="f-cloud_cluster-instance">"Instance type"</label>
                    <div class="input-with-unit">
                        <select id="f-cloud_cluster-instance" name=INSTANCE
                            aria-describedby="f-cloud_cluster-instance-help f-cloud_cluster-instance-error"
                            aria-invalid=move || error.with(Option::is_some).to_string()
                            prop:value=move || instance.get()
                            on:change=move |ev| planner.set(INSTANCE, json!(event_target_value(&ev)))>
                            {options}
                        </select>
                        <span class="unit none"></span>
                    </div>
                    <p class="help" id="f-cloud_cluster-instance-help" data-metric="cloud_instance_specs">{chosen}</p>
                    <p class="error" id="f-cloud_cluster-instance-error" role="alert" data-error-for=INSTANCE>
                        {move || error.get().map(|m| format!("{INSTANCE} {m}"))}
                    </p>
                </div>
                {basic.into_iter().map(|def| view! { <FieldInput def=def/> }).collect_view()}
                <details class="advanced">
                    <summary>"More settings"</summary>
                    {advanced.into_iter().map(|def| view! { <FieldInput def=def/> }).collect_view()}
                </details>
            }
        })
    };
    view! {
        <section class="card group" aria-labelledby="group-cloud">
            <h2 id="group-cloud">{fields::CLOUD.title}</h2>
            <label class="switch">
                <input type="checkbox" name="cloud_cluster" prop:checked=move || on.get()
                    on:change=move |ev| toggle(event_target_checked(&ev))/>
                " Compare with the same software on cloud instances and with the object store"
            </label>
            {fields}
        </section>
    }
}

/// Where the lake should live: the sentences, both charts and the placements by year.
#[component]
pub fn CloudPlacements(c: std::sync::Arc<crate::state::Figures>) -> impl IntoView {
    let r = &c.report;
    let cloud = r.summary.cloud.as_ref()?;
    let rate = cloud.alignment_rate_usd_per_tb_month;
    let rate_raw = rate.map_or_else(|| "null".to_string(), |v| v.to_string());
    // The first sentence is the alignment rate's: it carries the figure for scripts.
    let sentences = cloud
        .sentences()
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let metric = (i == 0).then_some("alignment_rate_usd_per_tb_month");
            let raw = (i == 0).then(|| rate_raw.clone());
            view! { <p data-metric=metric data-value=raw>{s}</p> }
        })
        .collect_view();
    let head: Vec<String> = std::iter::once("Year".to_string())
        .chain(Placement::ALL.iter().map(|p| p.label().to_string()))
        .chain(std::iter::once("Cheapest".to_string()))
        .collect();
    let rows: Vec<Vec<Cell>> = r
        .years
        .iter()
        .zip(&cloud.cheapest_by_year)
        .filter_map(|(y, cheapest)| {
            let p = y.placements?;
            let per = y.placements_usd_per_usable_tb_month;
            let mut row = vec![Cell::text(y.year.to_string())];
            for placement in Placement::ALL {
                let v = p.get(placement);
                row.push(Cell::Figure {
                    text: usd_whole(v),
                    metric: format!("placement_{}", placement.as_str()),
                    raw: v.to_string(),
                    note: per.map(|per| format!("${}/TB-mo", grouped(per.get(placement), 2))),
                });
            }
            row.push(Cell::text(cheapest.placement.label()));
            Some(row)
        })
        .collect();
    let table = html::table("placements", &head, &rows);
    let dark = use_context::<crate::state::DarkTheme>().map(|d| d.0);
    let report = c.clone();
    let charts = move || {
        let style = lakeplan_charts::ChartStyle {
            dark: dark.map(|d| d.get()).unwrap_or(false),
            ..lakeplan_charts::ChartStyle::default()
        };
        lakeplan_charts::CLOUD_CHARTS
            .iter()
            .map(|chart| {
                let svg = (chart.draw)(&report.report, &style);
                view! { <figure class="chart" data-chart=chart.name inner_html=svg></figure> }
            })
            .collect_view()
    };
    Some(view! {
        <section class="card placements" aria-labelledby="placements-title">
            <h2 id="placements-title">"Where the lake lives: object store, on-prem or cloud instances"</h2>
            <p class="muted">{cloud.protection.clone()}</p>
            {sentences}
            {charts}
            <div inner_html=table></div>
        </section>
    })
}
