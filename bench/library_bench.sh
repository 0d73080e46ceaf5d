#!/usr/bin/env bash
# The library's figures (bench/README.md, "Library"), printed beside their targets:
#   1. a generated library of LIBRARY_EPISODES (2000) episodes × 5 languages and the source,
#      on SQLite and on a throwaway PostgreSQL cluster this script starts: index time and
#      size, query p50/p99, against the same rows without the index (a LIKE scan);
#   2. content review of a 90 s episode in 5 languages with packs of REVIEW_TERMS (10000)
#      terms and REVIEW_PATTERNS (10000) patterns, against each rule run on its own.
# Variables: LIBRARY_EPISODES, LIBRARY_LINES (40 per episode), REVIEW_TERMS, REVIEW_PATTERNS,
# BUILD_DIR, BENCH_WORK (keep files there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build/release}"
BENCH="$BUILD/bench/library_bench"
[[ -x "$BENCH" ]] || { echo "bench: $BENCH is missing; run 'make build' first"; exit 1; }
if [[ -n "${BENCH_WORK:-}" ]]; then WORK="$BENCH_WORK"; mkdir -p "$WORK"; else WORK="$(mktemp -d /tmp/dramaloc-library-XXXXXX)"; fi
source "$ROOT/bench/postgres.sh"
PGDIR=""
cleanup() {
  [[ -n "$PGDIR" ]] && stop_postgres
  if [[ -z "${BENCH_WORK:-}" ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
start_postgres library

echo "== the library: ${LIBRARY_EPISODES:-2000} episodes × 5 languages, no media =="
"$BENCH" search "$WORK/library.db" "${LIBRARY_EPISODES:-2000}" "${LIBRARY_LINES:-40}"
echo
"$BENCH" search "postgresql:///library?host=$PGDIR&user=dramaloc" "${LIBRARY_EPISODES:-2000}" "${LIBRARY_LINES:-40}"
echo
echo "== content review =="
"$BENCH" review "${REVIEW_TERMS:-10000}" "${REVIEW_PATTERNS:-10000}"
