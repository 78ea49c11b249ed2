#!/usr/bin/env bash
# Builds the HTTP request-decoding fuzzer (tests/fuzz/http) with clang++-14,
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, and runs it
# from the seed corpus for the given number of seconds (default 60).
#
#   scripts/fuzz-http.sh [seconds]
#
# Output goes to build-fuzz-http/ (or $KAHUNA_FUZZ_BUILD_DIR): the binary,
# the growing corpus, and crash-*/leak-*/timeout-* reproducers. Re-run one
# with: build-fuzz-http/http_request_fuzzer <file>. Exits non-zero on a finding.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KAHUNA_FUZZ_BUILD_DIR:-$root/build-fuzz-http}"
plugin="$root/plugins/protocols/http"
fuzz="$root/tests/fuzz/http"
compiler="${CLANGXX:-clang++-14}"

command -v "$compiler" >/dev/null || { echo "fuzz-http: $compiler not found" >&2; exit 2; }
mkdir -p "$build/corpus"

sources=(
  "$fuzz/request_fuzzer.cpp"
  "$plugin/cluster_admin_json.cpp"
  "$plugin/http_message.cpp"
  "$plugin/json_fields.cpp"
  "$plugin/json_output.cpp"
  "$plugin/kv_batch_json.cpp"
  "$plugin/kv_json.cpp"
  "$plugin/lock_json.cpp"
  "$plugin/request_parser.cpp"
  "$plugin/scan_json.cpp"
  "$plugin/session_json.cpp"
  "$plugin/sequence_json.cpp"
)

binary="$build/http_request_fuzzer"
# Rebuild only when a source or header is newer than the binary.
needs_build=1
if [[ -x "$binary" ]]; then
  needs_build=0
  for file in "${BASH_SOURCE[0]}" "${sources[@]}" "$plugin"/*.h "$root"/kernel/include/kahuna/*.h; do
    if [[ "$file" -nt "$binary" ]]; then needs_build=1; break; fi
  done
fi
if [[ "$needs_build" == 1 ]]; then
  # Asio detects coroutine support only for g++ with libstdc++; clang with
  # libstdc++ 12 has it too (kernel_api.h needs asio::awaitable to parse).
  echo "fuzz-http: building $binary"
  "$compiler" -std=c++20 -O1 -g -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fsanitize-recover=pointer-overflow \
    -DASIO_HAS_CO_AWAIT=1 -DASIO_HAS_STD_COROUTINE=1 \
    -I"$plugin" -I"$root/kernel/include" \
    "${sources[@]}" -lhttp_parser -o "$binary.tmp"
  mv "$binary.tmp" "$binary"
fi

echo "fuzz-http: running for ${seconds}s"
# Every report is fatal except the suppressed library ones (see the file).
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$fuzz/ubsan.supp"
"$binary" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$build/" "$build/corpus" "$fuzz/seeds"
