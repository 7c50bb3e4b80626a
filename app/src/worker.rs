//! The Monte Carlo off the page's thread: a dedicated worker (`public/mc-worker.js`) that
//! runs the page's own wasm module, so a 10 000-trial run never holds the thread that
//! answers the inputs (issue 16).
//!
//! The page posts the worker its compiled `WebAssembly.Module` and the URL of the JS glue
//! (from `<meta name="lakeplan-glue">`, written by the server beside the page's script),
//! then a request: the scenario with every default filled in, the rows of the stored book
//! and catalog it is priced with, and the ranges form as typed. The worker reads them with
//! the page's own code (`state::compute`, `whatif::spec_with`), so it runs the very
//! scenario the page shows, to the bit; its answer comes back as JSON, whose floats
//! serde_json reads back exactly (`float_roundtrip`). Progress comes as messages between
//! slices of trials; the workers live as long as the view, and a stop or a newer request
//! ends the run under way at its next pause between slices.
//!
//! A run is split between the workers, one per core but the page's ([`workers_for`]):
//! each runs its share of the trials (`MonteCarloRun::part`), the others pass theirs to
//! the first as bytes through the page, and the first merges them and answers. The trials
//! are independent (each draws from its own stream), so the answer has the same bits
//! however the run is split.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The started workers and the handlers that must live as long as they do. A run is split
/// between them ([`workers_for`]): each runs its share of the trials, the others pass
/// theirs to the first as bytes (transferred, not copied), and the first answers for the
/// whole run, to the same bits as one thread.
pub struct MonteCarloWorker {
    workers: Vec<Worker>,
    /// The run under way and the share each worker has done of its part.
    progress: Rc<RefCell<(u32, Vec<f64>)>>,
    _on_message: Vec<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Vec<Closure<dyn FnMut(ErrorEvent)>>,
}

/// Workers a run is split between at most: past a few, the trials each passes on and the
/// lead's merging cost more than the cores save.
pub const MAX_WORKERS: usize = 4;

/// The workers for a machine of `cores` logical cores (`navigator.hardwareConcurrency`):
/// one core is left to the page, so typing stays smooth while a run goes on. Measured on a
/// 2-core machine, two workers instead of one made an edit during a run slower (p90
/// 27-48 ms against 18-22) for a run no faster (145-204 ms against 145-232, within that
/// machine's noise).
pub fn workers_for(cores: f64) -> usize {
    if cores.is_finite() && cores >= 2.0 {
        ((cores as usize) - 1).min(MAX_WORKERS)
    } else {
        1
    }
}

