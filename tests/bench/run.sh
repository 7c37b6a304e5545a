#!/usr/bin/env bash
# Benchmark of baocao against the typst CLI, in one run, side by side:
#   1. cold build: a whole `baocao build` process for the default report;
#   2. the typst CLI compiling baocao's own `--emit-typst` markup with the same fonts
#      (`typst compile --ignore-system-fonts --font-path fonts/`);
#   3. a rebuild in watch after changing one figure, measured inside one long-running process
#      (`baocao bench-rebuild`: the same rebuild path as `baocao watch`), with its memory after
#      the first and the last of many rebuilds;
#   4. the HTML copy: `baocao build --format pdf,html` interleaved with the plain build, the
#      median over the rounds of the extra wall time (target: at most half the PDF build);
#   5. the Word copy: `baocao build --format pdf,docx`, measured as the HTML copy (same target).
# Prints a Markdown table with ratios, peak memory, date and machine; `--update-readme` also
# writes it into README.md (section "Hiệu năng", between the bench markers).
# `--baocao-only` leaves the typst CLI out (rows 1 and 2 without it): no install, one build of
# baocao (profile BENCH_PROFILE, default `dist`; `release` reuses the usual build), no README
# update; it prints baocao's rows and checks their targets.
#
# Usage: tests/bench/run.sh [--update-readme | --baocao-only]   (needs python3: measure.py)
# Environment: RUNS (process runs of each command, default 15), REBUILDS (default 200),
#   TYPST (a typst 0.15.1 binary; default: `typst` on PATH, else the one this script installs
#   under BENCH_TOOLS, default ~/.cache/baocao-bench). Installing typst-cli takes many minutes
#   on 2 cores, so this script is not run in CI (it refuses to install when CI is set).
#   BASELINE: another baocao binary (the previous version, e.g. the main branch's release
#   build in another folder), measured side by side in the same run: its cold builds
#   alternate with this one's, its rebuilds with this one's in rounds (BASELINE_ROUNDS,
#   default 3, of REBUILDS / rounds each); a table compares the two, and the run fails when
#   this one's cold build or its rebuild ÷ cold ratio is more than 3 % worse.
set -euo pipefail

UPDATE_README=0
BAOCAO_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --update-readme) UPDATE_README=1 ;;
        --baocao-only) BAOCAO_ONLY=1 ;;
        *) echo "bench: unknown option $arg" >&2; exit 2 ;;
    esac
done
[[ $UPDATE_README == 1 && $BAOCAO_ONLY == 1 ]] &&
    { echo "bench: --update-readme needs the typst CLI rows (drop --baocao-only)" >&2; exit 2; }

REPO=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-15}
REBUILDS=${REBUILDS:-200}
TOOLS=${BENCH_TOOLS:-$HOME/.cache/baocao-bench}
TYPST_VERSION=0.15.1
# The figure changed for the rebuild: the budget revenue estimated to 30/6 (it feeds sentences,
# derived percentages and the appendix). Not `thuc_hien: 155,108`: a ratio is stated for that
# figure (so_voi_cung_ky), so changing it makes the ratio stale and the PDF a draft, and every
# rebuild would measure the DỰ THẢO mark appearing on all pages, not a one-figure change.
FIG_FILE=${FIG_FILE:-data/chi-tieu/kinh-te.yaml}
FIG_FROM=${FIG_FROM:-uoc_thuc_hien: 182,575}
DEFAULT_TO='uoc_thuc_hien: {n},575'
FIG_TO=${FIG_TO:-$DEFAULT_TO}

