#!/usr/bin/env bash
# Configures and builds Kahuna (Release) into ./build. Extra arguments go to
# CMake's configure step, e.g. scripts/build.sh -DKAHUNA_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${KAHUNA_JOBS:-$(nproc)}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j "$jobs"
