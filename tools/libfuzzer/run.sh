#!/usr/bin/env bash
# Coverage-guided fuzzing of provsim's parsers with libFuzzer (swiftc -sanitize=fuzzer,address).
#
#   tools/libfuzzer/run.sh [SECONDS_PER_TARGET] [TARGET...]     targets: json scim-filter jsonpath
#
# Builds the JSON, Chrono, SCIM and JSONPath modules from Sources/ with coverage and
# AddressSanitizer into .build-libfuzzer/, then runs each target for the given time (default 60 s)
# with a corpus in .build-libfuzzer/corpus/<target>. A crash leaves crash-* files there and exits
# non-zero; turn each into a named regression test.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=${*:-json scim-filter jsonpath}
OUT=.build-libfuzzer
mkdir -p "$OUT"
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g -I "$OUT" -swift-version 6)

module() {  # module NAME [dependencies as objects…]
    local name=$1
    swiftc "${FLAGS[@]}" -wmo -module-name "$name" -emit-module -emit-module-path "$OUT/$name.swiftmodule" \
        -c -o "$OUT/$name.o" Sources/"$name"/**/*.swift 2>&1 | grep -v "^$" || true
    [ -f "$OUT/$name.o" ] || { echo "libfuzzer: building $name failed" >&2; exit 2; }
}
shopt -s globstar nullglob
module Chrono
module JSON
module SCIM
module JSONPath

for target in $TARGETS; do
    rm -f "$OUT/fuzz-$target"
    # (ld.gold warns about AddressSanitizer's local symbols; harmless.)
    swiftc "${FLAGS[@]}" tools/libfuzzer/"$target".swift "$OUT"/Chrono.o "$OUT"/JSON.o "$OUT"/SCIM.o "$OUT"/JSONPath.o -o "$OUT/fuzz-$target" 2>&1 \
        | grep -v "Cannot export local symbol" || true
    [ -x "$OUT/fuzz-$target" ] || { echo "libfuzzer: building $target failed" >&2; exit 2; }
    mkdir -p "$OUT/corpus/$target"
    echo "libfuzzer: $target for ${SECONDS_PER_TARGET}s"
    (cd "$OUT" && ./"fuzz-$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 "corpus/$target" 2>&1 | grep -E "^(#[0-9]+ +DONE|Done|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)" || true)
    found=("$OUT"/crash-* "$OUT"/timeout-* "$OUT"/oom-*)
    if (( ${#found[@]} )); then echo "libfuzzer: $target found a problem: ${found[*]}" >&2; exit 1; fi
done
echo "libfuzzer: no crash, timeout or out-of-memory in $TARGETS"
