#!/usr/bin/env bash
# Starts (or stops) the local 3-node cluster of conf/cluster/node{1,2,3}.toml
# on 127.0.0.1: installs what is missing, builds, starts the three servers in
# the background with their logs in ./data/cluster/nodeN.log, and waits until
# every node answers on its binary port.
#
#   bash scripts/run-cluster.sh          # start
#   bash scripts/run-cluster.sh stop     # stop all three (SIGTERM, clean shutdown)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=./data/cluster

stop() {
  for n in 1 2 3; do
    if [ -f "$dir/node$n.pid" ]; then
      kill "$(cat "$dir/node$n.pid")" 2>/dev/null || true
      rm -f "$dir/node$n.pid"
    fi
  done
}

if [ "${1:-start}" = "stop" ]; then
  stop
  echo "cluster stopped"
  exit 0
fi

bash scripts/install-deps.sh
bash scripts/build.sh
mkdir -p "$dir"
stop
for n in 1 2 3; do
  ./build/bin/kahuna --config "conf/cluster/node$n.toml" >"$dir/node$n.log" 2>&1 &
  echo $! >"$dir/node$n.pid"
done
for n in 1 2 3; do
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/710$n") 2>/dev/null; then break; fi
    if ! kill -0 "$(cat "$dir/node$n.pid")" 2>/dev/null; then
      echo "node $n exited; its log:" >&2
      tail -20 "$dir/node$n.log" >&2
      stop
      exit 1
    fi
    sleep 0.1
  done
done
echo "cluster running: binary 127.0.0.1:7101-7103, http http://127.0.0.1:7201-7203"
echo "logs in $dir/nodeN.log; stop with: bash scripts/run-cluster.sh stop"
