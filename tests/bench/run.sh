#!/usr/bin/env bash
# Benchmark of baocao against the typst CLI, in one run, side by side:
#   1. cold build: a whole `baocao build` process for the default report;
#   2. the typst CLI compiling baocao's own `--emit-typst` markup with the same fonts
#      (`typst compile --ignore-system-fonts --font-path fonts/`);
#   3. a rebuild in watch after changing one figure, measured inside one long-running process
#      (`baocao bench-rebuild`: the same rebuild path as `baocao watch`), with its memory after
#      the first and the last of many rebuilds.
# Prints a Markdown table with ratios, peak memory, date and machine; `--update-readme` also
# writes it into README.md (section "Hiệu năng", between the bench markers).
#
# Usage: tests/bench/run.sh [--update-readme]
# Environment: RUNS (process runs of each command, default 15), REBUILDS (default 200),
#   TYPST (a typst 0.15.1 binary; default: `typst` on PATH, else the one this script installs
#   under BENCH_TOOLS, default ~/.cache/baocao-bench). Installing typst-cli takes many minutes
#   on 2 cores, so this script is not run in CI (it refuses to install when CI is set).
set -euo pipefail

UPDATE_README=0
[[ "${1:-}" == "--update-readme" ]] && UPDATE_README=1

REPO=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-15}
REBUILDS=${REBUILDS:-200}
TOOLS=${BENCH_TOOLS:-$HOME/.cache/baocao-bench}
TYPST_VERSION=0.15.1
# The figure changed for the rebuild: the budget revenue to 31/5 (it feeds several sentences
# and derived percentages).
FIG_FILE=${FIG_FILE:-data/chi-tieu/kinh-te.yaml}
FIG_FROM=${FIG_FROM:-thuc_hien: 155,108}
FIG_TO=${FIG_TO:-thuc_hien: {n},108}

