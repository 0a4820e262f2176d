#!/usr/bin/env bash
# Confirms a run with stock ngspice: writes the spec's netlist for input vector 0 (`xbar netlist`), runs
# it with `ngspice -b`, and compares the column currents ngspice prints with the run's JSON (the same
# switch states: compensated ones where the spec compensates). Prints the largest relative difference
# of the currents and the output error computed from ngspice's currents alone.
#   scripts/ngspice-confirm.sh SPEC [--set KEY=VALUE]...
# XBAR: the xbar binary (default build/sim/xbar).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: scripts/ngspice-confirm.sh SPEC [--set KEY=VALUE]..." >&2; exit 2; }
xbar=${XBAR:-build/sim/xbar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$xbar" run "$@" --quiet --json "$work/run.json" > /dev/null
"$xbar" netlist "$@" -o "$work/x.cir" > /dev/null
ngspice -b "$work/x.cir" > "$work/ngspice.txt" 2>&1
python3 - "$work/run.json" "$work/ngspice.txt" <<'PY'
import json, re, sys
run = json.load(open(sys.argv[1]))
printed = {int(m.group(1)): float(m.group(2))
           for m in re.finditer(r"i\(v_c(\d+)\)\s*=\s*([-+0-9.eE]+)", open(sys.argv[2]).read())}
currents = run["column_currents"][0]
if len(printed) != len(currents):
    sys.exit(f"ngspice printed {len(printed)} of {len(currents)} column currents")
scale = run["scale"]["output_per_ampere"]
ideal = run["ideal"][0]
peak = max(abs(y) for y in ideal) or 1.0
difference = max(abs(printed[j] - currents[j]) / max(abs(currents[j]), 1e-30) for j in range(len(currents)))
error = max(abs(printed[j] * scale - ideal[j]) for j in range(len(ideal))) / peak
print(f"ngspice -b vs the run's currents: max relative difference {difference:.1e}")
print(f"output error of vector 0 from ngspice's currents: {error:.3e} (the run: {run['per_vector']['output_error_max'][0]:.3e})")
PY
