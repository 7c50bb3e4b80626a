#!/usr/bin/env bash
# Measures the saved-scenario API on loopback against the release build: reads per second
# of GET /api/scenarios/{id} (with oha) and saves per second of PUT with If-Match (a small
# Python client, since each save must name the version the previous one made). Not part
# of scripts/test.sh or CI: the figures depend on the machine. Needs `oha`
# (`cargo install oha --locked`) and `cargo build --release -p lakeplan`.
# Usage: scripts/load.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
bin=target/release/lakeplan
command -v oha >/dev/null || { echo "load.sh: oha is not installed (cargo install oha --locked)" >&2; exit 2; }
[ -x "$bin" ] || { echo "load.sh: build $bin first (cargo build --release -p lakeplan)" >&2; exit 2; }
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --data-dir "$data" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
scenario=data/presets/retail-hybrid-lakehouse.json
id=$(curl -sf -H 'content-type: application/json' --data-binary @"$scenario" \
  "http://127.0.0.1:$port/api/scenarios" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
echo "== GET /api/scenarios/{id}, 32 connections, ${secs}s"
oha -z "${secs}s" -c 32 --no-tui "http://127.0.0.1:$port/api/scenarios/$id" | grep -E 'Success rate|Requests/sec|50.00%|99.00%'
echo "== PUT /api/scenarios/{id} with If-Match, one scenario per writer, ${secs}s"
for writers in 1 4 16; do
python3 - "$port" "$writers" "$secs" "$scenario" <<'PY'
import http.client, json, sys, threading, time
port, writers, secs, path = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
body = open(path, "rb").read()
saves, other, lat = [0] * writers, [0] * writers, [[] for _ in range(writers)]
stop = time.monotonic() + secs
def writer(i):
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("POST", "/api/scenarios", body, {"content-type": "application/json"})
    d = json.loads(c.getresponse().read())
    sid, v = d["id"], d["version"]
    while time.monotonic() < stop:
        t = time.perf_counter()
        c.request("PUT", f"/api/scenarios/{sid}", body,
                  {"content-type": "application/json", "if-match": f'"{v}"'})
        r = c.getresponse(); r.read()
        lat[i].append(time.perf_counter() - t)
        if r.status == 200: v += 1; saves[i] += 1
        else: other[i] += 1
ts = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
t0 = time.monotonic()
for t in ts: t.start()
for t in ts: t.join()
el = time.monotonic() - t0
ls = sorted(x for l in lat for x in l)
q = lambda p: ls[int(p * (len(ls) - 1))] * 1000
print(f"{writers:2} writers: {sum(saves) / el:6.0f} saves/s, {sum(other)} not 200, "
      f"p50 {q(0.5):.2f} ms, p99 {q(0.99):.2f} ms")
PY
done
