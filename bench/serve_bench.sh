#!/usr/bin/env bash
# The review station's figures (bench/README.md, "Review station"): a generated episode of
# SERVE_SECONDS (90) run from English into Spanish with the embedded engines, served by
# `dramaloc serve`, then bench/serve_load.mjs: CLIENTS (100) clients each with the event
# stream open reading lines, EDITORS (10) of them saving a line every 2 s, for LOAD_SECONDS
# (30); p50/p99 latency against a one-client baseline, errors, server memory; a crowd of
# STREAMS (1000) event streams and SLOW (200) byte-a-second clients while READERS (50) read;
# then an edited line until its re-rendered episode is available, against the episode's first run.
# Variables: SERVE_SECONDS, CLIENTS, EDITORS, LOAD_SECONDS, THINK_MS, STREAMS, SLOW, READERS,
# CROWD_SECONDS, BUILD_DIR, BENCH_WORK.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build/release}"
DRAMALOC="$BUILD/src/cli/dramaloc"
LENGTH="${SERVE_SECONDS:-90}"
[[ -x "$DRAMALOC" ]] || { echo "bench: $DRAMALOC is missing; run 'make build' first"; exit 1; }
command -v node >/dev/null || { echo "bench: node is missing (scripts/install-deps.sh)"; exit 1; }
if [[ -n "${BENCH_WORK:-}" ]]; then WORK="$BENCH_WORK"; mkdir -p "$WORK"; else WORK="$(mktemp -d /tmp/dramaloc-serve-XXXXXX)"; fi
SERVER=""
cleanup() {
  [[ -n "$SERVER" ]] && kill -INT "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [[ -z "${BENCH_WORK:-}" ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== review station: one $LENGTH s episode, en -> es, embedded engines =="
mkdir -p "$WORK/episodes"
[[ -f "$WORK/episodes/ep01.mp4" ]] || "$DRAMALOC" sample make "$WORK/episodes/ep01.mp4" --seconds "$LENGTH" --seed 7 --music -12 -q
cat > "$WORK/station.toml" <<TOML
[series]
title = "bench"
from = "en"
to = ["es"]
episodes = ["episodes/ep*.mp4"]
out = "out"
TOML
rm -rf "$WORK/out"
start=$(date +%s.%N)
"$DRAMALOC" run "$WORK/station.toml" -q
run_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
printf 'first run of the episode (the baseline for a re-render): %.1f s\n' "$run_s"
VIEWER=$("$DRAMALOC" token create "$WORK/station.toml" --role viewer --label bench-viewer)
EDITOR=$("$DRAMALOC" token create "$WORK/station.toml" --role editor --label bench-editor)

# Every client of the bench comes from 127.0.0.1: the per-address cap is lifted to the total.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
"$DRAMALOC" serve "$WORK/station.toml" --listen 127.0.0.1:0 --max-connections-per-client 4096 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 100); do grep -q "serving" "$WORK/serve.log" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1)
[[ -n "$URL" ]] || { echo "bench: dramaloc serve did not start:"; cat "$WORK/serve.log"; exit 1; }
node "$ROOT/bench/serve_load.mjs" "$URL" "$VIEWER" "$EDITOR" station ep01 es "$SERVER" | tee "$WORK/load.txt"
render_s=$(sed -n 's/^RENDER_MEDIAN_S=//p' "$WORK/load.txt")
awk -v r="$render_s" -v f="$run_s" -v l="$LENGTH" 'BEGIN {
  printf "edit -> re-rendered: %.2f s = %.1f %% of the first run (%.1f s), %.1f %% of the episode (%d s)\n", r, 100 * r / f, f, 100 * r / l, l }'
