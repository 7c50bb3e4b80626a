//! The planner page. This first version asks what a sales engineer asks first: how big is
//! the lake, how much of it changes a day, and what bandwidth does replicating that take.

use lakeplan_models::change::{daily_change, sustained_rate, ChangeBasis};
use lakeplan_models::display::grouped;
use lakeplan_models::field::{self, FieldError};
use lakeplan_models::units::Bytes;
use leptos::prelude::*;

/// The reference scenario's opening figures (spec/reference-scenario.json): a 450 PB lake
/// changing 10 % a day. A newcomer sees a meaningful answer before typing anything.
const DEFAULT_LAKE_PB: &str = "450";
const DEFAULT_CHANGE_PCT: &str = "10";

/// The figures this page shows, all computed by `lakeplan-models`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Figures {
    daily_change_pb: f64,
    monthly_change_pb: f64,
    sustained_gbps: f64,
    sustained_tbps: f64,
}

/// Parses the form and computes; on bad input returns every field's error at once so each
/// field shows its own message.
fn compute(lake_text: &str, change_text: &str) -> Result<Figures, Vec<FieldError>> {
    let basis = ChangeBasis::PercentPerDay;
    let lake = field::parse_number("lake.initial_pb", lake_text)
        .and_then(|v| field::positive("lake.initial_pb", v));
    let change =
        field::parse_number("change.value", change_text).and_then(|v| basis.check_value(v));
    match (lake, change) {
        (Ok(lake_pb), Ok(pct)) => {
            let daily = daily_change(Bytes::from_pb(lake_pb), basis, pct);
            let rate = sustained_rate(daily);
            Ok(Figures {
                daily_change_pb: daily.pb_per_day(),
                monthly_change_pb: daily.pb_per_mean_month(),
                sustained_gbps: rate.gbps(),
                sustained_tbps: rate.tbps(),
            })
        }
        (lake, change) => Err([lake.err(), change.err()].into_iter().flatten().collect()),
    }
}

#[component]
pub fn PlannerPage() -> impl IntoView {
    let lake_text = RwSignal::new(DEFAULT_LAKE_PB.to_string());
    let change_text = RwSignal::new(DEFAULT_CHANGE_PCT.to_string());

    let result = Memo::new(move |_| compute(&lake_text.read(), &change_text.read()));
    // The last good figures stay on screen (marked stale) while an input is invalid, so a
    // half-typed number never blanks the answer in front of a customer.
    let shown = Memo::new(move |prev: Option<&Option<Figures>>| match result.get() {
        Ok(f) => Some(f),
        Err(_) => prev.cloned().flatten(),
    });
    let stale = Memo::new(move |_| result.with(|r| r.is_err()));
    let error_for = move |path: &'static str| {
        Signal::derive(move || {
            result.with(|r| match r {
                Err(errors) => errors
                    .iter()
                    .find(|e| e.path == path)
                    .map(|e| e.message.clone()),
                Ok(_) => None,
            })
        })
    };

    view! {
        <div class="planner">
            <section class="card inputs" aria-labelledby="inputs-title">
                <h2 id="inputs-title">"Lake and change"</h2>
                <NumberField
                    name="lake.initial_pb"
                    label="Initial lake size"
                    unit="PB"
                    help="Logical data in the lake today (decimal: 1 PB = 10¹⁵ bytes)."
                    value=lake_text
                    error=error_for("lake.initial_pb")
                />
                <NumberField
                    name="change.value"
                    label="Daily change"
                    unit=ChangeBasis::PercentPerDay.unit()
                    help="Share of the lake written or rewritten per day, to be replicated."
                    value=change_text
                    error=error_for("change.value")
                />
            </section>
            <section
                class="card results"
                class:stale=stale
                aria-labelledby="results-title"
                aria-live="polite"
            >
                <h2 id="results-title">"Replication bandwidth"</h2>
                <Show when=move || stale.get()>
                    <p class="stale-note" role="status">
                        "Showing the last valid figures: correct the highlighted input."
                    </p>
                </Show>
                <Figure
                    label="Sustained replication rate"
                    metric="sustained_gbps"
                    unit="Gbps"
                    decimals=3
                    value=Signal::derive(move || shown.get().map(|f| f.sustained_gbps))
                    note=Signal::derive(move || {
                        shown.get().map(|f| format!("{} Tbps of payload, around the clock", grouped(f.sustained_tbps, 3)))
                    })
                    headline=true
                />
                <div class="figure-row">
                    <Figure
                        label="Daily change"
                        metric="daily_change_pb"
                        unit="PB/day"
                        decimals=2
                        value=Signal::derive(move || shown.get().map(|f| f.daily_change_pb))
                    />
                    <Figure
                        label="Monthly change (30.4375-day month)"
                        metric="monthly_change_pb"
                        unit="PB/month"
                        decimals=1
                        value=Signal::derive(move || shown.get().map(|f| f.monthly_change_pb))
                    />
                </div>
                <p class="formula">
                    "R = D × 8 / 86 400 s: the payload rate that replicates one day's change within the day."
                </p>
            </section>
        </div>
    }
}

/// A labelled numeric input that keeps its raw text (so "4." mid-typing is not rewritten)
/// and shows its field error beside it.
#[component]
fn NumberField(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{}", name.replace('.', "-"));
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let described_by = format!("{help_id} {error_id}");
    view! {
        <div class="field" class:invalid=move || error.read().is_some()>
            <label for=id.clone()>{label}</label>
            <div class="input-with-unit">
                <input
                    id=id
                    name=name
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby=described_by
                    aria-invalid=move || if error.read().is_some() { "true" } else { "false" }
                    // The attribute carries the value into the server-rendered HTML; the
                    // property keeps the live input in step after hydration.
                    value=value.get_untracked()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <span class="unit">{unit}</span>
            </div>
            <p class="help" id=help_id>{help}</p>
            <p class="error" id=error_id role="alert" data-error-for=name>
                {move || error.get().map(|m| format!("{name} {m}"))}
            </p>
        </div>
    }
}

/// One figure: the rounded value for people, the raw value in `data-value` for scripts.
#[component]
fn Figure(
    label: &'static str,
    metric: &'static str,
    unit: &'static str,
    decimals: usize,
    #[prop(into)] value: Signal<Option<f64>>,
    #[prop(optional, into)] note: Option<Signal<Option<String>>>,
    #[prop(optional)] headline: bool,
) -> impl IntoView {
    view! {
        <div class="figure" class:headline=headline>
            <div class="figure-label">{label}</div>
            <div class="figure-value">
                <span
                    class="value"
                    data-metric=metric
                    data-value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
                >
                    {move || value.get().map(|v| grouped(v, decimals)).unwrap_or_else(|| "–".into())}
                </span>
                " "
                <span class="unit">{unit}</span>
            </div>
            {note.map(|n| view! { <div class="figure-note">{move || n.get()}</div> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_inputs_give_the_spec_figures() {
        let f = compute("450", "10").expect("valid");
        assert!((f.sustained_gbps - 4166.6667).abs() < 1e-3);
        assert!((f.daily_change_pb - 45.0).abs() < 1e-9);
        assert!((f.monthly_change_pb - 1369.6875).abs() < 1e-9);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = compute("-5", "abc").expect_err("invalid");
        let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["lake.initial_pb", "change.value"]);
        assert_eq!(errors[0].to_string(), "lake.initial_pb must be > 0, got -5");
    }
}
