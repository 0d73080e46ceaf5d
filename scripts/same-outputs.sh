#!/usr/bin/env bash
# Do two builds of dramaloc make the same outputs? For a change that must not change a byte
# (moving code, typing what stages pass): run it with the build before and the build after.
#
#   scripts/same-outputs.sh OLD_DRAMALOC NEW_DRAMALOC [WORK]
#
# Material (made by OLD's `sample make`): a series of three English episodes through
# `dramaloc run` (es, fr; es burned in), one edited line (`dramaloc edit`), a Chinese episode
# with burned-in subtitles read, removed and burned in again, and an episode whose studio
# script is the source. Each is run by OLD, then by NEW from an empty store in the same
# place, and every output file is compared byte for byte; a JSON file that differs is compared
# again without what a run measures of itself (stage and wall times, file times, the time of
# an edit, the cost of inpainting), so the stages' keys in the manifests are compared too.
# OLD runs twice: a file it does not make the same twice is named and not compared (so far: a
# video burned in after removing burned-in subtitles). Last, NEW runs again on OLD's store: it
# must make nothing (every stage key is the same).
# Exit 0 when all holds; otherwise one line per difference and exit 1.
set -euo pipefail
OLD="$(realpath "$1")"
NEW="$(realpath "$2")"
WORK="${3:-$(mktemp -d /tmp/dramaloc-same-XXXXXX)}"
mkdir -p "$WORK"
WORK="$(realpath "$WORK")"
export DRAMALOC_USER=same-outputs
SRC="$WORK/src"
if [[ ! -f "$SRC/.made" ]]; then
  rm -rf "$SRC"
  mkdir -p "$SRC/episodes"
  "$OLD" sample make "$SRC/episodes/ep1.mp4" --seconds 20 --seed 1 -q
  "$OLD" sample make "$SRC/episodes/ep2.mp4" --seconds 20 --seed 2 -q
  "$OLD" sample make "$SRC/episodes/ep3.mp4" --seconds 15 --seed 3 --music -6 -q
  "$OLD" sample make "$SRC/zh1.mp4" --seconds 15 --hardsubs zh --background busy -q
  "$OLD" sample make "$SRC/scripted.mp4" --seconds 15 --seed 4 -q
  python3 - "$SRC/scripted.json" "$SRC/scripted.srt" <<'PY'
import json, sys
lines = json.load(open(sys.argv[1]))["script"]["lines"]
t = lambda ms: "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)
with open(sys.argv[2], "w") as f:
    for i, l in enumerate(lines, 1):
        f.write("%d\n%s --> %s\n%s\n\n" % (i, t(l["start_ms"]), t(l["end_ms"]), l["text"]))
PY
  cat > "$SRC/series.toml" <<'TOML'
[series]
title = "Same outputs"
from = "en"
to = ["es", "fr"]
episodes = ["episodes/ep*.mp4"]
out = "out"
burn_in = ["es"]
TOML
  touch "$SRC/.made"
fi

# One build's outputs in RUN (a copy of the material, always at the same path).
run_all() {
  local bin="$1" RUN="$WORK/run"
  rm -rf "$RUN"
  cp -r "$SRC" "$RUN"
  (cd "$RUN" && "$bin" run series.toml --jobs 2 > run.log 2>&1)
  (cd "$RUN" && "$bin" edit series.toml -e ep2 --lang es --line 2 --text "Una línea cambiada por una persona." > edit.log 2>&1)
  (cd "$RUN" && "$bin" localize zh1.mp4 --from zh --source both --burn-in zh --remove-hardsubs --out zh -q -j 2 > zh.log 2>&1)
  (cd "$RUN" && "$bin" localize scripted.mp4 --script scripted.srt --to es --out scripted -q -j 2 > scripted.log 2>&1)
}

echo "same-outputs: running the old build ($OLD)"
run_all "$OLD"
rm -rf "$WORK/old"
mv "$WORK/run" "$WORK/old"
echo "same-outputs: running the old build again (what it does not make the same twice is not compared)"
run_all "$OLD"
rm -rf "$WORK/old2"
mv "$WORK/run" "$WORK/old2"
echo "same-outputs: running the new build ($NEW)"
run_all "$NEW"
rm -rf "$WORK/new"
mv "$WORK/run" "$WORK/new"

set +e
python3 - "$WORK/old" "$WORK/new" "$WORK/old2" <<'PY'
import json, os, sys
old, new, old2 = sys.argv[1], sys.argv[2], sys.argv[3]
# What a run measures of itself: stage and wall times, file times, the time of an edit, the
# cost of inpainting a frame. Everything else must be equal.
VOLATILE = {"seconds", "wall_seconds", "published", "totals", "when", "inpaint_ms_per_frame", "blur_ms_per_frame"}
def files(root):
    out = set()
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".dramaloc")]
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), root)
            if n.endswith(".log") or n.startswith(".") or rel.startswith("episodes/") or "/" not in rel:
                continue
            out.add(rel)
    return out
def strip(v):
    if isinstance(v, dict): return {k: strip(x) for k, x in v.items() if k not in VOLATILE}
    if isinstance(v, list): return [strip(x) for x in v]
    return v
def same(f, p, q):
    x, y = open(os.path.join(p, f), "rb").read(), open(os.path.join(q, f), "rb").read()
    if x == y: return True, None
    if not f.endswith(".json"): return False, None
    jx, jy = strip(json.loads(x)), strip(json.loads(y))
    return jx == jy, (jx, jy)
a, b = files(old), files(new)
problems = ["missing in new: " + f for f in sorted(a - b)] + ["only in new: " + f for f in sorted(b - a)]
for f in sorted(a & b):
    equal, parsed = same(f, old, new)
    if equal: continue
    if os.path.exists(os.path.join(old2, f)) and not same(f, old, old2)[0]:
        print("not compared: %s (the old build does not make it the same twice)" % f)
        continue
    if parsed:
        jx, jy = parsed
        tx, ty = json.dumps(jx, indent=1, sort_keys=True).splitlines(), json.dumps(jy, indent=1, sort_keys=True).splitlines()
        first = next((i for i in range(min(len(tx), len(ty))) if tx[i] != ty[i]), min(len(tx), len(ty)))
        problems.append("differs: %s (first at: %s | %s)" % (f, tx[first].strip() if first < len(tx) else "-", ty[first].strip() if first < len(ty) else "-"))
    else:
        problems.append("differs: " + f)
for p in problems: print(p)
print("same-outputs: %d files compared" % len(a & b))
sys.exit(1 if problems else 0)
PY
differences=$?
set -e
# The new build over the old build's store: every key the same, nothing made.
rm -rf "$WORK/reuse"
cp -r "$WORK/old" "$WORK/reuse"
(cd "$WORK/reuse" && "$NEW" localize scripted.mp4 --script scripted.srt --to es --out scripted -j 2 > reuse.log 2>&1)
(cd "$WORK/reuse" && "$NEW" localize zh1.mp4 --from zh --source both --burn-in zh --remove-hardsubs --out zh -j 2 >> reuse.log 2>&1)
for m in "$WORK/reuse/scripted/scripted/manifest.json" "$WORK/reuse/zh/zh1/manifest.json"; do
  made=$(python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))["run"]["stages"] if not r["reused"]))' "$m" 2>/dev/null || echo "?")
  if [[ "$made" != 0 ]]; then
    echo "the new build made $made stages again over the old build's store ($m)"; differences=$((differences + 1))
  fi
done

echo "same-outputs: $differences differences (work: $WORK)"
[[ $differences == 0 ]]
