#!/usr/bin/env bash
# The standard benchmark suite: starts a local 3-node cluster on 127.0.0.1
# (RocksDB, fsync on every commit), drives it with kahuna-bench and prints one
# table. With --etcd-endpoints and --etcd-benchmark it also runs the same
# shapes on an etcd cluster with etcd's own `benchmark` tool, in the same
# sitting, and prints the ratio Kahuna / etcd for every row that has a
# counterpart. A benchmark, not a test: figures depend on the machine.
#
#   bash bench/suite.sh                                    # Kahuna only
#   bash bench/suite.sh --etcd-endpoints http://127.0.0.1:23791,http://127.0.0.1:23792,http://127.0.0.1:23793 \
#                       --etcd-benchmark /path/to/benchmark
#   bash bench/suite.sh --only set,get --quick             # a subset, fewer requests
#   bash bench/suite.sh --perf                             # also a CPU profile of the 256-client set row
#   BENCH_PARTITIONS=1024 bash bench/suite.sh --only idle  # an idle node's CPU with 1,024 groups
#
# docs/benchmarks.md explains every row, how to get etcd and its tool, and
# how to read the output. Needs the build (scripts/build.sh).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$(pwd)

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

etcd_endpoints="" etcd_benchmark="" only="" quick=0 perf=0 engine=rocksdb io_threads=${BENCH_IO_THREADS:-1} partitions=${BENCH_PARTITIONS:-16}
results="$root/data/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
while [ $# -gt 0 ]; do
  case "$1" in
    --etcd-endpoints) etcd_endpoints=${2:?--etcd-endpoints needs a value}; shift 2 ;;
    --etcd-benchmark) etcd_benchmark=${2:?--etcd-benchmark needs a value}; shift 2 ;;
    --only) only=${2:?--only needs a value}; shift 2 ;;
    --engine) engine=${2:?--engine needs a value}; shift 2 ;;
    --results) results=${2:?--results needs a value}; shift 2 ;;
    --quick) quick=1; shift ;;
    --perf) perf=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/suite.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if { [ -n "$etcd_endpoints" ] && [ -z "$etcd_benchmark" ]; } || { [ -z "$etcd_endpoints" ] && [ -n "$etcd_benchmark" ]; }; then
  echo "bench/suite.sh: --etcd-endpoints and --etcd-benchmark go together" >&2; exit 2
fi
if [ -n "$etcd_benchmark" ] && [ ! -x "$etcd_benchmark" ]; then
  echo "bench/suite.sh: '$etcd_benchmark' is not an executable (etcd's benchmark tool)" >&2; exit 2
fi
case "$engine" in rocksdb|lmdb) ;; *) echo "bench/suite.sh: --engine is rocksdb or lmdb" >&2; exit 2 ;; esac
rows="idle set-1c set get-1c get get-local cas lock-1c lock-16 lock seq-next seq-next-keyed seq-reserve set-http script transfer"
if [ -n "$only" ]; then
  IFS=, read -r -a wanted <<<"$only"
  for row in "${wanted[@]}"; do
    if [[ " $rows " != *" $row "* ]]; then
      echo "bench/suite.sh: unknown row '$row' in --only (rows: ${rows// /, })" >&2; exit 2
    fi
  done
fi

server="${BENCH_SERVER:-$root/build/bin/kahuna}"  # BENCH_SERVER: compare another build
raft_log="${BENCH_RAFT_LOG:-segmented}"             # BENCH_RAFT_LOG=engine: the engine-backed Raft log
raft_pipeline="${BENCH_RAFT_PIPELINE:-true}"        # BENCH_RAFT_PIPELINE=false: one Ready at a time per group
state_cache="${BENCH_STATE_CACHE_MB:+state_cache_mb = $BENCH_STATE_CACHE_MB}"  # BENCH_STATE_CACHE_MB=0: no apply cache
extra_toml="${BENCH_NODE_TOML:-}"  # BENCH_NODE_TOML: more TOML for every node, e.g. $'[storage.rocksdb]\nwrite_buffer_mb = 16'
bench="$root/build/bin/kahuna-bench"
for binary in "$server" "$bench"; do
  if [ ! -x "$binary" ]; then echo "bench/suite.sh: $binary is missing; run bash scripts/build.sh" >&2; exit 2; fi
