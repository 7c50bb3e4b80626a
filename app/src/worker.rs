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
//! slices of trials; the worker lives as long as the view, and a stop or a newer request
//! ends the run under way at its next pause between slices.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

/// A started worker and the handlers that must live as long as it does.
pub struct MonteCarloWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Drop for MonteCarloWorker {
    fn drop(&mut self) {
        // Its handlers go with it: no message already on its way reaches them.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// What the worker reports.
pub enum Report {
    /// The share of the run done, 0 to 1.
    Progress(f64),
    /// The answer's JSON (`Result<UncertaintyResult, String>`).
    Done(String),
    /// The worker could not run (its script or module failed to load, or it stopped).
    Failed(String),
}

impl MonteCarloWorker {
    /// Starts a worker and has it load the module; `on_report` hears from it, with the
    /// number of the run a report is of (none when the worker itself failed).
    pub fn start(
        on_report: impl Fn(Option<u32>, Report) + 'static,
    ) -> Result<MonteCarloWorker, String> {
        let glue = document()
            .query_selector(r#"meta[name="lakeplan-glue"]"#)
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .ok_or("the page does not name its script")?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(crate::MONTE_CARLO_WORKER, &options)
            .map_err(|e| format!("the worker did not start: {}", describe(&e)))?;
        let on_report = std::rc::Rc::new(on_report);
        let on_message = {
            let on_report = on_report.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                let data = ev.data();
                let field = |key: &str| js_sys::Reflect::get(&data, &JsValue::from_str(key)).ok();
                let run = field("id").and_then(|v| v.as_f64()).map(|v| v as u32);
                if let Some(done) = field("done").and_then(|v| v.as_f64()) {
                    on_report(run, Report::Progress(done));
                } else if let Some(result) = field("result").and_then(|v| v.as_string()) {
                    on_report(run, Report::Done(result));
                } else if let Some(error) = field("error").and_then(|v| v.as_string()) {
                    on_report(run, Report::Failed(error));
                }
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            on_report(None, Report::Failed(ev.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let init = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&init, &"glue".into(), &glue.into());
        let _ = js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module());
        worker
            .post_message(&init)
            .map_err(|e| format!("the worker did not start: {}", describe(&e)))?;
        Ok(MonteCarloWorker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Ends the run under way at its next pause (a run already done is not undone: its
    /// report, of a run the page has ended, is not shown).
    pub fn stop(&self) {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"stop".into(), &true.into());
        // A worker that can no longer be posted to has failed, and says so.
        let _ = self.worker.post_message(&message);
    }

    /// Sends run number `id`'s request (JSON): it ends the run under way at its next pause,
    /// and the worker tags its reports with the number.
    pub fn run(&self, id: u32, request: &str) -> Result<(), String> {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"id".into(), &id.into());
        let _ = js_sys::Reflect::set(&message, &"request".into(), &request.into());
        self.worker
            .post_message(&message)
            .map_err(|e| format!("the run was not sent: {}", describe(&e)))
    }
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}

/// The worker's entry: runs one request (`public/mc-worker.js` calls it). Between slices
/// of trials it calls `go_on` with the share done, and goes on when the promise it returns
/// says `true`; the answer as JSON, or nothing (`undefined`) for a run ended before it was
/// done.
#[wasm_bindgen]
pub async fn monte_carlo_worker(request: String, go_on: js_sys::Function) -> Option<String> {
    match crate::whatif::run_in_worker(request, go_on).await {
        Ok(run) => run.await,
        Err(_) => Some(serde_json::json!({ "Err": crate::lazy::NotLoaded::MESSAGE }).to_string()),
    }
}

/// Loads the what-ifs' module in the worker before the first request (a failure is
/// reported by the request).
#[wasm_bindgen]
pub async fn monte_carlo_worker_ready() {
    let _ = crate::whatif::preload_run_in_worker().await;
}
