#!/usr/bin/env bash
# usage: out_of_tree_plugin_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d /tmp/kahuna-plugin-kit.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -9 "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== install into $work/prefix"
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null

echo "== build the example plugin against the installed package"
cmake -S "$source_dir/examples/plugins/memory-storage" -B "$work/build" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="-Werror" >/dev/null
cmake --build "$work/build" -j 2 >/dev/null
plugin="$work/build/kahuna-storage-memory.so"
test -f "$plugin"

echo "== run the installed conformance suite on it"
"$work/prefix/bin/kahuna-storage-conformance" --plugin "$plugin" --gtest_brief=1

echo "== the installed server loads it from TOML"
cat > "$work/node.toml" <<TOML
[node]
id = 1
data_dir = "$work/data"
[storage]
plugin = "$plugin"
[storage.memory]
compact_ratio_percent = 300
TOML
"$work/prefix/bin/kahuna" --config "$work/node.toml" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "ready" "$work/server.log" && break
  sleep 0.1
done
cat "$work/server.log"
grep -q "storage: loaded plugin 'memory' version 1.0.0 from $plugin" "$work/server.log"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
test "$status" -eq 0
grep -q "stopped cleanly" "$work/server.log"

echo "== a bad option is refused naming the key"
sed -i 's/compact_ratio_percent = 300/compact_raito = 3.0/' "$work/node.toml"
status=0
"$work/prefix/bin/kahuna" --config "$work/node.toml" > "$work/bad.log" 2>&1 || status=$?
cat "$work/bad.log"
test "$status" -eq 2
grep -q "storage.memory.compact_raito: unknown option" "$work/bad.log"
echo "== ok"
