#!/usr/bin/env bash
# Installs the Debian 12 packages Kahuna builds and tests with; installs only
# what is missing, so running it again is quick. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  libasio-dev libboost-dev libboost-filesystem-dev
  librocksdb-dev liblmdb-dev libtomlplusplus-dev
  libspdlog-dev libcli11-dev libxxhash-dev
  libhttp-parser-dev rapidjson-dev libedit-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev curl
  clang-14 libclang-rt-14-dev clang-format-14
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
