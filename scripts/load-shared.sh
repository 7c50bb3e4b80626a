#!/usr/bin/env bash
# Measures one server on the embedded SQLite store against two servers on one PostgreSQL
# (spec DEPLOY.md), with the same load: reads per second of GET /api/scenarios/{id} (wrk,
# an API token, 32 connections spread over the servers) and saves per second of PUT with
# If-Match (16 writers, one scenario each, spread over the servers). Then the time to back
# up and restore 10 000 scenarios, SQLite → file → PostgreSQL. Not part of scripts/test.sh
# or CI: the figures depend on the machine. Needs `wrk` and Debian's `postgresql`, and
# `cargo xtask build --release`.
# Usage: scripts/load-shared.sh [seconds per run, default 10] [scenarios, default 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
count="${2:-10000}"
bin=$PWD/target/release/lakeplan
command -v wrk >/dev/null || { echo "load-shared.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin" ] || { echo "load-shared.sh: build $bin first (cargo xtask build --release)" >&2; exit 2; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "load-shared.sh: install Debian's postgresql" >&2; exit 2; }

work=$(mktemp -d)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  as_pg "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# A PostgreSQL cluster of its own, durable as in production (fsync on).
pgport=$(free_port)
mkdir "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-p $pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=100" start >/dev/null
url_of() { echo "postgres://postgres@127.0.0.1:$pgport/$1"; }
as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -qc "CREATE DATABASE load" -c "CREATE DATABASE restored" >/dev/null

password="load-test password, long enough"
# start NAME STORE-ARGS...: a server; its base URL in $base_NAME.
start() {
  local name=$1; shift
  local port; port=$(free_port)
  RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" "$@" >/dev/null 2>&1 &
  servers+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  printf -v "base_$name" 'http://127.0.0.1:%s' "$port"
}
token_on() {
  local base=$1
  local cookie
  cookie=$(curl -sf -D - -o /dev/null -H 'content-type: application/json' \
    --data "{\"email\":\"load@example.com\",\"password\":\"$password\"}" "$base/api/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(lakeplan_session=[^;]*\).*/\1/p')
  curl -sf -H "cookie: $cookie" -H "origin: $base" -H 'content-type: application/json' \
    --data '{"name":"load"}' "$base/api/tokens" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
scenario=data/presets/retail-hybrid-lakehouse.json

# measure LABEL BASE...: reads/s and saves/s spread over the servers given.
measure() {
  local label=$1; shift
  local bases=("$@")
  local token; token=$(token_on "${bases[0]}")
  local id
  id=$(curl -sf -H "authorization: Bearer $token" -H 'content-type: application/json' \
    --data-binary @"$scenario" "${bases[0]}/api/scenarios" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  local per=$((32 / ${#bases[@]}))
  local outs=() pids=()
  for b in "${bases[@]}"; do
    out="$work/wrk.$RANDOM"; outs+=("$out")
    wrk -t1 -c"$per" -d"${secs}s" -H "authorization: Bearer $token" "$b/api/scenarios/$id" >"$out" &
    pids+=($!)
  done
  wait "${pids[@]}"
  local reads
  reads=$(cat "${outs[@]}" | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}')
  local saves
  saves=$(python3 - "$secs" "$scenario" "$token" "${bases[@]}" <<'PY'
import http.client, json, sys, threading, time, urllib.parse
secs, path, token, bases = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
body = open(path, "rb").read()
writers = 16
saves, other = [0] * writers, [0] * writers
stop = time.monotonic() + secs
def writer(i):
    u = urllib.parse.urlparse(bases[i % len(bases)])
    c = http.client.HTTPConnection(u.hostname, u.port)
    auth = {"authorization": f"Bearer {token}"}
    c.request("POST", "/api/scenarios", body, {"content-type": "application/json", **auth})
    d = json.loads(c.getresponse().read())
    sid, v = d["id"], d["version"]
    while time.monotonic() < stop:
        c.request("PUT", f"/api/scenarios/{sid}", body,
                  {"content-type": "application/json", "if-match": f'"{v}"', **auth})
        r = c.getresponse(); r.read()
        if r.status == 200: v += 1; saves[i] += 1
        else: other[i] += 1
ts = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
t0 = time.monotonic()
for t in ts: t.start()
for t in ts: t.join()
print(f"{sum(saves) / (time.monotonic() - t0):.0f} ({sum(other)} not 200)")
PY
)
  printf '%-34s reads/s %7s   saves/s %s\n' "$label" "$reads" "$saves"
}

echo "== the same load, ${secs}s per run, 32 read connections, 16 writers"
printf '%s\n' "$password" | "$bin" users add load@example.com --team default --role engineer \
  --password-stdin --data-dir "$work/sqlite" >/dev/null
start sqlite --data-dir "$work/sqlite"
measure "SQLite, one server" "$base_sqlite"
printf '%s\n' "$password" | LAKEPLAN_DATABASE_URL=$(url_of load) "$bin" users add load@example.com \
  --team default --role engineer --password-stdin >/dev/null
start pg1 --database-url "$(url_of load)"
start pg2 --database-url "$(url_of load)"
measure "PostgreSQL, one server" "$base_pg1"
measure "PostgreSQL, two servers" "$base_pg1" "$base_pg2"

echo "== backup and restore of $count scenarios (SQLite → file → PostgreSQL)"
token=$(token_on "$base_sqlite")
python3 - "$base_sqlite" "$scenario" "$token" "$count" <<'PY'
import http.client, json, sys, time, urllib.parse
base, path, token, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port)
auth = {"authorization": f"Bearer {token}", "content-type": "application/json"}
c.request("GET", "/api/scenarios", headers=auth)
have = len(json.loads(c.getresponse().read())["scenarios"])
doc = json.load(open(path))
t = time.monotonic()
for i in range(max(0, count - have)):
    doc["name"] = f"Deal {i}"
    doc["change"]["value"] = 5 + (i % 20)
    c.request("POST", "/api/scenarios", json.dumps(doc), auth)
    r = c.getresponse(); r.read()
    assert r.status == 201, r.status
print(f"saved {max(0, count - have)} scenarios through the API in {time.monotonic() - t:.1f} s")
PY
"$bin" backup "$work/lake.backup" --data-dir "$work/sqlite"
ls -l "$work/lake.backup" | awk '{printf "backup file: %.1f MB\n", $5 / 1e6}'
LAKEPLAN_DATABASE_URL=$(url_of restored) "$bin" restore "$work/lake.backup"

echo "== an outage: PostgreSQL stopped under the two servers, then started again"
as_pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
for b in "$base_pg1" "$base_pg2"; do
  curl -s -o /dev/null -w "GET /readyz while the database is down: %{http_code} in %{time_total} s\n" "$b/readyz"
  curl -s -o /dev/null -H "authorization: Bearer $token" \
    -w "GET /api/scenarios while the database is down: %{http_code} in %{time_total} s\n" "$b/api/scenarios"
done
as_pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-p $pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=100" start >/dev/null
t0=$(date +%s.%N)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base_pg1/readyz")" = 200 ]; do sleep 0.05; done
printf 'ready again %.2f s after PostgreSQL was back\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
