//! Running a sweep's rows: every combination of a [`SweepPlan`] on the machine's cores,
//! for `lakeplan sweep` and `POST /api/sweep` alike. The rows themselves are the model's
//! (`lakeplan_models::whatif::sweep`); this only spreads them over threads, which the
//! model crate (also built for the browser) does not do.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use lakeplan_api::sweep::SweepAnswer;
use lakeplan_models::scenario::ScenarioErrors;
use lakeplan_models::whatif::sweep::{SweepPlan, SweepRow};

/// Runs the rows of `plan` on `threads` threads, in combination order; `on_row` is called
/// after each row (for a progress bar). Stops at the first combination that is invalid
/// as a whole and returns its index and errors.
pub fn compute_rows(
    plan: &SweepPlan,
    threads: usize,
    on_row: &(dyn Fn() + Sync),
) -> Result<Vec<SweepRow>, (u64, ScenarioErrors)> {
    const BLOCK: u64 = 16;
    let next = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let failed: Mutex<Option<(u64, ScenarioErrors)>> = Mutex::new(None);
    let len = plan.len();
    let mut parts: Vec<Vec<SweepRow>> = Vec::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut rows = Vec::new();
                    loop {
                        let start = next.fetch_add(BLOCK, Ordering::Relaxed);
                        if start >= len || stop.load(Ordering::Relaxed) {
                            break;
                        }
                        for i in start..(start + BLOCK).min(len) {
                            match plan.row(i) {
                                Ok(row) => rows.push(row),
                                Err(e) => {
                                    stop.store(true, Ordering::Relaxed);
                                    let mut f = failed.lock().unwrap_or_else(|p| p.into_inner());
                                    // The earliest failing combination is the one to report.
                                    if f.as_ref().is_none_or(|(j, _)| i < *j) {
                                        *f = Some((i, e));
                                    }
                                    return rows;
                                }
                            }
                            on_row();
                        }
                    }
                    rows
                })
            })
            .collect();
        for w in workers {
            // A worker that panicked lost its rows; the count check below reports it.
            if let Ok(rows) = w.join() {
                parts.push(rows);
            }
        }
    });
    if let Some(f) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(f);
    }
    let mut rows: Vec<SweepRow> = parts.into_iter().flatten().collect();
    rows.sort_by_key(|r| r.index);
    if rows.len() as u64 != len {
        return Err((
            rows.len() as u64,
            ScenarioErrors(vec![lakeplan_models::field::FieldError::new(
                "sweep",
                "a row could not be computed (an internal error)",
            )]),
        ));
    }
    Ok(rows)
}

/// Combination `i` as a person reads it: `change.value=5, links.cloud.ports=40`.
pub fn combination(plan: &SweepPlan, i: u64) -> String {
    let values: Vec<String> = plan
        .pairs(i)
        .iter()
        .map(|(p, v)| format!("{p}={v}"))
        .collect();
    values.join(", ")
}

/// The JSON form of the rows: the varied paths and one object per row.
pub fn answer(plan: &SweepPlan, rows: Vec<SweepRow>) -> SweepAnswer {
    SweepAnswer {
        paths: plan.paths().to_vec(),
        combinations: plan.len(),
        rows,
    }
}
