# Sourced by the outside judges' scripts: starts `lakeplan serve` ($1, or
# target/release/lakeplan) on a free port with a throw-away data folder, sets `bin`, `port`,
# `data`, `base` and `server`, waits until it answers, and stops it (and removes the folder)
# when the sourcing script exits.
bin=${1:-target/release/lakeplan}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
base="http://127.0.0.1:$port"
"$bin" serve --addr "127.0.0.1:$port" --data-dir "$data" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/healthz" >/dev/null && break
  sleep 0.1
done
