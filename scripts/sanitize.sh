#!/usr/bin/env bash
# Builds everything with AddressSanitizer and UBSan (GCC) into build-sanitize/ and runs the test suite
# there. Leaks inside third-party libraries (ngspice's shared library, OpenMPI) are suppressed by the
# committed list tests/sanitizers/lsan.supp; xbar's own leaks are not.
#   scripts/sanitize.sh [CTEST ARGS...]     e.g. scripts/sanitize.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXBAR_SANITIZE=ON -DXBAR_BUILD_BENCH=OFF >/dev/null
cmake --build build-sanitize -j "$(nproc)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" "$@"
