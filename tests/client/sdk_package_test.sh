#!/usr/bin/env bash
# The SDK as a user of the installed package meets it: install Kahuna, build
# examples/client outside this tree with find_package(KahunaClient), and run
# the examples against the installed server on a free port.
# usage: sdk_package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d /tmp/kahuna-sdk-package.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -9 "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== install into $work/prefix"
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null

echo "== build the SDK examples against the installed package"
cmake -S "$source_dir/examples/client" -B "$work/build" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="-Werror" >/dev/null
cmake --build "$work/build" -j 2 >/dev/null
test -x "$work/build/kahuna-lock-example"
test -x "$work/build/kahuna-transfer-example"

echo "== run them against the installed server"
# A port nothing listens on (bash alone: no other tool needed).
port=$((20000 + RANDOM % 20000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 20000)); done
cat > "$work/node.toml" <<TOML
[node]
id = 1
data_dir = "$work/data"
[storage]
plugin = "rocksdb"
[[protocol]]
plugin = "binary"
listen = "127.0.0.1:$port"
TOML
"$work/prefix/bin/kahuna" --config "$work/node.toml" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "ready" "$work/server.log" && break
  sleep 0.1
done
"$work/build/kahuna-lock-example" "127.0.0.1:$port" | tee "$work/example.log"
grep -qi "token" "$work/example.log"
"$work/build/kahuna-transfer-example" "127.0.0.1:$port" | tee "$work/transfer.log"
grep -q "committed" "$work/transfer.log"
kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""
echo "== ok"
