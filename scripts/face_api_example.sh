#!/usr/bin/env bash
# A trained CNN layer end to end: installs @vladmandic/face-api from the npm registry (and Node.js from
# Debian if missing), extracts the tiny face detector's first convolution, and runs
# examples/face_api_conv0.yaml (pruned to 50 %, ngspice). Run scripts/quickstart.sh first (it builds xbar).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
mkdir -p out/npm
npm install --prefix out/npm --no-audit --no-fund --silent @vladmandic/face-api
node scripts/face_api_weights.mjs out/npm/node_modules/@vladmandic/face-api/model/tiny_face_detector_model \
  conv0/filters out/face_conv0.npy
build/sim/xbar layer examples/face_api_conv0.yaml --json out/face_conv0.json --output out/face_conv0.npz
