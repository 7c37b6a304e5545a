#!/usr/bin/env bash
# The Word copy as LibreOffice lays it out, held to the PDF's own measures:
#   1. build the PDF and the Word copy of each period (a scratch copy of the default report);
#   2. LibreOffice turns the .docx into a PDF (`soffice --headless --convert-to pdf`, with a
#      private profile so that it never waits on another soffice);
#   3. nd30check.py on that PDF must print "0 failed"; fidelity.py on it must be within
#      0,5 points of the PDF's own score;
#   4. the first page, a middle page, the signature page and the appendix's first page of both
#      PDFs as pictures (70 dpi), side by side by name, to look at.
# Prints one block a period and a closing line; exit 1 when a check fails.
#
# Usage: tests/tools/docx-libreoffice.sh [PERIOD...]          (default: every period)
# Environment: BAOCAO (the binary; default target/release/baocao, else target/debug/baocao),
#   OUT (where the pictures go; default target/docx-libreoffice).
# Needs: soffice (Debian: libreoffice-writer-nogui), pdftoppm, pdftotext, pdfinfo, pdftohtml
# (poppler-utils), python3. The checks of steps 2-3 also run in `cargo test` (and CI):
# tests/cli/docx.rs, libreoffice_lays_the_word_copy_out_by_the_decree_with_the_pdfs_text; this
# script adds the timings per file and the pictures.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$REPO/target/docx-libreoffice}
BAOCAO=${BAOCAO:-}
if [[ -z "$BAOCAO" ]]; then
    BAOCAO="$REPO/target/release/baocao"
    [[ -x "$BAOCAO" ]] || BAOCAO="$REPO/target/debug/baocao"
fi
die() { echo "docx-libreoffice: $*" >&2; exit 1; }
[[ -x "$BAOCAO" ]] || die "no baocao binary (cargo build, or set BAOCAO)"
for tool in soffice pdftoppm pdftotext pdfinfo pdftohtml python3; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install libreoffice-writer-nogui poppler-utils)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/baocao-docx-lo.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp -r "$REPO/data" "$REPO/templates" "$REPO/fonts" "$WORK/"
mkdir -p "$OUT"
PERIODS=("$@")
[[ ${#PERIODS[@]} -gt 0 ]] || PERIODS=(quy-1 6-thang 9-thang ca-nam)

# (poppler's notices about Typst's PDF structure go to /dev/null.)
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
# The page holding "Nơi nhận:", and the first landscape page (the appendix).
signature_page() {
    local n i; n=$(pages "$1")
    for ((i = n; i >= 1; i--)); do
        pdftotext -f "$i" -l "$i" "$1" - 2>/dev/null | grep -q "Nơi nhận:" && { echo "$i"; return; }
    done
    echo 1
}
appendix_page() {
    pdfinfo -f 1 -l "$(pages "$1")" "$1" 2>/dev/null |
        awk '/^Page +[0-9]+ size:/ { if ($4 > $6) { print $2; exit } }'
}
picture() { # PDF PAGE NAME
    pdftoppm -png -r 70 -f "$2" -l "$2" -singlefile "$1" "$OUT/$3" 2>/dev/null
}
recall() { python3 "$REPO/tests/tools/fidelity.py" "$1" 2>/dev/null | awk '/^recall/ {print $NF}' | tr -d '%'; }

failed=0
for p in "${PERIODS[@]}"; do
    echo "== $p"
    "$BAOCAO" build --root "$WORK" --period "$p" --format pdf,docx >/dev/null
    pdf="$WORK/output/bao-cao-$p-2024.pdf"
    docx="$WORK/output/bao-cao-$p-2024.docx"
    start=$(date +%s.%N)
    soffice -env:UserInstallation="file://$WORK/profile" --headless --convert-to pdf \
        --outdir "$WORK/lo" "$docx" >/dev/null 2>&1 || die "soffice failed on $docx"
    lo="$WORK/lo/bao-cao-$p-2024.pdf"
    [[ -f "$lo" ]] || die "soffice wrote no PDF for $docx"
    printf 'soffice: %.1f s; pages: PDF %s, LibreOffice %s\n' \
        "$(echo "$(date +%s.%N) - $start" | bc)" "$(pages "$pdf")" "$(pages "$lo")"
    check=$(python3 "$REPO/tests/tools/nd30check.py" "$lo" 2>/dev/null || true)
    grep -E '^FAIL' <<<"$check" || true
    summary=$(tail -1 <<<"$check")
    echo "nd30check (LibreOffice): $summary"
    [[ "$summary" == *" 0 failed" ]] || failed=1
    r_pdf=$(recall "$pdf"); r_lo=$(recall "$lo")
    diff=$(python3 -c "print(f'{abs($r_pdf - $r_lo):.2f}')")
    echo "fidelity: PDF $r_pdf %, LibreOffice $r_lo % (difference $diff points, at most 0.5)"
    python3 -c "import sys; sys.exit(0 if abs($r_pdf - $r_lo) <= 0.5 else 1)" || failed=1
    for which in pdf lo; do
        f=$pdf; [[ $which == lo ]] && f=$lo
        n=$(pages "$f")
        picture "$f" 1 "$p-$which-1-dau"
        picture "$f" $(((n + 1) / 2)) "$p-$which-2-giua"
        picture "$f" "$(signature_page "$f")" "$p-$which-3-chu-ky"
        a=$(appendix_page "$f"); [[ -n "$a" ]] && picture "$f" "$a" "$p-$which-4-phu-luc"
    done
done
echo "pictures: $OUT"
if [[ $failed -ne 0 ]]; then
    echo "docx-libreoffice: FAILED"
    exit 1
fi
echo "docx-libreoffice: all checks passed"
