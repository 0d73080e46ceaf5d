#!/usr/bin/env bash
# The factory's figures (bench/README.md, "Factory"), printed beside their targets:
#   1. the job store: claim+complete throughput and recovery after a worker's SIGKILL, on
#      SQLite and on a throwaway PostgreSQL cluster this script starts (initdb, Unix socket);
#   2. a generated series through `dramaloc run`: wall time as a share of the source's
#      duration; single-threaded worker processes, one then two (scaling efficiency); a re-run
#      with nothing changed, and one running every job again over the full artifact store;
#      how often a job opens the episode file (with strace); peak memory; one edited line.
# Variables: FACTORY_EPISODES (12), FACTORY_SECONDS (90), FACTORY_LANGS (es,fr,pt,it,ca),
# JOBS_N (5000 empty jobs), HEARTBEAT_MS (1000), BUILD_DIR, BENCH_WORK (keep files there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build/release}"
DRAMALOC="$BUILD/src/cli/dramaloc"
EPISODES="${FACTORY_EPISODES:-12}"
LENGTH="${FACTORY_SECONDS:-90}"
LANGS="${FACTORY_LANGS:-es,fr,pt,it,ca}"
for b in "$DRAMALOC" "$BUILD/bench/jobs_bench"; do
  [[ -x "$b" ]] || { echo "bench: $b is missing; run 'make build' first"; exit 1; }
done
if [[ -n "${BENCH_WORK:-}" ]]; then WORK="$BENCH_WORK"; mkdir -p "$WORK"; else WORK="$(mktemp -d /tmp/dramaloc-factory-XXXXXX)"; fi

