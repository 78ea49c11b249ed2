#!/usr/bin/env bash
# The fault soak in one command (docs/faults.md, "The soak"): builds the
# server, its plugins and kahuna_fault_soak, then runs every workload under a
# mixed random fault schedule drawn from the seed, checks each epoch's
# history and writes a report (markdown, plus JSON next to it).
#
#   scripts/soak.sh --seed 42 --duration 30m --nodes 3 --engine rocksdb --report soak.md
#
# Options (all but --seed have defaults): --seed N, --duration 30m|90s|2h,
# --nodes 3|5, --engine rocksdb|lmdb, --report FILE, --epoch 60s, and
# --strict (the default: a mustRetry reply is recorded as "not applied", and
# one that took effect anyway is a violation) or --lenient (recorded as
# unknown), --membership [--spares N] (spare nodes join, members leave or
# are removed; off by default). Environment: KAHUNA_SOAK_BUILD_DIR (default
# build), KAHUNA_JOBS (default 2), KAHUNA_FAULTS_LENIENT=1 (lenient unless
# --strict is given).
# The report says which mode ran. Exit code: 0 pass, 1 violation or
# inconclusive check, 2 bad arguments, 130 interrupted; Ctrl-C stops every
# process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KAHUNA_SOAK_BUILD_DIR:-build}"
jobs="${KAHUNA_JOBS:-2}"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
targets=(kahuna_fault_soak)
cmake --build "$build" -j "$jobs" --target "${targets[@]}" >/dev/null
# exec: the signals of Ctrl-C reach the soak itself, which stops its cluster.
exec "$build/bin/kahuna_fault_soak" "$@"
