#!/usr/bin/env bash
# Error against resistors per bank: one `xbar run` per n, overriding cell.resistors with --set.
# Prints a table and writes out/sweep_n<N>.json for each point.
set -euo pipefail
cd "$(dirname "$0")/.."
xbar=${XBAR:-build/sim/xbar}
mkdir -p out
printf '%4s  %-13s  %-16s  %-16s\n' n weight_error output_error_max output_error_rms
for n in 4 8 12 16; do
  summary=$("$xbar" run examples/sweep_resistors.yaml --set cell.resistors=$n --json out/sweep_n$n.json)
  weight=$(awk '/^weight error/ {print $3}' <<<"$summary")
  read -r max rms < <(awk '/^output error/ {print $3, $5}' <<<"$summary")
  printf '%4d  %-13s  %-16s  %-16s\n' "$n" "$weight" "$max" "$rms"
done
