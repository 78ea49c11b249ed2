#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run every
# test with ctest. The output ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
exec ctest --output-on-failure -j "${KAHUNA_JOBS:-$(nproc)}" --timeout 900
