#!/usr/bin/env bash
# Fuzzes the binary protocol's frame splitter and decoders with libFuzzer.
#
#   scripts/fuzz-binary.sh [seconds]     (default 60)
#
# Builds the codec and the target with clang++-14 (-fsanitize=fuzzer,address,
# undefined) into build-fuzz/, seeds the corpus with every sample request and
# reply, and runs for the given time. Crashing inputs are left in
# build-fuzz/binary/artifacts/; the script then exits non-zero.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/build-fuzz/binary"
cxx="${CXX_FUZZ:-clang++-14}"
mkdir -p "$out/obj" "$out/corpus" "$out/artifacts"

# Asio recognises clang's C++20 coroutines only when told; the codec's headers
# name asio::awaitable through kahuna/kernel_api.h.
flags=(-std=c++20 -DASIO_HAS_CO_AWAIT=1 -DASIO_HAS_STD_COROUTINE=1 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
       -fno-sanitize-recover=undefined -I "$root/kernel/include" -I "$root/kernel/src/wire"
       -I "$root/tests/wire")
# dispatch.cpp runs requests on a kernel and is not part of decoding.
sources=()
for source in "$root"/kernel/src/wire/*.cpp "$root/tests/wire/sample_messages.cpp"; do
  [[ "$(basename "$source")" == dispatch.cpp ]] && continue
  sources+=("$source")
done

# An object is rebuilt when its source, this script or any header it may
# include changed: a stale object compiled against an older header would
# disagree with the others about a type's layout.
newest_header=$(find "$root/kernel/include" "$root/kernel/src/wire" "$root/kernel/src/codec" "$root/tests/wire" \
                  -name '*.h' -o -name '*.def' | xargs ls -t | head -n 1)
objects=()
for source in "${sources[@]}"; do
  object="$out/obj/$(basename "$source" .cpp).o"
  if [[ ! -f "$object" || "$source" -nt "$object" || "$0" -nt "$object" || "$newest_header" -nt "$object" ]]; then
    "$cxx" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$source" -o "$object"
  fi
  objects+=("$object")
done

"$cxx" "${flags[@]}" -fsanitize=fuzzer "$root/tests/fuzz/binary/fuzz_binary_frames.cpp" \
  $(printf '%s\n' "${objects[@]}" | grep -v sample_messages.o) -o "$out/fuzz_binary_frames"
"$cxx" "${flags[@]}" -fsanitize=fuzzer-no-link "$root/tests/fuzz/binary/make_seed_corpus.cpp" \
  "${objects[@]}" -o "$out/make_seed_corpus"

"$out/make_seed_corpus" "$out/corpus"
"$out/fuzz_binary_frames" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$out/corpus"