die() { echo "bench: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (apt-get install time)"

# --- binaries -------------------------------------------------------------------------------
echo "bench: cargo build --release" >&2
(cd "$REPO" && cargo build --release --quiet)
BAOCAO="$REPO/target/release/baocao"

typst_ok() { [[ -n "$1" ]] && "$1" --version 2>/dev/null | grep -q "typst $TYPST_VERSION"; }
TYPST=${TYPST:-$(command -v typst || true)}
if ! typst_ok "$TYPST"; then
    TYPST="$TOOLS/bin/typst"
    if ! typst_ok "$TYPST"; then
        [[ -n "${CI:-}" ]] && die "no typst $TYPST_VERSION and CI is set: not installing it here"
        echo "bench: installing typst-cli $TYPST_VERSION into $TOOLS (many minutes)" >&2
        CARGO_TARGET_DIR="$TOOLS/target" cargo install --locked "typst-cli@$TYPST_VERSION" --root "$TOOLS"
    fi
fi
typst_ok "$TYPST" || die "typst $TYPST_VERSION not found"

# --- a scratch copy of the report -----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/baocao-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp -r "$REPO/data" "$REPO/templates" "$REPO/fonts" "$WORK/"
cd "$WORK"
"$BAOCAO" build --emit-typst bao-cao.typ -o warm.pdf >/dev/null
grep -qF "$FIG_FROM" "$FIG_FILE" || die "\`$FIG_FROM\` not in $FIG_FILE (set FIG_FILE/FIG_FROM/FIG_TO)"

BAOCAO_CMD=("$BAOCAO" build -o baocao.pdf)
TYPST_CMD=("$TYPST" compile --ignore-system-fonts --font-path fonts/ bao-cao.typ typst.pdf)

# One run: wall milliseconds and peak RSS (KiB) appended to a file.
measure() {
    local out=$1
    shift
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $(cat "$WORK/rss")" >>"$out"
}

# Warm the page cache and both binaries, then alternate so that load on the machine hits both.
for _ in 1 2; do "${BAOCAO_CMD[@]}" >/dev/null; "${TYPST_CMD[@]}"; done
: >baocao.runs
: >typst.runs
echo "bench: $RUNS runs of each command" >&2
for _ in $(seq "$RUNS"); do
    measure baocao.runs "${BAOCAO_CMD[@]}"
    measure typst.runs "${TYPST_CMD[@]}"
done

# Median of column $2 (1: µs, 2: KiB) of file $1.
median() { awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
maxcol() { awk -v c="$2" 'BEGIN {m=0} $c>m {m=$c} END {print m}' "$1"; }

B_US=$(median baocao.runs 1)
T_US=$(median typst.runs 1)
B_RSS=$(maxcol baocao.runs 2)
T_RSS=$(maxcol typst.runs 2)

echo "bench: $REBUILDS rebuilds after a one-figure change" >&2
/usr/bin/time -f "%M" -o "$WORK/rss" "$BAOCAO" bench-rebuild -o rebuild.pdf \
    --file "$FIG_FILE" --from "$FIG_FROM" --to "$FIG_TO" --runs "$REBUILDS" >rebuild.txt
W_RSS=$(cat "$WORK/rss")
val() { sed -n "s/^$1=//p" rebuild.txt; }
R_MS=$(val rebuild_median_ms)

# --- report ---------------------------------------------------------------------------------
# Numbers the Vietnamese way: decimal comma.
vn() { echo "$1" | tr . ,; }
ms() { vn "$(awk -v u="$1" 'BEGIN {printf "%.0f", u / 1000}')"; }
mib() { vn "$(awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}')"; }
ratio() { vn "$(awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}')"; }
ok() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {print (a / b <= t) ? "đạt" : "**không đạt**"}'; }

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
MEM=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
R_US=$(awk -v m="$R_MS" 'BEGIN {printf "%.0f", m * 1000}')

TABLE=$(cat <<EOF
Đo ngày $(date +%F) trên $(nproc) nhân $CPU, $MEM GiB RAM, $(uname -sr); $("$BAOCAO" --version),
$("$TYPST" --version | head -1), $(rustc --version | cut -d' ' -f1-2). Một lần chạy
\`tests/bench/run.sh\`: mỗi lệnh $RUNS lần xen kẽ nhau (lấy trung vị thời gian, bộ nhớ đỉnh lớn
nhất); dựng lại: $REBUILDS lần trong một tiến trình, đổi \`$FIG_FROM\` ↔ \`$FIG_TO\` trong
\`$FIG_FILE\`.

| Phép đo | baocao | typst CLI | Tỷ lệ | Mục tiêu | |
|---|---:|---:|---:|---:|---|
| Dựng nguội (cả tiến trình, báo cáo mặc định, $(sed -n 's/.*(\([0-9]*\) trang.*/\1/p' <<<"$("$BAOCAO" build -o warm.pdf)") trang) | $(ms "$B_US") ms | $(ms "$T_US") ms | $(ratio "$B_US" "$T_US") | ≤ 1,0 | $(ok "$B_US" "$T_US" 1.0) |
| Bộ nhớ đỉnh, dựng nguội | $(mib "$B_RSS") MiB | $(mib "$T_RSS") MiB | $(ratio "$B_RSS" "$T_RSS") | ≤ 1,2 | $(ok "$B_RSS" "$T_RSS" 1.2) |
| Dựng lại trong \`watch\` sau khi đổi một số liệu (trung vị) | $(vn "$R_MS") ms | | $(ratio "$R_US" "$B_US") × dựng nguội | ≤ 0,3 | $(ok "$R_US" "$B_US" 0.3) |

Chi tiết một lần dựng lại (trung vị): đọc số liệu và dựng lời văn $(vn "$(val rebuild_load_render_median_ms)") ms,
dàn trang (Typst, tăng dần) $(vn "$(val rebuild_typeset_median_ms)") ms, xuất PDF $(vn "$(val rebuild_pdf_median_ms)") ms
(xuất PDF không tăng dần); nhanh nhất $(vn "$(val rebuild_min_ms)") ms, chậm nhất $(vn "$(val rebuild_max_ms)") ms.
Bộ nhớ của tiến trình dựng lại: $(mib "$(val rss_after_first_rebuild_kib)") MiB sau lần dựng lại đầu,
$(mib "$(val rss_after_last_rebuild_kib)") MiB sau lần thứ $REBUILDS (đỉnh $(mib "$W_RSS") MiB): bộ nhớ đệm của Typst được
dọn sau mỗi lần dựng nên không tăng theo số lần dựng lại.
EOF
)

echo "$TABLE"

if [[ $UPDATE_README == 1 ]]; then
    README="$REPO/README.md"
    START='<!-- bench:start (tests/bench/run.sh --update-readme) -->'
    END='<!-- bench:end -->'
    [[ -f "$README" ]] || touch "$README"
    if ! grep -qF "$START" "$README"; then
        printf '\n## Hiệu năng\n\n%s\n%s\n' "$START" "$END" >>"$README"
    fi
    TABLE="$TABLE" awk -v start="$START" -v end="$END" '
        $0 == start {print; print ENVIRON["TABLE"]; skip = 1; next}
        $0 == end {skip = 0}
        !skip {print}
    ' "$README" >"$README.tmp" && mv "$README.tmp" "$README"
    echo "bench: README.md updated" >&2
fi

# Fail when a target is missed, so a regression is noticed.
awk -v b="$B_US" -v t="$T_US" -v br="$B_RSS" -v tr="$T_RSS" -v r="$R_US" \
    'BEGIN {exit !(b / t <= 1.0 && br / tr <= 1.2 && r / b <= 0.3)}' ||
    { echo "bench: a target is not met" >&2; exit 1; }
