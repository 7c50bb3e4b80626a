// The Monte Carlo's worker (started by app/src/worker.rs; ARCHITECTURE.md, "The Monte
// Carlo off the page's thread"). It runs the page's own wasm module: the page posts the
// compiled module and the URL of its JS glue first, so nothing is fetched or compiled
// twice, then requests. Progress and the answer go back as messages tagged with the
// request's run number.
//
// The worker lives as long as the view: a run pauses between slices of trials, and a
// `stop` or a newer request that arrived meanwhile ends it there. Ending the worker instead
// would cost the page's own thread, right when the user is typing: the next run's worker
// must start, instantiate the module and grow its memory again, and the old one's teardown
// unmaps tens of MB (end2end/tests/latency.spec.ts).
let ready;
// The run that may go on (0: none).
let running = 0;
// A pause that lets the page's messages in without a timer's clamping. Each pause posts one
// message and is woken by it, in order: a run paused while a newer one also pauses must
// still wake (and end), not wait forever holding its trials.
const channel = new MessageChannel();
const paused = [];
channel.port1.onmessage = () => paused.shift()();
const pause = () => new Promise((resolve) => { paused.push(resolve); channel.port2.postMessage(null); });

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
  if (data.stop) {
    running = 0;
    return;
  }
  const id = data.id;
  running = id;
  try {
    const glue = await ready;
    // Between slices: the share done goes to the page, then the run goes on if it is still
    // the one wanted.
    const result = await glue.monte_carlo_worker(data.request, async (done) => {
      if (running !== id) return false;
      self.postMessage({ id, done });
      await pause();
      return running === id;
    });
    if (result !== undefined) self.postMessage({ id, result });
  } catch (e) {
    self.postMessage({ id, error: String(e) });
  } finally {
    if (running === id) running = 0;
  }
};