# A throwaway PostgreSQL cluster (as the tests make one).
source "$ROOT/bench/postgres.sh"
PGDIR=""
cleanup() {
  [[ -n "$PGDIR" ]] && stop_postgres
  if [[ -z "${BENCH_WORK:-}" ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
start_postgres jobsbench series
PGURL="postgresql:///series?host=$PGDIR&user=dramaloc"
JOBSURL="postgresql:///jobsbench?host=$PGDIR&user=dramaloc"

echo "== job store (${JOBS_N:-5000} empty jobs; heartbeat ${HEARTBEAT_MS:-1000} ms) =="
"$BUILD/bench/jobs_bench" "sqlite:$WORK/jobs-bench.db" "${JOBS_N:-5000}" "${HEARTBEAT_MS:-1000}"
"$BUILD/bench/jobs_bench" "$JOBSURL" "${JOBS_N:-5000}" "${HEARTBEAT_MS:-1000}"

echo
echo "== a series: $EPISODES episodes of $LENGTH s, en -> $LANGS, embedded engines =="
mkdir -p "$WORK/episodes"
for i in $(seq 1 "$EPISODES"); do
  ep="$WORK/episodes/ep$(printf %02d "$i").mp4"
  [[ -f "$ep" ]] || "$DRAMALOC" sample make "$ep" --seconds "$LENGTH" --seed "$i" -q >/dev/null
done
langs_toml="$(echo "$LANGS" | sed 's/[^,][^,]*/"&"/g; s/,/, /g')"
source_s=$((EPISODES * LENGTH))
series() {  # series() OUT: a series file writing into OUT
  printf '[series]\ntitle = "bench"\nfrom = "en"\nto = [%s]\nepisodes = ["episodes/ep*.mp4"]\nout = "%s"\n' "$langs_toml" "$1" >"$WORK/$1.toml"
  echo "$WORK/$1.toml"
}
calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
peak_mb() { awk '/Maximum resident set size/ {printf "%.0f", $NF/1024}' "$1"; }

# The series as a studio runs it on this machine: `dramaloc run` as it comes (a job per core,
# each job's lines on every core). Its wall time is the figure against the target.
s0="$(series default)"
t0=$(date +%s.%N)
/usr/bin/time -v "$DRAMALOC" run "$s0" -q >/dev/null 2>"$WORK/default.time"
wall0=$(calc "$(date +%s.%N) - $t0")
# Scaling: single-threaded worker processes (one job at a time, one thread in it), one and
# then two sharing the plan through PostgreSQL, each with a fresh artifact store. A process
# is then the unit a studio adds, and efficiency shows what the store and the plan cost.
s1="$(series one)"
t0=$(date +%s.%N)
/usr/bin/time -v "$DRAMALOC" run "$s1" --db "$PGURL" --jobs 1 --threads-per-job 1 -q >/dev/null 2>"$WORK/one.time"
wall1=$(calc "$(date +%s.%N) - $t0")
s2="$(series two)"
"$DRAMALOC" run "$s2" --db "$PGURL" --jobs 1 --threads-per-job 1 -q --heartbeat 2 >/dev/null 2>"$WORK/two-run.log" &
run_pid=$!
# In its own process group: Ctrl-C for the worker reaches it, not only /usr/bin/time.
setsid /usr/bin/time -v "$DRAMALOC" worker --db "$PGURL" --jobs 1 --threads-per-job 1 -q --heartbeat 2 2>"$WORK/two-worker.time" &
worker_pid=$!
t0=$(date +%s.%N)
wait "$run_pid"
t2=$(date +%s.%N)
kill -INT -- "-$worker_pid" 2>/dev/null || true
wait "$worker_pid" 2>/dev/null || true
wall2=$(calc "$t2 - $t0")
# Nothing changed: the same plan again.
t0=$(date +%s.%N)
"$DRAMALOC" run "$s0" -q >/dev/null
rerun=$(calc "$(date +%s.%N) - $t0")

# Every job again over the full artifact store (a new job store): each job finds all its
# stages stored, opens no episode file it was told about and reads no audio.
t0=$(date +%s.%N)
"$DRAMALOC" run "$s0" --db "sqlite:$WORK/again.db" -q >/dev/null
rerun_all=$(calc "$(date +%s.%N) - $t0")

# One edited line: `dramaloc edit` (the edit recorded, the episode rendered again) against
# that episode's full time run alone from nothing. That run and the re-run of every job are
# also watched with strace (when it is installed) for how often they open the episode file.
first_lang="${LANGS%%,*}"
s3="$(series solo)"
opens() {  # opens FILE TRACE: openat calls of FILE in TRACE
  grep -c "openat(.*$(basename "$1")\"" "$2" || true
}
traced() {  # traced TRACE COMMAND…: COMMAND under strace when there is one
  local out="$1"; shift
  if command -v strace >/dev/null; then strace -f -qq -e trace=openat -o "$out" "$@"; else "$@"; fi
}
t0=$(date +%s.%N)
traced "$WORK/solo.trace" "$DRAMALOC" run "$s3" -e ep01 -q >/dev/null
solo=$(calc "$(date +%s.%N) - $t0")
traced "$WORK/again-solo.trace" "$DRAMALOC" run "$s3" -e ep01 --db "sqlite:$WORK/again-solo.db" -q >/dev/null
t0=$(date +%s.%N)
"$DRAMALOC" edit "$s0" -e ep01 --lang "$first_lang" --line 2 --text "Una línea que una persona ha corregido." --by bench -q >/dev/null
edit_s=$(calc "$(date +%s.%N) - $t0")

printf '  %-44s %8.1f s   %.2f of the source (target <= 0.30)\n' "dramaloc run, wall time" "$wall0" "$(calc "$wall0 / $source_s")"
printf '  %-44s %8.1f s   %.2f of the source\n' "1 single-threaded worker process" "$wall1" "$(calc "$wall1 / $source_s")"
printf '  %-44s %8.1f s   %.2f of the source\n' "2 single-threaded worker processes" "$wall2" "$(calc "$wall2 / $source_s")"
printf '  %-44s %8.0f %%   (target >= 90 %%)\n' "scaling efficiency 1 -> 2 processes" "$(calc "100 * $wall1 / (2 * $wall2)")"
printf '  %-44s %8.2f s   %.1f %% of the first run (target <= 2 %%)\n' "re-run, nothing changed" "$rerun" "$(calc "100 * $rerun / $wall0")"
printf '  %-44s %8.2f s   %.1f %% of the first run (target <= 1 %%)\n' "re-run, every job again, stages stored" "$rerun_all" "$(calc "100 * $rerun_all / $wall0")"
if command -v strace >/dev/null; then
  printf '  %-44s %8s     first run of ep01 (%s languages); every job again: %s (target 1)\n' "opens of the episode file" \
    "$(opens "$WORK/episodes/ep01.mp4" "$WORK/solo.trace")" "$(echo "$LANGS" | tr ',' '\n' | wc -l)" "$(opens "$WORK/episodes/ep01.mp4" "$WORK/again-solo.trace")"
fi
printf '  %-44s %8s MB   (target <= 500 MB)\n' "peak memory, dramaloc run" "$(peak_mb "$WORK/default.time")"
printf '  %-44s %8s MB\n' "peak memory, single-threaded worker" "$(peak_mb "$WORK/two-worker.time")"
printf '  %-44s %8.2f s   %.1f %% of the episode run alone, %.1f s (target <= 5 %%)\n' "one edited line (dramaloc edit), ep01 $first_lang" "$edit_s" "$(calc "100 * $edit_s / $solo")" "$solo"
