#!/usr/bin/env bash
# The localize benchmark (`./bench/run.sh localize`, also part of `make bench`): speed,
# orchestration overhead, peak memory and quality of `dramaloc localize` on generated
# episodes. Figures are printed, nothing is pass/fail (bench/README.md).
#   LOCALIZE_SECONDS=n   duration of the main episode (default 90)
#   LONG_SECONDS=n       duration of the long episode for the memory figure (default 900; 0 skips it)
#   LOCALIZE_TO=a,b      target languages (default es,fr)
#   BENCH_JOBS=n         --jobs given to dramaloc (default 2)
#   BENCH_WORK=dir       keep the working files there (default: a temporary folder, removed)
#   BUILD_DIR=dir        where the release build is (default: build/release)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build/release}"
SHORT="${LOCALIZE_SECONDS:-90}"
LONG="${LONG_SECONDS:-900}"
TO="${LOCALIZE_TO:-es,fr}"
JOBS="${BENCH_JOBS:-2}"
if [[ -n "${BENCH_WORK:-}" ]]; then
  WORK="$BENCH_WORK"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
fi
DRAMALOC="$BUILD/src/cli/dramaloc"
QUALITY="$BUILD/bench/localize_quality"
for exe in "$DRAMALOC" "$QUALITY"; do
  [[ -x "$exe" ]] || { echo "bench: $exe is missing; run 'make build' first"; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is needed for peak memory (apt-get install time)"; exit 1; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
row() { printf '%-46s %14s   %s\n' "$1" "$2" "${3:-}"; }
max_rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
cpu_percent() { awk -F': ' '/Percent of CPU this job got/ { print $2 }' "$1"; }

# make_episode SECONDS [NAME [SAMPLE OPTIONS...]] -> $WORK/NAME.mp4 (+ .json; NAME defaults to epSECONDS), timed
make_episode() {
  local seconds="$1" name="${2:-ep$1}"; shift; [[ $# -gt 0 ]] && shift
  local ep="$WORK/$name.mp4"
  if [[ ! -f "$ep" || ! -f "$WORK/$name.json" ]]; then
    local t0; t0=$(now)
    "$DRAMALOC" sample make "$ep" --seconds "$seconds" "$@" >/dev/null 2>"$WORK/sample-$name.log" \
      || { cat "$WORK/sample-$name.log" >&2; exit 1; }
    echo "generated a $seconds s 1080x1920 sample episode ($name) in $(elapsed "$t0" "$(now)") s" >&2
  fi
  echo "$ep"
}

# localize EPISODE OUT STORE TIMEFILE [TARGETS] -> sets WALL (seconds, whole process) and COMPUTED (stages)
localize() {
  local t0 log="$4.out"
  t0=$(now)
  /usr/bin/time -v -o "$4" "$DRAMALOC" localize "$1" --from en --to "${5:-$TO}" --out "$2" --store "$3" --jobs "$JOBS" -q >"$log" \
    || { echo "bench: dramaloc localize $1 failed (see $4)"; exit 1; }
  WALL="$(elapsed "$t0" "$(now)")"
  COMPUTED="$(sed -n 's/.*: \([0-9]*\) stages computed.*/\1/p' "$log")"
}

echo "== localize (${SHORT} s episode, --to $TO, --jobs $JOBS, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)) =="
EP="$(make_episode "$SHORT")"
NAME="$(basename "$EP" .mp4)"
OUT="$WORK/out$SHORT"
STORE="$WORK/store$SHORT"
rm -rf "$OUT" "$STORE"

localize "$EP" "$OUT" "$STORE" "$WORK/cold$SHORT.time"; COLD="$WALL" COLD_N="$COMPUTED"
cp "$OUT/$NAME/manifest.json" "$WORK/manifest.cold.json"
localize "$EP" "$OUT" "$STORE" "$WORK/warm$SHORT.time"; WARM="$WALL" WARM_N="$COMPUTED"
SHORT_RSS="$(max_rss_mb "$WORK/cold$SHORT.time")"

printf '%-46s %14s   %s\n' "figure" "value" "target / notes"
row "cold run wall time" "${COLD} s" "$COLD_N stages computed, fresh store; CPU $(cpu_percent "$WORK/cold$SHORT.time") of one core"
row "cold wall / episode duration" "$(awk -v w="$COLD" -v d="$SHORT" 'BEGIN { printf "%.2f", w / d }')" "target <= 0.5"
row "warm re-run wall time" "${WARM} s" "$WARM_N stages computed (everything reused)"
row "warm re-run / cold run" "$(awk -v w="$WARM" -v c="$COLD" 'BEGIN { printf "%.1f %%", 100 * w / c }')" "target <= 2 %"
"$QUALITY" stages "$WORK/manifest.cold.json" "$JOBS" "$COLD"
row "peak memory (max RSS), ${SHORT} s episode" "${SHORT_RSS} MB" "target <= 500 MB (cold run)"
row "peak memory (max RSS), warm re-run" "$(max_rss_mb "$WORK/warm$SHORT.time") MB"

if [[ "$LONG" -gt 0 ]]; then
  LEP="$(make_episode "$LONG")"
  rm -rf "$WORK/out$LONG" "$WORK/store$LONG"
  localize "$LEP" "$WORK/out$LONG" "$WORK/store$LONG" "$WORK/cold$LONG.time"; LCOLD="$WALL" LCOLD_N="$COMPUTED"
  localize "$LEP" "$WORK/out$LONG" "$WORK/store$LONG" "$WORK/warm$LONG.time"; LWARM="$WALL"
  LONG_RSS="$(max_rss_mb "$WORK/cold$LONG.time")"
  row "peak memory (max RSS), ${LONG} s episode" "${LONG_RSS} MB" \
    "target <= 500 MB, flat: $(awk -v a="$LONG_RSS" -v b="$SHORT_RSS" 'BEGIN { printf "%.2fx", a / b }') the ${SHORT} s figure"
  row "  ${LONG} s episode: cold wall / duration" "$(awk -v w="$LCOLD" -v d="$LONG" 'BEGIN { printf "%.2f", w / d }')" \
    "${LCOLD} s, $LCOLD_N stages computed; CPU $(cpu_percent "$WORK/cold$LONG.time") of one core"
  row "  ${LONG} s episode: warm re-run / cold run" "$(awk -v w="$LWARM" -v c="$LCOLD" 'BEGIN { printf "%.1f %%", 100 * w / c }')" \
    "${LWARM} s; target <= 2 %"
  echo "  -- ${LONG} s episode, stages --"
  "$QUALITY" stages "$WORK/out$LONG/ep$LONG/manifest.json" "$JOBS" "$LCOLD" | sed 's/^/  /'
fi

"$QUALITY" quality "$WORK/$NAME.json" "$OUT/$NAME" "$STORE"

# Dub onsets: whether each line's dub starts with its voice, with music 20 dB under the speech
# and with none (the same script and pauses; a line that runs two speakers' lines together
# starts the second one's dub late). French only: the onsets do not depend on the language.
echo "-- dub onsets (${ONSET_SECONDS:-90} s episodes, seed 7, --to fr) --"
for music in -20 none; do
  name="onsets-music$music"
  OEP="$(make_episode "${ONSET_SECONDS:-90}" "$name" --music "$music" --seed 7)"
  rm -rf "$WORK/out-$name" "$WORK/store-$name"
  localize "$OEP" "$WORK/out-$name" "$WORK/store-$name" "$WORK/$name.time" fr
  [[ "$music" == none ]] && echo "  no music:" || echo "  music ${music#-} dB under the speech:"
  "$QUALITY" quality "$WORK/$name.json" "$WORK/out-$name/$name" "$WORK/store-$name" \
    | grep -E "onsets|speaker attribution|lines: reference" | sed 's/^/  /'
done
