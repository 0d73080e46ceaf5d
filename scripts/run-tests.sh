#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and as `make test` runs it.
#  1. build with warnings as errors and run every CTest label (unit, integration, e2e, browser:
#     the review page in Debian's Chromium);
#  2. build the unit tests of the ASan/UBSan preset (only those) and run them under it.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}

echo "== build (ci preset, warnings are errors)"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$JOBS"

echo "== tests: unit, integration, e2e, browser"
ctest --test-dir build/ci --output-on-failure -j "$JOBS" --timeout 900

echo "== build (asan preset: the unit tests only) and unit tests under AddressSanitizer/UBSan"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$JOBS" --target dramaloc_unit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan -L unit --output-on-failure -j "$JOBS" --timeout 900
