#!/usr/bin/env bash
# Two baocao binaries side by side in one run: before and after a change.
#   1. cold build: a whole `baocao build` process for the default report, alternating the two
#      binaries run after run (tests/bench/measure.py), so that load on the machine hits both;
#   2. a rebuild in watch after changing one figure (`baocao bench-rebuild`, the watch path),
#      the two binaries' rebuild series run one after the other, twice, in the order A B B A.
# Each binary builds the report of its own repository (data/, templates/, fonts/ as that version
# ships them), in a scratch copy. Prints each measure, and each ratio NEW / OLD.
#
# Usage: tests/bench/compare.sh OLD_BIN OLD_REPO NEW_BIN NEW_REPO
# Environment: RUNS (cold builds of each binary, default 15), REBUILDS (default 100).
set -euo pipefail

[[ $# == 4 ]] || { echo "usage: $0 OLD_BIN OLD_REPO NEW_BIN NEW_REPO" >&2; exit 2; }
OLD_BIN=$1 OLD_REPO=$2 NEW_BIN=$3 NEW_REPO=$4
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-15}
REBUILDS=${REBUILDS:-100}
# The estimate, not `thuc_hien: 155,108`, whose stated ratio would go stale and make every
# rebuild of a version that knows stated ratios draw the DỰ THẢO mark (see run.sh).
FIG_FILE=data/chi-tieu/kinh-te.yaml
FIG_FROM='uoc_thuc_hien: 182,575'
FIG_TO='uoc_thuc_hien: {n},575'

WORK=$(mktemp -d "${TMPDIR:-/tmp}/baocao-compare.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
for side in old new; do
    repo=$OLD_REPO; [[ $side == new ]] && repo=$NEW_REPO
    mkdir -p "$WORK/$side"
    cp -r "$repo/data" "$repo/templates" "$repo/fonts" "$WORK/$side/"
done
cd "$WORK"
OLD_CMD=("$OLD_BIN" build --root old -o old/out.pdf)
NEW_CMD=("$NEW_BIN" build --root new -o new/out.pdf)
for _ in 1 2; do "${OLD_CMD[@]}" >/dev/null; "${NEW_CMD[@]}" >/dev/null; done
echo "compare: $RUNS cold builds of each binary, alternating" >&2
python3 "$HERE/measure.py" "$RUNS" old -- "${OLD_CMD[@]}" new -- "${NEW_CMD[@]}" >cold.txt

rebuild() { # side bin -> median ms
    local side=$1 bin=$2
    rm -rf "r-$side" && cp -r "$side" "r-$side"
    "$bin" bench-rebuild --root "r-$side" -o "r-$side/out.pdf" --file "$FIG_FILE" \
        --from "$FIG_FROM" --to "$FIG_TO" --runs "$REBUILDS" | sed -n 's/^rebuild_median_ms=//p'
}
echo "compare: $REBUILDS rebuilds, order old new new old" >&2
R_OLD1=$(rebuild old "$OLD_BIN"); R_NEW1=$(rebuild new "$NEW_BIN")
R_NEW2=$(rebuild new "$NEW_BIN"); R_OLD2=$(rebuild old "$OLD_BIN")

col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' cold.txt; }
mean() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (a + b) / 2}'; }
R_OLD=$(mean "$R_OLD1" "$R_OLD2"); R_NEW=$(mean "$R_NEW1" "$R_NEW2")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %12s %12s %8s\n' measure old new new/old
printf '%-34s %12s %12s %8s\n' "cold build wall ms (median)" "$(col old 2)" "$(col new 2)" "$(ratio "$(col new 2)" "$(col old 2)")"
printf '%-34s %12s %12s %8s\n' "cold build CPU ms (median)" "$(col old 3)" "$(col new 3)" "$(ratio "$(col new 3)" "$(col old 3)")"
printf '%-34s %12s %12s %8s\n' "cold build peak RSS KiB (max)" "$(col old 4)" "$(col new 4)" "$(ratio "$(col new 4)" "$(col old 4)")"
printf '%-34s %12s %12s %8s\n' "rebuild ms (median, mean of 2)" "$R_OLD" "$R_NEW" "$(ratio "$R_NEW" "$R_OLD")"
printf '%-34s %12s %12s\n' "rebuild / cold build" "$(ratio "$R_OLD" "$(col old 2)")" "$(ratio "$R_NEW" "$(col new 2)")"
echo "rebuild series: old $R_OLD1 $R_OLD2, new $R_NEW1 $R_NEW2"
