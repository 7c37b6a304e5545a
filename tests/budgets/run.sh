#!/usr/bin/env bash
# Runaway templates (issue 17, items 1 and 2), each run under `/usr/bin/time -v` with
# `--time-limit 20 --memory-limit 768` on a copy of the default report that holds a good PDF.
# Each must end with exit code 1 and a Vietnamese message (a `lỗi:` line first) within 30 s,
# under 1 GiB of peak memory, without a backtrace (RUST_BACKTRACE=1 is set), leaving the PDF
# byte for byte and nothing else in output/. Prints a Markdown table; exits 1 if a case fails.
#
# Usage: tests/budgets/run.sh
# Environment: BAOCAO_BIN, the binary (default: target/debug/baocao, which `cargo test`
#   builds; CI runs this script after it). Needs /usr/bin/time (apt-get install time).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BAOCAO_BIN:-$REPO/target/debug/baocao}
die() { echo "budgets: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (apt-get install time)"
[[ -x "$BIN" ]] || die "no binary at $BIN (cargo build, or set BAOCAO_BIN)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/baocao-budgets.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
TEMPLATE=templates/phan-1/mo-dau.typ.j2
MAX_SECONDS=30
MAX_KIB=$((1024 * 1024))

# name | command | text appended to the template (printf format)
CASES=(
  "1. Typst: range(1000000000)|build|#for i in range(1000000000) {}\n"
  "1. Typst: hai vòng lồng nhau|build|#for i in range(100000) { for j in range(100000) {} }\n"
  "2. minijinja: hai range(100000) lồng nhau, không thân|check|{%% for i in range(100000) %%}{%% for j in range(100000) %%}{%% endfor %%}{%% endfor %%}\n"
  "2. minijinja: hai range(100000) lồng nhau, không thân|build|{%% for i in range(100000) %%}{%% for j in range(100000) %%}{%% endfor %%}{%% endfor %%}\n"
  "2. minijinja: hai range(100000) lồng nhau, có thân|check|{%% for i in range(100000) %%}\n{%% for j in range(100000) %%}\nDòng {{ i }} {{ j }}\n{%% endfor %%}\n{%% endfor %%}\n"
  "2. minijinja: hai range(100000) lồng nhau, có thân|build|{%% for i in range(100000) %%}\n{%% for j in range(100000) %%}\nDòng {{ i }} {{ j }}\n{%% endfor %%}\n{%% endfor %%}\n"
)

# A copy of the default report with its good PDF, made once.
BASE="$WORK/base"
mkdir -p "$BASE"
cp -r "$REPO/data" "$REPO/templates" "$BASE/"
# Its warnings (the default report has some) are shown only if it does not build.
out=$(cd "$BASE" && "$BIN" build 2>&1) || die "the default report does not build: $out"

echo "| Mẫu chạy mãi | Lệnh | Mã thoát | Thời gian | Bộ nhớ đỉnh | Thông báo | |"
echo "|---|---|---:|---:|---:|---|---|"
failed=0
n=0
for case in "${CASES[@]}"; do
    IFS='|' read -r name cmd text <<<"$case"
    n=$((n + 1))
    dir="$WORK/case-$n"
    cp -r "$BASE" "$dir"
    # shellcheck disable=SC2059
    printf "$text" >>"$dir/$TEMPLATE"
    before=$(sha256sum "$dir/output/"*.pdf)
    set +e
    (cd "$dir" && RUST_BACKTRACE=1 /usr/bin/time -v -o "$WORK/time-$n.txt" \
        "$BIN" "$cmd" --time-limit 20 --memory-limit 768 >"$WORK/out-$n.txt" 2>"$WORK/err-$n.txt")
    rc=$?
    set -e
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time-$n.txt" |
        awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s}')
    kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time-$n.txt")
    first=$(head -1 "$WORK/err-$n.txt")
    why=()
    [[ $rc == 1 ]] || why+=("mã thoát $rc")
    [[ $first == "lỗi: "* ]] || why+=("không mở đầu bằng \`lỗi:\`")
    ! grep -Eq 'panicked|backtrace|RUST_BACKTRACE|memory allocation of' "$WORK/err-$n.txt" ||
        why+=("có backtrace")
    awk -v w="$wall" -v m="$MAX_SECONDS" 'BEGIN {exit !(w < m)}' || why+=("quá ${MAX_SECONDS} s")
    [[ -n $kib && $kib -lt $MAX_KIB ]] || why+=("quá 1 GiB")
    [[ $(sha256sum "$dir/output/"*.pdf) == "$before" ]] || why+=("tệp PDF bị đổi")
    [[ $(ls -A "$dir/output" | wc -l) == 1 ]] || why+=("còn tệp thừa trong output/")
    verdict="đạt"
    if [[ ${#why[@]} -gt 0 ]]; then
        verdict="**không đạt**: $(IFS=', '; echo "${why[*]}")"
        failed=1
        { echo "--- $name ($cmd): stderr"; cat "$WORK/err-$n.txt"; } >&2
    fi
    echo "| $name | \`$cmd\` | $rc | $(echo "$wall" | tr . ,) s | $(awk -v k="$kib" 'BEGIN {printf "%.0f", k / 1024}') MiB | ${first#lỗi: } | $verdict |"
    rm -rf "$dir"
done
echo
echo "baocao: \`$BIN\`; máy: $(nproc) nhân, $(date +%F)"
exit $failed
