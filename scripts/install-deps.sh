#!/usr/bin/env bash
# Installs the Debian 12 packages Archscope needs to build, run and test.
# Idempotent: only missing packages are installed. Works as root or through sudo.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libsqlite3-dev nlohmann-json3-dev
  libvulkan-dev glslc mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
  qt6-base-dev qt6-declarative-dev qt6-charts-dev qt6-shadertools-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-shapes qml6-module-qtquick-templates qml6-module-qtquick-window
  qml6-module-qtqml-workerscript qml6-module-qtquick-dialogs qml6-module-qttest
  qml6-module-qtcharts qml6-module-qt-labs-settings qml6-module-qtcore
  libgl-dev xvfb xauth fonts-dejavu-core
  libonnx-dev libprotobuf-dev protobuf-compiler
  clang libclang-rt-14-dev libomp-14-dev
  zlib1g-dev
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
