#!/bin/sh
# Runs every subtitle fuzz target for SECONDS each, seeded from fuzz/corpus/<format>/.
# usage: fuzz/run.sh BUILD_DIR SECONDS      (e.g. fuzz/run.sh build/fuzz 60)
# New corpus entries go to BUILD_DIR/fuzz-corpus/<format>/ (the seeds stay untouched);
# crashes are saved as BUILD_DIR/fuzz-artifacts/<format>-crash-*.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
status=0
for format in srt vtt ass ttml; do
  target="$build/fuzz/fuzz_$format"
  if [ ! -x "$target" ]; then
    echo "$target not built; run: cmake --preset fuzz && cmake --build --preset fuzz" >&2
    exit 2
  fi
  corpus="$build/fuzz-corpus/$format"
  artifacts="$build/fuzz-artifacts"
  mkdir -p "$corpus" "$artifacts"
  echo "== $format: ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts/$format-" -print_final_stats=1 \
      "$corpus" "$here/corpus/$format" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)|Done [0-9]+ runs"; then
    :
  fi
  if ls "$artifacts/$format-"* >/dev/null 2>&1; then
    echo "!! $format: crash artifacts in $artifacts" >&2
    status=1
  fi
done
exit $status
