#!/usr/bin/env bash
# Fuzzes Kahuna Script (kernel/src/script: lexer, parser, interpreter) with
# libFuzzer.
#
#   scripts/fuzz-script.sh [seconds]     (default 60)
#
# Builds the library and the target (tests/fuzz/script) with clang++-14
# (-fsanitize=fuzzer,address,undefined) into build-fuzz/script/, runs it for
# the given time from the seed scripts in tests/fuzz/script/seeds/ with the
# language's dictionary, and keeps what it learns in build-fuzz/script/corpus/.
# Crashing inputs are left in build-fuzz/script/artifacts/; the script then
# exits non-zero. Replay one with: build-fuzz/script/fuzz_script <file>.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/build-fuzz/script"
fuzz="$root/tests/fuzz/script"
cxx="${CXX_FUZZ:-clang++-14}"
mkdir -p "$out/obj" "$out/corpus" "$out/artifacts"

flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
       -I "$root/kernel/include" -I "$root/kernel/src")
# The cache (script_cache.cpp) only stores parsed scripts and needs xxHash.
sources=()
for source in "$root"/kernel/src/script/*.cpp; do
  [[ "$(basename "$source")" == script_cache.cpp ]] && continue
  sources+=("$source")
done

# An object is rebuilt when its source, this script or any header it may
# include changed: a stale object compiled against an older header would
# disagree with the others about a type's layout.
newest_header=$(find "$root/kernel/include" "$root/kernel/src/script" -name '*.h' | xargs ls -t | head -n 1)
objects=()
for source in "${sources[@]}"; do
  object="$out/obj/$(basename "$source" .cpp).o"
  if [[ ! -f "$object" || "$source" -nt "$object" || "$0" -nt "$object" || "$newest_header" -nt "$object" ]]; then
    "$cxx" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$source" -o "$object"
  fi
  objects+=("$object")
done

"$cxx" "${flags[@]}" -fsanitize=fuzzer "$fuzz/fuzz_script.cpp" "${objects[@]}" -o "$out/fuzz_script"

"$out/fuzz_script" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -dict="$fuzz/script.dict" -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
  "$out/corpus" "$fuzz/seeds"
