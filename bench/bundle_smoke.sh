#!/usr/bin/env bash
# Build the PyInstaller one-folder bundle (build.spec) and prove it works on Linux:
# --version, init --demo, stats --json, migrations and fonts inside, no dangling library,
# and the window offscreen (and, when Xvfb is installed, mapped on a real X server).
#
#   bash bench/bundle_smoke.sh            # uses .venv, builds into dist/louyuan
#   VENV=/path/to/venv DIST=/tmp/d bash bench/bundle_smoke.sh
#
# Not part of .ci/run (the build takes about a minute and the bundle ~180 MB).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
VENV="${VENV:-$ROOT/.venv}"
DIST="${DIST:-$ROOT/dist}"
WORK="${WORK:-$ROOT/build/pyinstaller}"
BUNDLE="$DIST/louyuan"
EXE="$BUNDLE/louyuan"
GUI_SECONDS="${GUI_SECONDS:-8}"

SCRATCH="$(mktemp -d /tmp/louyuan-bundle.XXXXXX)"
trap 'rm -rf "$SCRATCH"' EXIT
# Never touch the real data folder or Qt settings of whoever runs this.
export LOUYUAN_DATA_DIR="$SCRATCH/data" XDG_CONFIG_HOME="$SCRATCH/config"
unset LOUYUAN_DB

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
fail() { echo "FAIL: $*" >&2; exit 1; }
report() { printf '%-34s %s\n' "$1" "$2"; }

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q -c requirements/lock.txt -e '.[bundle]' </dev/null
command -v objdump >/dev/null || {
  [ "$(id -u)" -ne 0 ] || apt-get install -y -qq --no-install-recommends binutils >/dev/null
}

echo "==> pyinstaller build.spec"
t0="$(now)"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" build.spec </dev/null
build_s="$(elapsed "$t0")"
[ -x "$EXE" ] || fail "no $EXE"

echo "==> contents"
for path in db/migrations/env.py db/migrations/versions resources/fonts/wqy-microhei.ttc \
    resources/fonts/LICENSE-wqy-microhei.txt; do
  [ -e "$BUNDLE/_internal/$path" ] || fail "missing _internal/$path"
done
# Every library a binary in the bundle needs is in the bundle or on any desktop Linux:
# in particular nothing still needs one of the libraries build.spec leaves out.
"$VENV/bin/python" - "$BUNDLE" <<'EOF'
import pathlib, subprocess, sys
root = pathlib.Path(sys.argv[1])
dropped = ("libatk-1.0", "libcairo", "libgdk_pixbuf", "libpango", "libpixman", "libthai",
           "libdatrie", "libfribidi", "libharfbuzz", "libgraphite2", "libjpeg",
           "libQt6EglFS", "libQt6Network")
bad = []
for f in root.rglob("*.so*"):
    if not f.is_file():
        continue
    out = subprocess.run(["objdump", "-p", str(f)], capture_output=True, text=True).stdout
    needed = [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]
    bad += [f"{f.relative_to(root)} needs {n}" for n in needed
            if n.startswith(dropped) and not any(root.rglob(n))]
if bad:
    sys.exit("dangling libraries:\n" + "\n".join(bad))
print("no binary needs a left-out library")
EOF

echo "==> command line"
t0="$(now)"; version="$("$EXE" --version)"; version_s="$(elapsed "$t0")"
want="louyuan $("$VENV/bin/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
[ "$version" = "$want" ] || fail "--version said '$version', pyproject says '$want'"
DB="$SCRATCH/smoke.sqlite3"
t0="$(now)"; "$EXE" --db "$DB" init --demo; init_s="$(elapsed "$t0")"
t0="$(now)"; "$EXE" --db "$DB" stats --json >"$SCRATCH/stats.json"; stats_s="$(elapsed "$t0")"
"$VENV/bin/python" - "$SCRATCH/stats.json" <<'EOF'
import json, sys
figures = json.load(open(sys.argv[1], encoding="utf-8"))
for key in ("compounds", "buildings", "households", "residents"):
    assert figures[key] > 0, (key, figures)
