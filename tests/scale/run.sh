#!/usr/bin/env bash
# Scale measurement: a synthetic report of 100, 500 and 2.000 indicators (each in an appendix
# table; 2.000 make a 200-page appendix), built with the release binary. Prints a Markdown
# table of pages, wall time (best of 3, after a warm-up run) and peak resident memory
# (/usr/bin/time -v), then the time `baocao import` takes on a filled form of 2.000 indicators,
# then the machine. The generator is tests/cli/scale.rs (`scale_measure`).
#
# Usage: tests/scale/run.sh            (SCALE_SIZES=100,500,2000 by default)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
[[ -x /usr/bin/time ]] || { echo "scale: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
cd "$REPO"
cargo build --release --quiet
BAOCAO_BIN="$REPO/target/release/baocao" SCALE_SIZES="${SCALE_SIZES:-100,500,2000}" \
    cargo test --quiet --test cli scale_measure -- --ignored --nocapture 2>/dev/null | grep '^|'
# `baocao import` of a filled form of 2.000 indicators (target: under 1 s).
echo
BAOCAO_BIN="$REPO/target/release/baocao" \
    cargo test --quiet --test cli xlsx::importing_a_form_of_2000 -- --nocapture 2>/dev/null | grep '^import:'
echo
echo "Máy: $(nproc) nhân, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date +%Y-%m-%d)"
