#!/usr/bin/env bash
# Measures the saved-scenario API on loopback against the release build: reads per second
# of GET /api/scenarios/{id} (with wrk) as a script with an API token, as a browser with a
# session cookie, and of a share link (no account); sign-in latency (one Argon2id check
# each); and saves per second of PUT with If-Match (a small Python client, since each save
# must name the version the previous one made). Not part of scripts/test.sh or CI: the
# figures depend on the machine. Needs `wrk` (Debian) and `cargo xtask build --release`.
# Usage: scripts/load.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
bin=target/release/lakeplan
command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin" ] || { echo "load.sh: build $bin first (cargo xtask build --release)" >&2; exit 2; }
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --data-dir "$data" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
password="load-test password, long enough"
printf '%s\n' "$password" | "$bin" users add load@example.com --team default --role engineer \
  --password-stdin --data-dir "$data" >/dev/null
cookie=$(curl -sf -D - -o /dev/null -H 'content-type: application/json' \
  --data "{\"email\":\"load@example.com\",\"password\":\"$password\"}" "$base/api/session" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(lakeplan_session=[^;]*\).*/\1/p')
token=$(curl -sf -H "cookie: $cookie" -H "origin: $base" -H 'content-type: application/json' \
  --data '{"name":"load"}' "$base/api/tokens" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
auth=(-H "authorization: Bearer $token")
scenario=data/presets/retail-hybrid-lakehouse.json
id=$(curl -sf "${auth[@]}" -H 'content-type: application/json' --data-binary @"$scenario" \
  "$base/api/scenarios" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
share=$(curl -sf "${auth[@]}" -H 'content-type: application/json' --data '{}' \
  "$base/api/scenarios/$id/shares" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
echo "== sign-in latency: POST /api/session, 20 in a row (one Argon2id check each)"
python3 - "$port" "$password" <<'PY'
import http.client, json, sys, time
port, password = int(sys.argv[1]), sys.argv[2]
c = http.client.HTTPConnection("127.0.0.1", port)
body = json.dumps({"email": "load@example.com", "password": password})
ts = []
for _ in range(20):
    t = time.perf_counter()
    c.request("POST", "/api/session", body, {"content-type": "application/json"})
    r = c.getresponse(); r.read()
    assert r.status == 204, r.status
    ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print(f"sign-in: p50 {ts[10]:.1f} ms, min {ts[0]:.1f} ms, max {ts[-1]:.1f} ms")
PY
for who in token cookie share; do
  case $who in
    token) echo "== GET /api/scenarios/{id} with an API token, 32 connections, ${secs}s"
           wrk -t2 -c32 -d"${secs}s" --latency -H "authorization: Bearer $token" "$base/api/scenarios/$id" ;;
    cookie) echo "== GET /api/scenarios/{id} with a session cookie, 32 connections, ${secs}s"
           wrk -t2 -c32 -d"${secs}s" --latency -H "cookie: $cookie" "$base/api/scenarios/$id" ;;
    share) echo "== GET /api/shares/{token} (no account), 32 connections, ${secs}s"
           wrk -t2 -c32 -d"${secs}s" --latency "$base/api/shares/$share" ;;
  esac | grep -E '^==|Requests/sec|Non-2xx|^ +50%|^ +99%'
done
echo "== PUT /api/scenarios/{id} with If-Match, one scenario per writer, ${secs}s"
for writers in 1 4 16; do
python3 - "$port" "$writers" "$secs" "$scenario" "$token" <<'PY'
import http.client, json, sys, threading, time
port, writers, secs, path, token = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
body = open(path, "rb").read()
saves, other, lat = [0] * writers, [0] * writers, [[] for _ in range(writers)]
stop = time.monotonic() + secs
def writer(i):
    c = http.client.HTTPConnection("127.0.0.1", port)
    auth = {"authorization": f"Bearer {token}"}
    c.request("POST", "/api/scenarios", body, {"content-type": "application/json", **auth})
    d = json.loads(c.getresponse().read())
    sid, v = d["id"], d["version"]
    while time.monotonic() < stop:
        t = time.perf_counter()
        c.request("PUT", f"/api/scenarios/{sid}", body,
                  {"content-type": "application/json", "if-match": f'"{v}"', **auth})
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
echo "== GET /api/price-books/{id}/impact over 1000 saved scenarios (a draft with every licence rate doubled)"
printf '%s\n' "$password" | "$bin" users add pricing@example.com --team pricing --role pricing \
  --password-stdin --data-dir "$data" >/dev/null
book_csv="$data/doubled.csv"
curl -sf "$base/api/price-books/2026-11/export.csv" | python3 -c '
import csv, io, sys
rows = list(csv.reader(io.StringIO(sys.stdin.read())))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(rows[0])
for r in rows[1:]:
    if r[2] == "licence" and r[6] in ("usd_per_core_year", "usd_per_usable_tb_year"):
        r[10] = repr(float(r[10]) * 2)
    out.writerow(r)' > "$book_csv"
book=$("$bin" books import "$book_csv" --name "Doubled licence" --effective-from 2099-01-01 \
  --data-dir "$data" | cut -f1)
python3 - "$port" "$scenario" "$token" <<'PY'
import http.client, json, sys
port, path, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
doc = json.load(open(path))
c = http.client.HTTPConnection("127.0.0.1", port)
auth = {"authorization": f"Bearer {token}"}
c.request("GET", "/api/scenarios", headers=auth)
have = len(json.loads(c.getresponse().read())["scenarios"])  # the runs above saved some
n = 0
for i in range(1000 - have):
    doc["name"] = f"Load {i}"
    doc["change"]["value"] = 5 + (i % 20)
    c.request("POST", "/api/scenarios", json.dumps(doc),
              {"content-type": "application/json", "authorization": f"Bearer {token}"})
    r = c.getresponse(); r.read(); n += r.status == 201
print(f"saved {n} more scenarios")
PY
pricing_cookie=$(curl -sf -D - -o /dev/null -H 'content-type: application/json' \
  --data "{\"email\":\"pricing@example.com\",\"password\":\"$password\"}" "$base/api/session" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(lakeplan_session=[^;]*\).*/\1/p')
for run in 1 2 3; do
  curl -sf -o "$data/impact.json" -w "impact run $run: %{time_total} s\n" -H "cookie: $pricing_cookie" \
    "$base/api/price-books/$book/impact"
done
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(len(d["scenarios"]), "scenarios in the answer")' "$data/impact.json"
