#!/usr/bin/env bash
# Runs the benchmark programs and rewrites their tables in docs/benchmarks.md, each headed by the
# machine, date, commit and command that produced it. Each table's command is written in its marker,
#   <!-- benchmark: NAME: COMMAND -->  ...fenced block...  <!-- /benchmark -->
# so the document says what to run and this script runs exactly that. Slow: the peers (ngspice, CBC)
# take minutes.
#   scripts/benchmarks.sh            every table
#   scripts/benchmarks.sh NAME...    only these
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/benchmarks.md
[ -x build/bench/bench_solver ] || scripts/build.sh

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
machine="$cpu ($(nproc) cores), $(uname -sr)"
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- . ':!docs' || commit="$commit (with uncommitted changes)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

while IFS='|' read -r name command; do
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  echo "benchmarks: $name: $command" >&2
  {
    echo "machine: $machine"
    echo "date:    $(date -u +%Y-%m-%d)"
    echo "commit:  $commit"
    echo "command: $command"
    echo
    bash -c "$command"
  } > "$out/$name.txt"
done < <(sed -n 's/^<!-- benchmark: \([a-z_]*\): \(.*\) -->$/\1|\2/p' "$doc")

# Replaces each refreshed table's fenced block, leaving the others as they were.
python3 - "$out" "$doc" <<'PY'
import os, re, sys
out, doc = sys.argv[1], sys.argv[2]
text = open(doc).read()
def fill(match):
    path = os.path.join(out, match.group(1) + ".txt")
    if not os.path.exists(path):
        return match.group(0)
    return f"{match.group(0).split(chr(10))[0]}\n```\n{open(path).read()}```\n<!-- /benchmark -->"
text = re.sub(r"<!-- benchmark: (\w+): [^\n]*-->\n```\n.*?```\n<!-- /benchmark -->", fill, text, flags=re.S)
open(doc, "w").write(text)
PY
echo "benchmarks: refreshed $doc" >&2
