#!/usr/bin/env bash
# The benchmarks in one command (`make bench`). Figures are printed, nothing is pass/fail.
#   ./bench/run.sh [all|media|localize|hardsubs|asr|translate|voices|factory|serve|library|delivery|board]   which benchmarks (default all); localize is
#                                         bench/localize_bench.sh (its own variables there);
#                                         hardsubs is build/.../bench/hardsubs_bench (HARDSUBS_SECONDS);
#                                         asr is asr_real_bench on ASR_RECORDINGS=dir (NAME.wav + NAME.txt)
#   BENCH_INPUT=path.mp4  use this episode instead of generating a 3-minute sample
#   BENCH_WORK=dir        keep the working files there (default: a temporary folder, removed)
#   BUILD_DIR=dir         where the release build is (default: build/release)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build/release}"
WHICH="${1:-all}"
case "$WHICH" in
  all|media|hardsubs|asr|translate|voices) ;;
  localize) exec env BUILD_DIR="$BUILD" "$ROOT/bench/localize_bench.sh" ;;
  factory) exec env BUILD_DIR="$BUILD" "$ROOT/bench/factory_bench.sh" ;;
  serve) exec env BUILD_DIR="$BUILD" "$ROOT/bench/serve_bench.sh" ;;
  library) exec env BUILD_DIR="$BUILD" "$ROOT/bench/library_bench.sh" ;;
  delivery)
    W="${BENCH_WORK:-$(mktemp -d)}"
    exec "$BUILD/bench/delivery_bench" "$BUILD/src/cli/dramaloc" "$W/delivery" "${DELIVERY_EPISODES:-12}" "${DELIVERY_SECONDS:-30}" \
      "${DELIVERY_LANGS:-es,fr,pt,it,ca}" ;;
  board)
    W="${BENCH_WORK:-$(mktemp -d)}"
    exec "$BUILD/bench/board_bench" "$BUILD/src/cli/dramaloc" "$W/board" "${BOARD_SERIES:-100}" "${BOARD_EPISODES:-80}" \
      "${BOARD_LANGS:-en,es,ar,th,fr,pt}" "${BOARD_CALLS:-60}" ;;
  *) echo "usage: bench/run.sh [all|media|localize|hardsubs|asr|translate|voices|factory|serve|library|delivery|board]"; exit 2 ;;
esac
if [[ -n "${BENCH_WORK:-}" ]]; then
  WORK="$BENCH_WORK"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
fi
run_hardsubs() {
  [[ -x "$BUILD/bench/hardsubs_bench" ]] || { echo "bench: $BUILD/bench/hardsubs_bench is missing; run 'make build' first"; exit 1; }
  echo "== burned-in subtitles (${HARDSUBS_SECONDS:-20} s episodes, every condition; BENCH_REAL_CLIPS=a.mp4,b.mp4 adds real footage) =="
  "$BUILD/bench/hardsubs_bench" "$WORK/hardsubs" "${HARDSUBS_SECONDS:-20}"
}
run_translate() {
  if [[ -x "$BUILD/bench/translate_bench" ]]; then
    "$BUILD/bench/translate_bench"
    echo
    "$BUILD/bench/fit_loop_bench" "$BUILD/src/cli/dramaloc" "$WORK/fit" "${FIT_SECONDS:-60}"
    echo
    "$BUILD/bench/voice_clone_bench" "$BUILD/src/cli/dramaloc" "$WORK/clone" "${CLONE_SECONDS:-90}"
  else
    echo "bench: $BUILD/bench/translate_bench is missing (it is built with the tests: DRAMALOC_BUILD_TESTS=ON)"; fi
}
# The sample's voices against the ones it used before (bench/README.md; VOICES=all measures
# every candidate, about 10 minutes on 2 cores).
run_voices() {
  [[ -x "$BUILD/bench/asr_voices_bench" ]] || { echo "bench: $BUILD/bench/asr_voices_bench is missing; run 'make build' first"; exit 1; }
  if [[ "${VOICES:-}" == all ]]; then "$BUILD/bench/asr_voices_bench"
  else "$BUILD/bench/asr_voices_bench" standard en-us+f5@60/160 en-us+adam@25/165 en-us+klatt@45/150 en+f2@70/160 en+m3@20/165 en+m7@40/140; fi
}
# The embedded recogniser on real recordings of people (bench/README.md says which and where
# they come from; they are not part of the project).
run_asr() {
  [[ -x "$BUILD/bench/asr_real_bench" ]] || { echo "bench: $BUILD/bench/asr_real_bench is missing; run 'make build' first"; exit 1; }
  if [[ -z "${ASR_RECORDINGS:-}" ]]; then
    echo "== speech recognition on real recordings: skipped (set ASR_RECORDINGS to a folder of NAME.wav + NAME.txt; bench/README.md) =="
    return
  fi
  echo "== speech recognition on real recordings (${ASR_RECORDINGS}) =="
  "$BUILD/bench/asr_real_bench" "$ASR_RECORDINGS" -20
}
if [[ "$WHICH" == hardsubs ]]; then run_hardsubs; exit 0; fi
if [[ "$WHICH" == asr ]]; then run_asr; exit 0; fi
if [[ "$WHICH" == voices ]]; then run_voices; exit 0; fi
if [[ "$WHICH" == translate ]]; then run_translate; exit 0; fi

for tool in ffmpeg ffprobe; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed as the baseline (scripts/install-deps.sh)"; exit 1; }
done
[[ -x "$BUILD/bench/media_bench" ]] || { echo "bench: $BUILD/bench/media_bench is missing; run 'make build' first"; exit 1; }

if [[ -n "${BENCH_INPUT:-}" ]]; then
  EPISODE="$BENCH_INPUT"
else
  EPISODE="$WORK/episode.mp4"
  echo "generating a 3-minute 1080x1920 sample episode…"
  "$BUILD/src/cli/dramaloc" sample make "$EPISODE" --seconds 180
fi

# Five pre-encoded dubs (AAC in .m4a), as a TTS + mix stage would leave them.
for i in 1 2 3 4 5; do
  ffmpeg -v error -y -f lavfi -i "sine=frequency=$((200 + 100 * i)):sample_rate=48000" -ac 2 -t 180 \
    -c:a aac -b:a 128k "$WORK/dub$i.m4a"
done

echo "== media =="
"$BUILD/bench/media_bench" "$EPISODE" "$WORK"

if [[ "$WHICH" == all ]]; then
  echo
  # A working folder of its own under ours, so BENCH_WORK keeps both and the trap removes both.
  BENCH_WORK="$WORK/localize" BUILD_DIR="$BUILD" "$ROOT/bench/localize_bench.sh"
  echo
  run_hardsubs
  echo
  run_asr
  echo
  run_translate
  echo
  run_voices
fi
