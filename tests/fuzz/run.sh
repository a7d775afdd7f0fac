#!/bin/sh
# Runs every libFuzzer target in a TFL_FUZZ build for a fixed time each and
# fails if any of them finds a crash, leak, timeout or out-of-memory input.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [SEED]
#
# Seeds come from BUILD_DIR/seeds/<name>/ (tools/gen_fuzz_corpus.py) and the
# committed regressions; what the fuzzer learns accumulates in
# BUILD_DIR/corpus/<name>/, so repeated runs go deeper. Findings land in
# BUILD_DIR/artifacts/ as <name>-crash-*, <name>-leak-*, ... Minimize one
# with `fuzz_<name> -minimize_crash=1 -runs=10000 FILE` and commit it to
# tests/fuzz/regressions/<name>/. SEED (a number) makes a run repeatable;
# without it each run explores differently.
set -u
BUILD=$1
SECONDS_EACH=$2
SEED=${3:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$BUILD/artifacts"
status=0
for bin in "$BUILD"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=${bin##*/fuzz_}
    mkdir -p "$BUILD/corpus/$name" "$BUILD/seeds/$name"
    log="$BUILD/artifacts/$name.log"
    # Leaks are checked at exit of each input; timeouts and memory limits are
    # tight so that a slow or greedy input is reported as the bug it is.
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$bin" -max_total_time="$SECONDS_EACH" -seed="$SEED" -timeout=10 -rss_limit_mb=2048 \
        -malloc_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$BUILD/artifacts/$name-" \
        "$BUILD/corpus/$name" "$BUILD/seeds/$name" "$HERE/regressions/$name" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ "$rc" -ne 0 ]; then
        echo "fuzz $name: FAILED (exit $rc) after ${execs:-?} inputs; see $log"
        grep -m1 -E 'ERROR|runtime error|Sanitizer' "$log" || tail -5 "$log"
        status=1
    else
        echo "fuzz $name: ${SECONDS_EACH}s, ${execs:-?} inputs (${rate:-?}/s), ${cov:-cov: ?}, no findings"
    fi
done
exit $status