done
need_packages=()
command -v jq >/dev/null || need_packages+=(jq)
if [ "$perf" = 1 ] && ! command -v perf >/dev/null; then need_packages+=(linux-perf); fi
if [ ${#need_packages[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

mkdir -p "$results"
work=$(mktemp -d "$root/data/bench-cluster.XXXXXX")
pids=()
stop_cluster() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
cleanup() { stop_cluster; cp "$work"/node*.log "$results/" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the disk's fsync floor, where the cluster's data lives ----------------
fsync_ms=$(dd if=/dev/zero of="$work/fsync-probe" bs=4k count=1000 oflag=dsync 2>&1 |
  awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") printf "%.3f", $(i-1) }')
rm -f "$work/fsync-probe"

# ---- the cluster ------------------------------------------------------------
base=$((21000 + (RANDOM % 200) * 20))
peers=""
for n in 1 2 3; do
  peers+="  { id = $n, address = \"127.0.0.1:$((base + n))\", endpoints = { binary = \"127.0.0.1:$((base + 10 + n))\" } },"$'\n'
done
endpoints="" http_endpoints=""
for n in 1 2 3; do
  cat > "$work/node$n.toml" <<TOML
[node]
id = $n
data_dir = "$work/node$n"
[log]
level = "warn"
[cluster]
partitions = $partitions
peers = [
$peers]
[server]
io_threads = $io_threads
[storage]
plugin = "$engine"
$state_cache
[raft]
log = "$raft_log"
pipeline = $raft_pipeline
[[protocol]]
plugin = "binary"
listen = "127.0.0.1:$((base + 10 + n))"
io_threads = $io_threads
[[protocol]]
plugin = "http"
listen = "127.0.0.1:$((base + 20 + n))"
io_threads = $io_threads
$extra_toml
TOML
  endpoints+="${endpoints:+,}127.0.0.1:$((base + 10 + n))"
  http_endpoints+="${http_endpoints:+,}127.0.0.1:$((base + 20 + n))"
done
for n in 1 2 3; do
  "$server" --config "$work/node$n.toml" > "$work/node$n.log" 2>&1 &
  pids+=($!)
done
# Ready when every partition has a leader and every node answers.
ready=0
for _ in $(seq 1 100); do
  if status=$("$root/build/bin/kahuna-cli" --endpoints "$endpoints" --json status 2>/dev/null) &&
     [ "$(jq '[.partitions[] | select(.leader == 0)] | length' <<<"$status" 2>/dev/null)" = 0 ]; then
    ready=1; break
  fi
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  echo "bench/suite.sh: the cluster did not elect every leader in 20 s; logs:" >&2
  tail -n 20 "$work"/node*.log >&2
  exit 1
fi
sleep 2  # leader balancing settles (each partition returns to its preferred node)

scale() { if [ "$quick" = 1 ]; then echo $(( $1 / 10 )); else echo "$1"; fi; }
selected() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
fmt_row() { printf '%-14s %7s %6s %9s %18s %8s %8s %9s %7s %7s %s\n' "$@"; }
# CPU time (user + system, in clock ticks) the three servers have used so far.
server_ticks() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)
summary="$results/summary.tsv"
printf 'system\trow\tclients\tconns\trequests\tops_per_s\tvalues_per_s\tp50_ms\tp99_ms\tp999_ms\terrors\tserver_cpu_us_per_op\n' > "$summary"
declare -A kahuna_ops kahuna_p99 etcd_ops etcd_p99

# kahuna_row NAME CLIENTS CONNS REQUESTS WORKLOAD [ARGS...]
kahuna_row() {
  local name=$1 clients=$2 conns=$3 requests; requests=$(scale "$4"); local workload=$5; shift 5
  selected "$name" || return 0
  local json="$results/kahuna-$name.json" rc=0
  local -a cmd=("$bench" "$workload" --endpoints "${row_endpoints:-$endpoints}" --clients "$clients" --connections "$conns"
                --requests "$requests" --warmup 0.3 --json "$json" "$@")
  echo "${cmd[*]}" >> "$results/commands.txt"
  local ticks_before; ticks_before=$(server_ticks "${pids[@]}")
  "${cmd[@]}" > "$results/kahuna-$name.txt" 2>&1 || rc=$?
  local ticks_after; ticks_after=$(server_ticks "${pids[@]}")
  if [ ! -s "$json" ]; then
    fmt_row "$name" "$clients" "$conns" "$requests" "-" "-" "-" "-" "-" "-" "FAILED(rc=$rc)"
    return 0
  fi
  # Server CPU per request, warm-up included in the time but not in the count:
  # the suite's short warm-up makes that a slight overestimate.
  local cpu_us
  cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$ticks_per_second" -v n="$requests" \
    'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
  local ops values p50 p99 p999 errors
  ops=$(jq -r '.throughput_rps | floor' "$json")
  values=$(jq -r '(.values_per_s // 0) | floor' "$json")
  p50=$(jq -r '.latency_ms.p50 * 100 | round / 100' "$json"); p99=$(jq -r '.latency_ms.p99 * 100 | round / 100' "$json")
  p999=$(jq -r '.latency_ms.p999 * 100 | round / 100' "$json"); errors=$(jq -r '.requests.errors' "$json")
  kahuna_ops[$name]=$ops; kahuna_p99[$name]=$p99
  printf 'kahuna\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$clients" "$conns" "$requests" "$ops" \
    "$values" "$p50" "$p99" "$p999" "$errors" "$cpu_us" >> "$summary"
  local shown=$ops; [ "$values" != 0 ] && [ "$values" != "$ops" ] && shown="$ops ($values v/s)"
  fmt_row "$name" "$clients" "$conns" "$requests" "$shown" "$p50" "$p99" "$p999" "$errors" "$cpu_us" \
    "$(if [ "$rc" = 0 ]; then echo ok; else echo "rc=$rc"; fi)"
}

# etcd_row NAME CLIENTS CONNS REQUESTS SUBCOMMAND [ARGS...]: etcd's tool, same shape.
etcd_row() {
  local name=$1 clients=$2 conns=$3 requests; requests=$(scale "$4"); shift 4
  [ -n "$etcd_benchmark" ] || return 0
  selected "$name" || return 0
  local out="$results/etcd-$name.txt" rc=0
  local -a global=(--endpoints="$etcd_endpoints" --clients="$clients" --conns="$conns" --dial-timeout=5s --precise)
  [ "$clients" = 1 ] && global+=(--target-leader)
  local -a cmd=("$etcd_benchmark" "${global[@]}" "$@" --total="$requests")
  echo "${cmd[*]}" >> "$results/commands.txt"
  local ticks_before=0 ticks_after=0 cpu_us=-
  [ ${#etcd_pids[@]} -gt 0 ] && ticks_before=$(server_ticks "${etcd_pids[@]}")
  timeout -k 5 300 "${cmd[@]}" > "$out" 2>&1 || rc=$?
  if [ ${#etcd_pids[@]} -gt 0 ]; then
    ticks_after=$(server_ticks "${etcd_pids[@]}")
    cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$ticks_per_second" -v n="$requests" \
      'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
  fi
  local ops p50 p99 p999 errors
  ops=$(awk '$1 == "Requests/sec:" { printf "%d", $2 }' "$out")
  p50=$(awk '$1 == "50%" { printf "%.2f", $3 * 1000 }' "$out")
  p99=$(awk '$1 == "99%" { printf "%.2f", $3 * 1000 }' "$out")
  p999=$(awk '$1 == "99.9%" { printf "%.2f", $3 * 1000 }' "$out")
  errors=$(awk '/^Error distribution:/ { e = 1; next } e && $1 ~ /^\[[0-9]+\]$/ { gsub(/[^0-9]/, "", $1); s += $1 }
                END { print s + 0 }' "$out")
  if [ -z "$ops" ]; then
    fmt_row "$name" "$clients" "$conns" "$requests" "-" "-" "-" "-" "-" "-" "etcd FAILED(rc=$rc)"
    return 0
  fi
  etcd_ops[$name]=$ops; etcd_p99[$name]=$p99
  printf 'etcd\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$clients" "$conns" "$requests" "$ops" "$ops" \
    "$p50" "$p99" "${p999:--}" "$errors" "$cpu_us" >> "$summary"
  fmt_row "  etcd" "$clients" "$conns" "$requests" "$ops" "$p50" "$p99" "${p999:--}" "$errors" "$cpu_us" \
    "$(if [ "$rc" = 0 ]; then echo ok; else echo "rc=$rc"; fi)"
}

# ratio_row NAME ETCD_NAME: Kahuna / etcd throughput and p99.
ratio_row() {
  local name=$1 against=$2
  [ -n "${kahuna_ops[$name]:-}" ] && [ -n "${etcd_ops[$against]:-}" ] || return 0
  awk -v k="${kahuna_ops[$name]}" -v e="${etcd_ops[$against]}" -v kp="${kahuna_p99[$name]}" \
      -v ep="${etcd_p99[$against]}" -v n="$name" -v a="$against" 'BEGIN {
    printf "  ratio        throughput %.2fx   p99 %s vs %s ms (Kahuna %s / etcd %s)\n", k / e, kp, ep, n, a }' |
    tee -a "$results/ratios.txt"
}

# etcd's members, found by the ports of the endpoints, for their CPU time.
etcd_pids=()
if [ -n "$etcd_endpoints" ]; then
  IFS=, read -r -a etcd_urls <<<"$etcd_endpoints"
  for url in "${etcd_urls[@]}"; do
    port=${url##*:}
    pid=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
    [ -n "$pid" ] && etcd_pids+=("$pid")
  done
fi

echo "Kahuna suite (raft log: $raft_log): 3 nodes on 127.0.0.1 ($engine, fsync on), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "disk fsync floor: ${fsync_ms} ms per 4 KiB O_DSYNC write (dd, 1000 writes, $work)"
[ -n "$etcd_benchmark" ] && echo "etcd: $etcd_endpoints, tool $etcd_benchmark"
fmt_row row clients conns requests ops/s p50_ms p99_ms p99.9_ms errors cpu_us status

# idle: no requests for 20 s, before any row; what each node spends doing
# nothing (heartbeats, housekeeping) in % of one core. BENCH_PARTITIONS sets
# how many groups each node hosts.
if selected idle; then
  idle_seconds=$(( quick == 1 ? 5 : 20 ))
  declare -A idle_before
  for pid in "${pids[@]}"; do idle_before[$pid]=$(server_ticks "$pid"); done
  sleep "$idle_seconds"
  idle_percent=""
  for pid in "${pids[@]}"; do
    idle_percent+="${idle_percent:+ }$(awk -v t="$(( $(server_ticks "$pid") - ${idle_before[$pid]} ))" \
      -v hz="$ticks_per_second" -v s="$idle_seconds" 'BEGIN { printf "%.2f%%", 100 * t / hz / s }')"
  done
  printf 'idle: %s partitions per node, %s s without requests: CPU per node %s of one core\n' \
    "$partitions" "$idle_seconds" "$idle_percent"
  printf 'kahuna\tidle\t0\t0\t0\t0\t0\t0\t0\t0\t0\t%s\n' "$idle_percent" >> "$summary"
fi

value=(--key-prefix k --key-size 8 --value-size 256 --keys 10000)
put=(--key-size=8 --val-size=256 --key-space-size=10000)
stm_lock=(stm --keys=10000 --keys-per-txn=1 --txn-wr-percent=100 --val-size=256 --isolation=r --stm-locker=lock-client)

kahuna_row set-1c 1 1 2000 set "${value[@]}"
etcd_row set-1c 1 1 2000 put "${put[@]}"
ratio_row set-1c set-1c

if [ "$perf" = 1 ] && selected set; then
  perf record -F 499 -g -o "$results/set-256.perf.data" -p "$(IFS=,; echo "${pids[*]}")" \
    > "$results/perf-record.log" 2>&1 &
  perf_pid=$!
  sleep 0.5
fi
kahuna_row set 256 16 40000 set "${value[@]}"
if [ "$perf" = 1 ] && selected set; then
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  perf report -i "$results/set-256.perf.data" --no-children --sort comm,dso,symbol --stdio 2>/dev/null |
    grep -v '^$' | head -n 120 > "$results/set-256.perf.txt" || true
  echo "  (CPU profile of the three nodes during this row: $results/set-256.perf.txt)"
fi
etcd_row set 256 16 40000 put "${put[@]}"
ratio_row set set

etcd_range_key=bench-range-key
if [ -n "$etcd_benchmark" ] && { selected get-1c || selected get || selected get-local; }; then
  # etcd's range workload reads one key; give it a 256-byte value first.
  "$etcd_benchmark" --endpoints="$etcd_endpoints" --clients=1 --conns=1 put --key-size=8 --val-size=256 \
    --total=1 --key-space-size=1 > /dev/null 2>&1 || true
  if command -v etcdctl >/dev/null; then
    ETCDCTL_API=3 etcdctl --endpoints="$etcd_endpoints" put "$etcd_range_key" "$(head -c 256 /dev/zero | tr '\0' v)" \
      > /dev/null 2>&1 || true
  fi
fi
kahuna_row get-1c 1 1 2000 get "${value[@]}"
etcd_row get-1c 1 1 2000 range "$etcd_range_key" --consistency=l
ratio_row get-1c get-1c
kahuna_row get 256 16 40000 get "${value[@]}"
etcd_row get 256 16 40000 range "$etcd_range_key" --consistency=l
ratio_row get get
kahuna_row get-local 256 16 40000 get "${value[@]}" --consistency local
etcd_row get-local 256 16 40000 range "$etcd_range_key" --consistency=s
ratio_row get-local get-local
kahuna_row cas 256 16 40000 cas "${value[@]}"
etcd_row cas 256 16 40000 txn-put --txn-ops=1 "${put[@]}"
ratio_row cas cas

# Locks: one cycle is acquire + release. etcd's tool locks one global mutex
# per cycle (and reads and writes one key inside it), so its counterpart is
# the 16-client row on one resource.
kahuna_row lock-1c 1 1 500 lock --resources 1000 --lock-mode wait
etcd_row lock-1c 1 1 500 "${stm_lock[@]}"
ratio_row lock-1c lock-1c
kahuna_row lock-16 16 16 1000 lock --resources 1 --lock-mode wait
etcd_row lock-16 16 16 1000 "${stm_lock[@]}"
ratio_row lock-16 lock-16
kahuna_row lock 64 16 40000 lock --resources 1000 --lock-mode wait
ratio_row lock lock-16

# Sequences: `next` without an idempotency key is served from the leader's
# reserved block; with one, every call is a replicated command.
kahuna_row seq-next 64 16 200000 sequence --idempotency none
kahuna_row seq-next-keyed 64 16 40000 sequence --idempotency auto
kahuna_row seq-reserve 64 16 40000 sequence --reserve 1000 --idempotency none

# Over HTTP (the SDK has no script call yet): a plain set for reference, a
# one-partition script (read a key, write it: one transaction) and a
# transfer (read two keys, write both, on two partitions unless they share
# one) against etcd's transaction of two puts.
row_endpoints=$http_endpoints
kahuna_row set-http 256 16 40000 set "${value[@]}" --protocol http
kahuna_row script 256 16 40000 script "${value[@]}" --protocol http
kahuna_row transfer 256 16 40000 transfer "${value[@]}" --protocol http
etcd_row transfer 256 16 40000 txn-put --txn-ops=2 "${put[@]}"
ratio_row transfer transfer
row_endpoints=""

echo "raw output: $results"
