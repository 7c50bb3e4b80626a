// The Monte Carlo's worker (started by app/src/worker.rs; ARCHITECTURE.md, "The Monte
// Carlo off the page's thread"). It runs the page's own wasm module: the page posts the
// compiled module and the URL of its JS glue first, so nothing is fetched or compiled
// twice, then one request at a time. Progress and the answer go back as messages tagged with the
// request's run number; the page cancels a run by ending the worker.
let ready;
self.onmessage = async ({ data }) => {
  if (data.glue) {
    ready = import(data.glue).then(async (glue) => {
      await glue.default({ module_or_path: data.module });
      await glue.monte_carlo_worker_ready();
      return glue;
    });
    ready.catch((e) => self.postMessage({ error: String(e) }));
    return;
  }
  const id = data.id;
  try {
    const glue = await ready;
    const result = await glue.monte_carlo_worker(data.request, (done) => self.postMessage({ id, done }));
    self.postMessage({ id, result });
  } catch (e) {
    self.postMessage({ id, error: String(e) });
  }
};
