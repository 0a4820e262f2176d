#!/usr/bin/env bash
# Installs what is missing, builds, and runs the bundled example through ngspice.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p out
build/sim/xbar run examples/quickstart.yaml --json out/quickstart.json --netlist out/quickstart.cir
echo "report: out/quickstart.json   netlist: out/quickstart.cir (try: ngspice -b out/quickstart.cir)"
