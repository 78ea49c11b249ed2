#!/usr/bin/env bash
# Checks that every C++ source of the tree is formatted as .clang-format
# says (clang-format-14, which scripts/install-deps.sh installs). Prints the
# files that are not and exits 1; `scripts/check-format.sh --fix` formats them.
#   bash scripts/check-format.sh [--fix] [ROOT]
set -euo pipefail

fix=0
if [ "${1:-}" = "--fix" ]; then fix=1; shift; fi
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
formatter="$(command -v clang-format-14 || command -v clang-format || true)"
if [ -z "$formatter" ]; then
  echo "check-format: clang-format-14 is not installed (bash scripts/install-deps.sh)" >&2
  exit 2
fi

# Our sources only: not build trees, not data directories.
mapfile -d '' files < <(find "$root" \
  \( -path "$root/build*" -o -path "$root/data" -o -path "$root/.git" \) -prune -o \
  -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.cc' -o -name '*.cpp' \) -print0 | sort -z)

if [ "$fix" = 1 ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$formatter" -i
  exit 0
fi

unformatted=()
for file in "${files[@]}"; do
  if ! "$formatter" --dry-run --Werror "$file" >/dev/null 2>&1; then
    unformatted+=("${file#"$root"/}")
  fi
done
if [ ${#unformatted[@]} -gt 0 ]; then
  printf 'check-format: not formatted (run bash scripts/check-format.sh --fix):\n'
  printf '  %s\n' "${unformatted[@]}"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
