#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install packages, build, launch the app
# with the built-in sample open. Extra arguments go to archscope (e.g. a design file).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/archscope-runtime-$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec "${BUILD_DIR:-build}/bin/archscope" "$@"
