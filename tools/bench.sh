#!/usr/bin/env bash
# The benchmarks behind README's "Performance" section (make bench). Needs a release build of
# provsim as $1; jq and GNU time are used when installed. Prints each command's own output, then
# a summary: transformation throughput next to jq's on the same file, the memory of transforming
# 1,000,000 users, and the engine's job time over its request floor at three sizes.
set -euo pipefail

provsim=${1:?usage: tools/bench.sh PATH-TO-RELEASE-PROVSIM [DATA-DIR]}
data=${2:-bench-data}
small=$data/users-100000.ndjson
large=$data/users-1000000.ndjson
transform=(--transformation builtin:xsuaa-proxy-read --entity user --operation read
           --variable entityBaseLocation=https://proxy.example/Users/)

mkdir -p "$data"
[ -f "$small" ] || "$provsim" generate users --count 100000 --seed 1 --output "$small"
[ -f "$large" ] || "$provsim" generate users --count 1000000 --seed 1 --output "$large"

rate() { sed -n 's/.* = \([0-9]*\) entities\/s.*/\1/p' | tail -1; }
# Runs a command, shows its output on standard error and passes it on. (`tee /dev/stderr` would
# reopen the file standard error goes to and truncate it when the output is redirected to a file.)
shown() { local out; out=$("$@"); printf '%s\n' "$out" >&2; printf '%s\n' "$out"; }

echo "== transformation, 100,000 users ($(du -h "$small" | cut -f1))"
one=$(shown "$provsim" bench transform "${transform[@]}" --input "$small" --threads 1 | rate)
two=$(shown "$provsim" bench transform "${transform[@]}" --input "$small" --threads 2 | rate)

jq_rate=""
if command -v jq >/dev/null 2>&1; then
    echo "== jq $(jq --version), the same transformation (bench/xsuaa-proxy-read.jq), the same file"
    start=$(date +%s.%N)
    jq -c --arg base https://proxy.example/Users/ -f bench/xsuaa-proxy-read.jq "$small" > /dev/null
    end=$(date +%s.%N)
    jq_rate=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%d", 100000 / (e - s) }')
    echo "jq: 100000 entities in $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s = $jq_rate entities/s"
fi

echo "== 1,000,000 users ($(du -h "$large" | cut -f1)): provsim transform to /dev/null, and the bench"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "provsim transform: %e s, maximum RSS %M KB" "$provsim" transform "${transform[@]}" --threads 2 "$large" > /dev/null 2> "$data/time.txt" || true
    rss=$(sed -n 's/.*maximum RSS \([0-9]*\) KB/\1/p' "$data/time.txt")
    tail -1 "$data/time.txt"
    rss_text="$((rss / 1024)) MB (provsim transform, /usr/bin/time)"
else
    rss_text=""
fi
large_out=$(shown "$provsim" bench transform "${transform[@]}" --input "$large" --threads 1 --iterations 1)
large_rate=$(echo "$large_out" | rate)
[ -n "$rss_text" ] || rss_text="$(echo "$large_out" | sed -n 's/.*maximum RSS \([0-9]*\) MB.*/\1/p') MB (bench transform, getrusage)"

echo "== onboarding through the engine, with its request floor"
ratios=()
for users in 1000 10000 100000; do
    out=$("$provsim" bench job --users "$users" --groups 50 --target xsuaa --no-rate-limits --no-pacing 2>/dev/null)
    printf '%s\n' "$out" >&2
    job=$(echo "$out" | sed -n 's/^job: .* = \([0-9]*\) requests\/s.*/\1/p')
    ratio=$(echo "$out" | sed -n 's/.*job\/floor = \([0-9.]*\).*/\1/p')
    ratios+=("$users users: $job requests/s, job/floor $ratio")
done

echo
echo "== summary"
echo "transformation, 1 thread:  $one users/s"
echo "transformation, 2 threads: $two users/s ($(awk -v a="$two" -v b="$one" 'BEGIN { printf "%.2f", a / b }')x one thread)"
if [ -n "$jq_rate" ]; then
    echo "jq, same file:             $jq_rate users/s; provsim is $(awk -v a="$one" -v b="$jq_rate" 'BEGIN { printf "%.1f", a / b }')x jq on 1 thread, $(awk -v a="$two" -v b="$jq_rate" 'BEGIN { printf "%.1f", a / b }')x on 2"
fi
echo "1,000,000 users:           $large_rate users/s (1 thread), maximum RSS $rss_text"
for line in "${ratios[@]}"; do echo "bench job, $line"; done
