#!/usr/bin/env bash
# Redraws the thesis comparison figures in docs/img/ (docs/networks.md): the fig. 4.3/4.4 sweep of
# examples/lenet5/thesis.yaml over the 10,000 Fashion-MNIST test images (about a minute).
#   scripts/thesis-figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build/sim/xbar network examples/lenet5/thesis.yaml --sweep cell.resistors=3,5,8,10,13,15 --out "$out" --jobs "${JOBS:-0}"
mkdir -p docs/img
cp "$out/errors.png" docs/img/thesis_errors.png
cp "$out/accuracy.png" docs/img/thesis_accuracy.png
cp "$out/sweep.csv" docs/img/thesis_sweep.csv
echo "thesis-figures: docs/img/thesis_errors.png, thesis_accuracy.png, thesis_sweep.csv" >&2
