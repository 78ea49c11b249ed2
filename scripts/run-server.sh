#!/usr/bin/env bash
# The README's first command: install what is missing, build, and start a
# single-node server on conf/kahuna.toml (data under ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec ./build/bin/kahuna --config conf/kahuna.toml "$@"
