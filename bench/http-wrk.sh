#!/usr/bin/env bash
# HTTP load with wrk on keep-alive connections: try-set and try-get
# (persistent, 256-byte values over 10,000 keys) against a single node
# started here on a fresh data directory (fsync on). A benchmark, not a test.
#
#   bash bench/http-wrk.sh [seconds=10] [connections=64] [threads=2]
#
# Needs the build (scripts/build.sh) and wrk (installed here from Debian's
# archive if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-64}
threads=${3:-2}

if ! command -v wrk >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d /tmp/kahuna-http-wrk.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 10000))
cat > "$work/node.toml" <<TOML
[node]
id = 1
data_dir = "$work/data"
[log]
level = "warn"
[storage]
plugin = "rocksdb"
${KAHUNA_WRK_EXTRA_TOML:-}
[[protocol]]
plugin = "http"
listen = "127.0.0.1:$port"
TOML
"${BENCH_SERVER:-./build/bin/kahuna}" --config "$work/node.toml" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.1
done

# Each request picks one of 10,000 keys; the value is 256 bytes (base64).
value=$(head -c 192 /dev/zero | tr '\0' 'v' | base64 -w0)
cat > "$work/set.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, "/v1/kv/try-set",
    nil, '{"key":"bench/k' .. math.random(0, 9999) .. '","value":"$value","durability":1}')
end
LUA
cat > "$work/get.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, "/v1/kv/try-get", nil, '{"key":"bench/k' .. math.random(0, 9999) .. '","durability":1}')
end
LUA

echo "== try-set, persistent, ${connections} connections, ${seconds}s"
wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -s "$work/set.lua" "http://127.0.0.1:$port" |
  grep -E "Requests/sec|Latency  |50%|90%|99%|requests in|Non-2xx"
echo "== try-get, linearizable, ${connections} connections, ${seconds}s"
wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -s "$work/get.lua" "http://127.0.0.1:$port" |
  grep -E "Requests/sec|Latency  |50%|90%|99%|requests in|Non-2xx"