impl Drop for MonteCarloWorker {
    fn drop(&mut self) {
        for worker in &self.workers {
            // Its handlers go with it: no message already on its way reaches them.
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
    }
}

/// What the workers report.
pub enum Report {
    /// The share of the run done, 0 to 1.
    Progress(f64),
    /// The answer's JSON (`Result<UncertaintyResult, String>`).
    Done(String),
    /// A worker could not run (its script or module failed to load, or it stopped).
    Failed(String),
}

impl MonteCarloWorker {
    /// Starts the workers and has them load the module; `on_report` hears from them, with
    /// the number of the run a report is of (none when a worker itself failed).
    pub fn start(
        on_report: impl Fn(Option<u32>, Report) + 'static,
    ) -> Result<MonteCarloWorker, String> {
        let glue = document()
            .query_selector(r#"meta[name="lakeplan-glue"]"#)
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .ok_or("the page does not name its script")?;
        let count = workers_for(window().navigator().hardware_concurrency());
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let workers = (0..count)
            .map(|_| Worker::new_with_options(crate::MONTE_CARLO_WORKER, &options))
            .collect::<Result<Vec<Worker>, JsValue>>()
            .map_err(|e| format!("the worker did not start: {}", describe(&e)))?;
        let on_report = Rc::new(on_report);
        let progress = Rc::new(RefCell::new((0_u32, vec![0.0; count])));
        let lead = workers[0].clone();
        let on_message = (0..count)
            .map(|i| {
                let on_report = on_report.clone();
                let progress = progress.clone();
                let lead = lead.clone();
                Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                    let data = ev.data();
                    let field =
                        |key: &str| js_sys::Reflect::get(&data, &JsValue::from_str(key)).ok();
                    let run = field("id").and_then(|v| v.as_f64()).map(|v| v as u32);
                    if let Some(done) = field("done").and_then(|v| v.as_f64()) {
                        let share = {
                            let mut p = progress.borrow_mut();
                            if Some(p.0) != run {
                                return;
                            }
                            p.1[i] = done;
                            p.1.iter().sum::<f64>() / p.1.len() as f64
                        };
                        on_report(run, Report::Progress(share));
                    } else if let Some(chunk) = field("chunk").filter(|c| !c.is_undefined()) {
                        // Another part's trials, for the lead to merge: passed on, not
                        // copied (a run ended meanwhile is dropped by the lead).
                        if let Some(id) = run {
                            {
                                let mut p = progress.borrow_mut();
                                if p.0 != id {
                                    return;
                                }
                                p.1[i] = 1.0;
                            }
                            if let Err(e) = pass_on(&lead, id, &chunk) {
                                on_report(None, Report::Failed(describe(&e)));
                            }
                        }
                    } else if let Some(result) = field("result").and_then(|v| v.as_string()) {
                        on_report(run, Report::Done(result));
                    } else if let Some(error) = field("error").and_then(|v| v.as_string()) {
                        on_report(run, Report::Failed(error));
                    }
                })
            })
            .collect::<Vec<_>>();
        let on_error = (0..count)
            .map(|_| {
                let on_report = on_report.clone();
                Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
                    ev.prevent_default();
                    on_report(None, Report::Failed(ev.message()));
                })
            })
            .collect::<Vec<_>>();
        for ((worker, on_message), on_error) in workers.iter().zip(&on_message).zip(&on_error) {
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let init = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&init, &"glue".into(), &glue.clone().into());
            let _ = js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module());
            worker
                .post_message(&init)
                .map_err(|e| format!("the worker did not start: {}", describe(&e)))?;
        }
        Ok(MonteCarloWorker {
            workers,
            progress,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Ends the run under way at its next pause (a run already done is not undone: its
    /// report, of a run the page has ended, is not shown).
    pub fn stop(&self) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"stop".into(), &true.into());
        for worker in &self.workers {
            // A worker that can no longer be posted to has failed, and says so.
            let _ = worker.post_message(&message);
        }
    }

    /// Sends run number `id`'s request (JSON) to every worker, each with its part: it ends
    /// the run under way at its next pause, and the workers tag their reports with the
    /// number.
    pub fn run(&self, id: u32, request: &str) -> Result<(), String> {
        let parts = self.workers.len();
        *self.progress.borrow_mut() = (id, vec![0.0; parts]);
        for (part, worker) in self.workers.iter().enumerate() {
            worker
                .post_message(&request_message(id, request, part, parts))
                .map_err(|e| format!("the run was not sent: {}", describe(&e)))?;
        }
        Ok(())
    }

    /// Sends each worker a run of its own whose answer no one reads, so that their code is
    /// optimised before the first real run (`whatif`'s warm-up): tagged [`WARM_UP_RUN`],
    /// a number no real run has, so its reports are not shown, and ended like any run by
    /// the next request or a stop.
    pub fn warm_up(&self, request: &str) -> Result<(), String> {
        let message = request_message(WARM_UP_RUN, request, 0, 1);
        for worker in &self.workers {
            worker
                .post_message(&message)
                .map_err(|e| format!("the warm-up was not sent: {}", describe(&e)))?;
        }
        Ok(())
    }
}

/// A worker's request message (`public/mc-worker.js`): run number `id`, the request's
/// JSON, and which of the run's parts this worker makes.
fn request_message(id: u32, request: &str, part: usize, parts: usize) -> js_sys::Object {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"id".into(), &id.into());
    let _ = js_sys::Reflect::set(&message, &"request".into(), &request.into());
    let _ = js_sys::Reflect::set(&message, &"part".into(), &(part as u32).into());
    let _ = js_sys::Reflect::set(&message, &"parts".into(), &(parts as u32).into());
    message
}

/// The run number of the warm-up: real runs count up from 1.
pub const WARM_UP_RUN: u32 = u32::MAX;

/// Passes a part's trials (a `Uint8Array`) to the lead, transferring its buffer.
fn pass_on(lead: &Worker, id: u32, chunk: &JsValue) -> Result<(), JsValue> {
    let message = js_sys::Object::new();
    js_sys::Reflect::set(&message, &"id".into(), &id.into())?;
    js_sys::Reflect::set(&message, &"chunk".into(), chunk)?;
    let transfer = js_sys::Array::new();
    if let Some(bytes) = chunk.dyn_ref::<js_sys::Uint8Array>() {
        transfer.push(&bytes.buffer());
    }
    lead.post_message_with_transfer(&message, &transfer)
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}

/// The worker's entry: runs part `part` of `parts` of one request (`public/mc-worker.js`
/// calls it; `crate::whatif::run_in_worker` says what each part does). Between slices of
/// trials it calls `go_on` with the share done, and goes on when the promise it returns
/// says `true`; the lead calls `gather` for the other parts' trials. The lead's answer as
/// JSON, another part's trials as a `Uint8Array`, or nothing (`undefined`) for a run ended
/// before it was done.
#[wasm_bindgen]
pub async fn monte_carlo_worker(
    request: String,
    part: u32,
    parts: u32,
    go_on: js_sys::Function,
    gather: js_sys::Function,
) -> JsValue {
    match crate::whatif::run_in_worker(request, part, parts, go_on, gather).await {
        Ok(run) => run.await.unwrap_or(JsValue::UNDEFINED),
        Err(_) => serde_json::json!({ "Err": crate::lazy::NotLoaded::MESSAGE })
            .to_string()
            .into(),
    }
}

/// Loads the what-ifs' module in the worker before the first request (a failure is
/// reported by the request).
#[wasm_bindgen]
pub async fn monte_carlo_worker_ready() {
    let _ = crate::whatif::preload_run_in_worker().await;
}
