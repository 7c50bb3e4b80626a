// One of the Monte Carlo's workers (started by app/src/worker.rs; ARCHITECTURE.md, "The
// Monte Carlo off the page's thread"). It runs the page's own wasm module: the page posts
// the compiled module and the URL of its JS glue first, so nothing is fetched or compiled
// twice, then requests. Progress and the answer go back as messages tagged with the
// request's run number.
//
// A run is split between the workers: each request names this worker's part of the
// trials. Part 0 leads: once its share is done it waits for the other parts' trials (bytes
// the page passes on as `chunk` messages), merges them and answers for the whole run; the
// other parts answer with their trials.
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
// The lead's wait for the other parts' trials: of which run, those come so far, how many
// it waits for, and the wake-up of the wait (with the trials, or with nothing when the run
// has ended).
let others = { id: 0, chunks: [], want: 0, wake: null };
const wakeOthers = () => {
  if (!others.wake) return;
  const wake = others.wake;
  others.wake = null;
  wake(running === others.id && others.chunks.length >= others.want ? others.chunks : null);
};

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
    wakeOthers();
    return;
  }
  if (data.chunk) {
    // Another part's trials, for the run this worker leads (one ended since is dropped).
    if (data.id === others.id && running === data.id) {
      others.chunks.push(data.chunk);
      if (others.chunks.length >= others.want) wakeOthers();
    }
    return;
  }
  const id = data.id;
  running = id;
  // A newer request ends the wait of the run before it.
  wakeOthers();
  others = { id, chunks: [], want: data.parts - 1, wake: null };
  try {
    const glue = await ready;
    // Between slices: the share done goes to the page, then the run goes on if it is still
    // the one wanted.
    const goOn = async (done) => {
      if (running !== id) return false;
      self.postMessage({ id, done });
      await pause();
      return running === id;
    };
    const gather = () => new Promise((resolve) => {
      if (running !== id || others.id !== id) return resolve(null);
      if (others.chunks.length >= others.want) return resolve(others.chunks);
      others.wake = resolve;
    });
    const answer = await glue.monte_carlo_worker(data.request, data.part, data.parts, goOn, gather);
    if (answer === undefined || running !== id) return;
    if (typeof answer === "string") self.postMessage({ id, result: answer });
    else self.postMessage({ id, chunk: answer }, [answer.buffer]);
  } catch (e) {
    self.postMessage({ id, error: String(e) });
  } finally {
    if (running === id) running = 0;
  }
};