print("stats:", {k: figures[k] for k in ("compounds", "buildings", "households", "residents")})
EOF

echo "==> users, backup, restore"
# Changes and personal data need a signed-in person: the demo's administrator.
export LOUYUAN_USER=admin LOUYUAN_PASSWORD=demo1234
printf 'clerk-pass-1\n' | "$EXE" --db "$DB" users add smoke --role clerk --password-stdin
"$EXE" --db "$DB" users list | grep -q "^smoke" || fail "users list"
t0="$(now)"; "$EXE" --db "$DB" backup "$SCRATCH/copy.sqlite3"; backup_s="$(elapsed "$t0")"
t0="$(now)"; "$EXE" --db "$DB" restore "$SCRATCH/copy.sqlite3"; restore_s="$(elapsed "$t0")"
unset LOUYUAN_USER LOUYUAN_PASSWORD

echo "==> window, offscreen"
# With LOUYUAN_SMOKE=1 the window quits by itself after its first paint (exit 0). Without that
# hook the window must still be up and healthy after GUI_SECONDS.
t0="$(now)"
rc=0
# --demo signs in as the demo administrator (a real database asks for a password first).
LOUYUAN_SMOKE=1 QT_QPA_PLATFORM=offscreen timeout "$GUI_SECONDS" "$EXE" --db "$DB" --demo \
  >"$SCRATCH/gui.out" 2>&1 </dev/null || rc=$?
gui_s="$(elapsed "$t0")"
if grep -q "Traceback\|CRITICAL\|Fatal" "$SCRATCH/gui.out" "$LOUYUAN_DATA_DIR"/logs/*.log; then
  cat "$SCRATCH/gui.out"; fail "the window logged an error"
fi
case "$rc" in
  0) gui_result="painted and closed itself (LOUYUAN_SMOKE) in ${gui_s}s" ;;
  124) gui_result="still running after ${GUI_SECONDS}s, no error logged (no LOUYUAN_SMOKE hook)" ;;
  *) cat "$SCRATCH/gui.out"; fail "the window exited with $rc" ;;
esac
grep -q "starting on" "$LOUYUAN_DATA_DIR"/logs/louyuan.log || fail "the window never started"

xvfb_result="skipped (apt-get install xvfb x11-utils)"
if command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null; then
  echo "==> window, on Xvfb"
  cat >"$SCRATCH/xvfb.sh" <<'EOF'
set -u
start="$(date +%s.%N)"
"$1" --db "$2" --demo >"$3" 2>&1 </dev/null &
pid=$!
mapped() {
  # A viewable top-level window of ours (WM_CLASS "louyuan"), not Qt's 1x1 helper windows.
  local id
  for id in $(xwininfo -root -tree 2>/dev/null \
      | awk '/\("louyuan" "louyuan"\)/ && $0 ~ /[0-9][0-9][0-9]+x[0-9][0-9][0-9]+/ {print $1}'); do
    xwininfo -id "$id" 2>/dev/null | grep -q "IsViewable" && return 0
  done
  return 1
}
for _ in $(seq 1 300); do
  if mapped; then
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }'
    kill "$pid"; wait "$pid" 2>/dev/null
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || exit 3
  sleep 0.1
done
kill "$pid"; exit 4
EOF
  if mapped_s="$(QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
      bash "$SCRATCH/xvfb.sh" "$EXE" "$DB" "$SCRATCH/xvfb.out")"; then
    xvfb_result="main window mapped ${mapped_s}s after process start"
  else
    cat "$SCRATCH/xvfb.out"; fail "no window on Xvfb"
  fi
fi

echo
echo "==> bundle smoke passed"
report "bundle" "$BUNDLE"
report "size" "$(du -sh "$BUNDLE" | cut -f1) ($(find "$BUNDLE" -type f | wc -l) files)"
report "build" "${build_s}s"
report "louyuan --version" "${version_s}s ($version)"
report "init --demo (3,000 households)" "${init_s}s"
report "stats --json" "${stats_s}s"
report "backup / restore (3,000 households)" "${backup_s}s / ${restore_s}s"
report "window offscreen" "$gui_result"
report "window on Xvfb" "$xvfb_result"