die() { echo "bench: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 is needed (tests/bench/measure.py)"

# --- binaries -------------------------------------------------------------------------------
# The shipped build (profile `dist`: ThinLTO, see Cargo.toml) is the one measured against the
# typst CLI; the plain `release` build is measured beside it for reference.
BAOCAO="$REPO/target/dist/baocao"
BAOCAO_RELEASE="$REPO/target/release/baocao"
if [[ $BAOCAO_ONLY == 1 ]]; then
    PROFILE=${BENCH_PROFILE:-dist}
    BAOCAO="$REPO/target/$PROFILE/baocao"
    echo "bench: cargo build --profile $PROFILE" >&2
    (cd "$REPO" && cargo build --profile "$PROFILE" --bin baocao --quiet)
else
    echo "bench: cargo build --profile dist, cargo build --release" >&2
    (cd "$REPO" && cargo build --profile dist --bin baocao --quiet && cargo build --release --bin baocao --quiet)
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
fi
BASELINE=${BASELINE:-}
ROUNDS=${BASELINE_ROUNDS:-3}
[[ -z "$BASELINE" || -x "$BASELINE" ]] || die "BASELINE=$BASELINE is not an executable"

# --- a scratch copy of the report -----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/baocao-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp -r "$REPO/data" "$REPO/templates" "$REPO/fonts" "$WORK/"
cd "$WORK"
"$BAOCAO" build --emit-typst bao-cao.typ -o warm.pdf >/dev/null
grep -qF "$FIG_FROM" "$FIG_FILE" || die "\`$FIG_FROM\` not in $FIG_FILE (set FIG_FILE/FIG_FROM/FIG_TO)"

BAOCAO_CMD=("$BAOCAO" build -o baocao.pdf)
# Both formats, to output/ (`-o` names one file); interleaved with the plain build, paired.
HTML_CMD=("$BAOCAO" build --format pdf,html)
DOCX_CMD=("$BAOCAO" build --format pdf,docx)
TYPST_CMD=("${TYPST:-typst}" compile --ignore-system-fonts --font-path fonts/ bao-cao.typ typst.pdf)

BASELINE_CMD=("$BASELINE" build -o baseline.pdf)
# The commands measured, alternating: baocao, its HTML and Word builds, the typst CLI and the
# release build (not with --baocao-only), the baseline (with BASELINE).
MEASURED=(baocao -- "${BAOCAO_CMD[@]}" html -- "${HTML_CMD[@]}" docx -- "${DOCX_CMD[@]}")
[[ $BAOCAO_ONLY == 1 ]] ||
    MEASURED+=(typst -- "${TYPST_CMD[@]}" release -- "$BAOCAO_RELEASE" build -o release.pdf)
[[ -z "$BASELINE" ]] || MEASURED+=(baseline -- "${BASELINE_CMD[@]}")

# Warm the page cache and the binaries, then alternate so that load on the machine hits all.
for _ in 1 2; do
    "${BAOCAO_CMD[@]}" >/dev/null
    "${HTML_CMD[@]}" >/dev/null
    "${DOCX_CMD[@]}" >/dev/null
    if [[ $BAOCAO_ONLY == 0 ]]; then
        "${TYPST_CMD[@]}"
        "$BAOCAO_RELEASE" build -o release.pdf >/dev/null
    fi
    [[ -z "$BASELINE" ]] || "${BASELINE_CMD[@]}" >/dev/null
done
echo "bench: $RUNS runs of each command" >&2
MEASURE_PAIR="html baocao docx baocao" python3 "$REPO/tests/bench/measure.py" "$RUNS" "${MEASURED[@]}" >runs.txt
# Columns: name, median wall ms, median CPU ms, max peak RSS KiB.
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' runs.txt; }
B_MS=$(col baocao 2); B_CPU=$(col baocao 3); B_RSS=$(col baocao 4)
H_MS=$(col html 2); H_EXTRA=$(col html-baocao 2)
D_MS=$(col docx 2); D_EXTRA=$(col docx-baocao 2)
if [[ $BAOCAO_ONLY == 0 ]]; then
    T_MS=$(col typst 2); T_CPU=$(col typst 3); T_RSS=$(col typst 4)
    REL_MS=$(col release 2); REL_CPU=$(col release 3); REL_RSS=$(col release 4)
fi

# One process of `bench-rebuild` with binary $1 and $2 rebuilds, its key=value lines in $3;
# prints the process's peak RSS (KiB).
rebuild_process() {
    python3 "$REPO/tests/bench/measure.py" 1 rebuild -- sh -c \
        '"$0" bench-rebuild -o rebuild.pdf --file "$1" --from "$2" --to "$3" --runs "$4" >"$5"' \
        "$1" "$FIG_FILE" "$FIG_FROM" "$FIG_TO" "$2" "$3" | awk '{print $4}'
}
echo "bench: $REBUILDS rebuilds after a one-figure change" >&2
W_RSS=$(rebuild_process "$BAOCAO" "$REBUILDS" rebuild.txt)
val() { sed -n "s/^$1=//p" "${2:-rebuild.txt}"; }
R_MS=$(val rebuild_median_ms)

# --- report ---------------------------------------------------------------------------------
# Numbers the Vietnamese way: decimal comma.
vn() { echo "$1" | tr . ,; }
ms() { vn "$(awk -v m="$1" 'BEGIN {printf (m < 100 ? "%.1f" : "%.0f"), m}')"; }
mib() { vn "$(awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}')"; }
ratio() { vn "$(awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}')"; }
ok() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {print (a / b <= t) ? "đạt" : "**không đạt**"}'; }

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
MEM=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
PAGES=$(sed -n 's/.*(\([0-9]*\) trang.*/\1/p' <<<"$("$BAOCAO" build -o warm.pdf)")

if [[ $BAOCAO_ONLY == 1 ]]; then
TABLE=$(cat <<EOF
Đo ngày $(date +%F) trên máy $(nproc) nhân $CPU, $MEM GiB RAM, $(uname -sr);
$("$BAOCAO" --version), $(rustc --version | cut -d' ' -f1-2); \`tests/bench/run.sh --baocao-only\`
(không có typst CLI): báo cáo mặc định ($PAGES trang), bản \`$PROFILE\`; mỗi lệnh $RUNS lần, xen kẽ nhau;
dựng lại: $REBUILDS lần trong một tiến trình.

| Phép đo | baocao | Tỷ lệ | Mục tiêu | |
|---|---:|---:|---:|---|
| Dựng nguội \`--format pdf\`, cả tiến trình (thời gian thực) | $(ms "$B_MS") ms (CPU $(ms "$B_CPU") ms, $(mib "$B_RSS") MiB) | | | |
| Thêm bản HTML: \`--format pdf,html\` ($(ms "$H_MS") ms) trừ \`--format pdf\`, trung vị từng lượt | $(ms "$H_EXTRA") ms | $(ratio "$H_EXTRA" "$B_MS") × dựng PDF | ≤ 0,5 | $(ok "$H_EXTRA" "$B_MS" 0.5) |
| Thêm bản Word: \`--format pdf,docx\` ($(ms "$D_MS") ms) trừ \`--format pdf\`, trung vị từng lượt | $(ms "$D_EXTRA") ms | $(ratio "$D_EXTRA" "$B_MS") × dựng PDF | ≤ 0,5 | $(ok "$D_EXTRA" "$B_MS" 0.5) |
| Dựng lại trong \`watch\` sau khi đổi một số liệu (trung vị) | $(ms "$R_MS") ms | $(ratio "$R_MS" "$B_MS") × dựng nguội | ≤ 0,3 | $(ok "$R_MS" "$B_MS" 0.3) |
EOF
)
else
TABLE=$(cat <<EOF
Đo ngày $(date +%F) trên máy $(nproc) nhân $CPU, $MEM GiB RAM, $(uname -sr);
$("$BAOCAO" --version), $("$TYPST" --version | head -1), $(rustc --version | cut -d' ' -f1-2).
Một lần chạy \`tests/bench/run.sh\`: báo cáo mặc định ($PAGES trang); baocao là bản phát hành
(\`cargo install --path . --profile dist\`: ThinLTO), typst CLI cài bằng \`cargo install --locked
typst-cli@$TYPST_VERSION\`; mỗi lệnh $RUNS lần, các lệnh xen kẽ nhau, lấy trung vị thời gian và bộ nhớ đỉnh
lớn nhất. Dựng lại: $REBUILDS lần trong một
tiến trình, mỗi lần đổi \`$FIG_FROM\` trong \`$FIG_FILE\` thành một giá trị chưa gặp
(\`$FIG_TO\`, n = 100, 101, …), như khi sửa số liệu lúc \`baocao watch\` đang chạy.

| Phép đo | baocao | typst CLI | Tỷ lệ | Mục tiêu | |
|---|---:|---:|---:|---:|---|
| Dựng nguội, cả tiến trình (thời gian thực) | $(ms "$B_MS") ms | $(ms "$T_MS") ms | $(ratio "$B_MS" "$T_MS") | ≤ 1,0 | $(ok "$B_MS" "$T_MS" 1.0) |
| Dựng nguội, thời gian CPU (user + sys) | $(ms "$B_CPU") ms | $(ms "$T_CPU") ms | $(ratio "$B_CPU" "$T_CPU") | | |
| Bộ nhớ đỉnh, dựng nguội | $(mib "$B_RSS") MiB | $(mib "$T_RSS") MiB | $(ratio "$B_RSS" "$T_RSS") | ≤ 1,2 | $(ok "$B_RSS" "$T_RSS" 1.2) |
| Dựng lại trong \`watch\` sau khi đổi một số liệu (trung vị) | $(ms "$R_MS") ms | | $(ratio "$R_MS" "$B_MS") × dựng nguội | ≤ 0,3 | $(ok "$R_MS" "$B_MS" 0.3) |
| Thêm bản HTML: \`--format pdf,html\` ($(ms "$H_MS") ms) trừ \`--format pdf\`, trung vị từng lượt | $(ms "$H_EXTRA") ms | | $(ratio "$H_EXTRA" "$B_MS") × dựng PDF | ≤ 0,5 | $(ok "$H_EXTRA" "$B_MS" 0.5) |
| Thêm bản Word: \`--format pdf,docx\` ($(ms "$D_MS") ms) trừ \`--format pdf\`, trung vị từng lượt | $(ms "$D_EXTRA") ms | | $(ratio "$D_EXTRA" "$B_MS") × dựng PDF | ≤ 0,5 | $(ok "$D_EXTRA" "$B_MS" 0.5) |
| Để so sánh: dựng nguội bằng bản \`--release\` (không LTO) | $(ms "$REL_MS") ms, CPU $(ms "$REL_CPU") ms, $(mib "$REL_RSS") MiB | | $(ratio "$REL_MS" "$T_MS") | | |

baocao dựng nguội gồm cả đọc số liệu và dựng lời văn (việc typst CLI không phải làm: nó nhận mã
Typst đã dựng sẵn bằng \`--emit-typst\`). Một lần dựng lại (trung vị): đọc số liệu và dựng lời văn
$(ms "$(val rebuild_load_render_median_ms)") ms, dàn trang (Typst, tăng dần) $(ms "$(val rebuild_typeset_median_ms)") ms, xuất PDF $(ms "$(val rebuild_pdf_median_ms)") ms
(không tăng dần); nhanh nhất $(ms "$(val rebuild_min_ms)") ms, chậm nhất $(ms "$(val rebuild_max_ms)") ms (thường là lần dựng lại
đầu tiên). Bộ nhớ của tiến trình dựng lại: $(mib "$(val rss_after_first_rebuild_kib)") MiB sau lần dựng lại đầu,
$(mib "$(val rss_after_last_rebuild_kib)") MiB sau lần thứ $REBUILDS, đỉnh $(mib "$W_RSS") MiB: không tăng theo số lần dựng lại.
EOF
)
fi

echo "$TABLE"

# --- side by side with the baseline ------------------------------------------------------------
COMPARE_OK=1
if [[ -n "$BASELINE" ]]; then
    per=$((REBUILDS / ROUNDS > 0 ? REBUILDS / ROUNDS : 1))
    echo "bench: $ROUNDS rounds of $per rebuilds, this build and the baseline alternating" >&2
    : >rounds-new.txt
    : >rounds-old.txt
    for k in $(seq "$ROUNDS"); do
        rebuild_process "$BAOCAO" "$per" "round-new-$k.txt" >/dev/null
        val rebuild_median_ms "round-new-$k.txt" >>rounds-new.txt
        rebuild_process "$BASELINE" "$per" "round-old-$k.txt" >/dev/null
        val rebuild_median_ms "round-old-$k.txt" >>rounds-old.txt
    done
    median() { sort -g "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
    RN_MS=$(median rounds-new.txt)
    RO_MS=$(median rounds-old.txt)
    O_MS=$(col baseline 2); O_CPU=$(col baseline 3); O_RSS=$(col baseline 4)
    change() { vn "$(awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.1f", (a / b - 1) * 100}')"; }
    NEW_RATIO=$(awk -v r="$RN_MS" -v b="$B_MS" 'BEGIN {print r / b}')
    OLD_RATIO=$(awk -v r="$RO_MS" -v b="$O_MS" 'BEGIN {print r / b}')
    # More than 3 % worse fails the run.
    verdict() {
        if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a / b > 1.03)}'; then
            echo "**xấu hơn quá 3 %**"
        else
            echo "đạt"
        fi
    }
    V_COLD=$(verdict "$B_MS" "$O_MS")
    V_RATIO=$(verdict "$NEW_RATIO" "$OLD_RATIO")
    [[ $V_COLD == "đạt" && $V_RATIO == "đạt" ]] || COMPARE_OK=0
    COMPARE=$(cat <<EOF

So với bản trước (\`$BASELINE\`), đo xen kẽ trong cùng lần chạy: dựng nguội $RUNS lần mỗi bản;
dựng lại $ROUNDS lượt × $per lần mỗi bản, xen kẽ, lấy trung vị của các trung vị.

| Phép đo | bản này | bản trước | Thay đổi | Ngưỡng | |
|---|---:|---:|---:|---:|---|
| Dựng nguội (thời gian thực) | $(ms "$B_MS") ms | $(ms "$O_MS") ms | $(change "$B_MS" "$O_MS") % | ≤ +3 % | $V_COLD |
| Dựng nguội, thời gian CPU | $(ms "$B_CPU") ms | $(ms "$O_CPU") ms | $(change "$B_CPU" "$O_CPU") % | | |
| Bộ nhớ đỉnh, dựng nguội | $(mib "$B_RSS") MiB | $(mib "$O_RSS") MiB | $(change "$B_RSS" "$O_RSS") % | | |
| Dựng lại sau khi đổi một số liệu (trung vị) | $(ms "$RN_MS") ms | $(ms "$RO_MS") ms | $(change "$RN_MS" "$RO_MS") % | | |
| Dựng lại ÷ dựng nguội | $(ratio "$RN_MS" "$B_MS") | $(ratio "$RO_MS" "$O_MS") | $(change "$NEW_RATIO" "$OLD_RATIO") % | ≤ +3 % | $V_RATIO |
EOF
)
    echo "$COMPARE"
fi

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
awk -v b="$B_MS" -v h="$H_EXTRA" -v d="$D_EXTRA" -v r="$R_MS" 'BEGIN {exit !(r / b <= 0.3 && h / b <= 0.5 && d / b <= 0.5)}' ||
    { echo "bench: a target is not met" >&2; exit 1; }
if [[ $BAOCAO_ONLY == 0 ]]; then
    awk -v b="$B_MS" -v t="$T_MS" -v br="$B_RSS" -v tr="$T_RSS" \
        'BEGIN {exit !(b / t <= 1.0 && br / tr <= 1.2)}' ||
        { echo "bench: a target is not met" >&2; exit 1; }
fi
[[ $COMPARE_OK == 1 ]] || { echo "bench: more than 3 % worse than the baseline" >&2; exit 1; }
