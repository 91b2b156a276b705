#!/usr/bin/env bash
# Curation benchmark: generates realistic router usage records (bench/CurateUsageGenerator.java: several tasks, tool
# calls, personal data in some, 30 % duplicates; 1,000,000 records are about 1 GB) and, in the same run on the same
# files, times one plain `jq -c .` pass (reading and writing every JSON record once: the floor) and the offline
# `curate` command twice with the same seed and a 256 MiB heap. Prints records/s, MB/s, the ratio to jq's throughput,
# the peak RSS, and whether both runs wrote identical files. It is not a test and asserts nothing.
#
#   bash bench/curate-bench.sh   (environment RECORDS=1000000 DATA=/tmp/curate-bench-data to change)
#
# Needs jq (Debian's), a JDK 17 and Maven (builds the application when target/quarkus-app is missing or older than
# the sources). The generated files are kept in $DATA and reused by the next run with the same RECORDS.
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-1000000}
DATA=${DATA:-/tmp/curate-bench-data}

for tool in jq java; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "MISSING: $tool$([ "$tool" = jq ] && echo " (Debian package jq)"); cannot run the benchmark without it." >&2
        exit 2
    fi
done

JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
    echo "building the application ..." >&2
    mvn -o -q -B -DskipTests package >/dev/null 2>&1 || mvn -q -B -DskipTests package >/dev/null
fi

if [ "$(cat "$DATA/.records" 2>/dev/null)" != "$RECORDS" ]; then
    rm -rf "$DATA"
    echo "generating $RECORDS usage records in $DATA ..." >&2
    java bench/CurateUsageGenerator.java "$DATA/usage" "$RECORDS" >&2
    echo "$RECORDS" > "$DATA/.records"
fi
BYTES=$(cat "$DATA"/usage/*.jsonl | wc -c)
WORK=$(mktemp -d /tmp/curate-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }

# Runs a command, polling its peak resident set size (VmHWM) until it ends; prints "seconds peak_kib".
measure() {
    local start end pid peak=0 hwm
    start=$(now)
    "$@" >"$WORK/last.out" 2>"$WORK/last.err" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
        sleep 0.1
    done
    wait "$pid" || { echo "FAILED: $*" >&2; cat "$WORK/last.err" >&2; exit 1; }
    end=$(now)
    echo "$(echo "$end - $start" | bc -l) $peak"
}

echo "input: $RECORDS records, $BYTES bytes in $(ls "$DATA"/usage/*.jsonl | wc -l) files; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# exec: the polled process is jq itself, not the shell that starts it
read -r JQ_SECONDS JQ_PEAK < <(measure sh -c "exec jq -c . $DATA/usage/*.jsonl >/dev/null")
printf 'jq -c .        : %7.1f s  %9.0f records/s  %6.1f MB/s  peak RSS %5d MiB\n' "$JQ_SECONDS" \
    "$(echo "$RECORDS / $JQ_SECONDS" | bc -l)" "$(echo "$BYTES / 1000000 / $JQ_SECONDS" | bc -l)" "$((JQ_PEAK / 1024))"

for run in 1 2; do
    read -r SECONDS_RUN PEAK < <(measure java -Xmx256m -jar "$JAR" curate --input "$DATA/usage" --output "$WORK/out$run" --seed 42)
    printf 'curate (run %d): %7.1f s  %9.0f records/s  %6.1f MB/s  peak RSS %5d MiB  %.2fx jq throughput\n' "$run" \
        "$SECONDS_RUN" "$(echo "$RECORDS / $SECONDS_RUN" | bc -l)" "$(echo "$BYTES / 1000000 / $SECONDS_RUN" | bc -l)" \
        "$((PEAK / 1024))" "$(echo "$JQ_SECONDS / $SECONDS_RUN" | bc -l)"
    [ "$run" = 1 ] && sed 's/^/    /' "$WORK/last.out" | head -8
done

if (cd "$WORK/out1" && sha256sum train.jsonl validation.jsonl eval.jsonl manifest.json) \
    | diff - <(cd "$WORK/out2" && sha256sum train.jsonl validation.jsonl eval.jsonl manifest.json) >/dev/null; then
    echo "outputs of the two runs: identical (sha256 of train, validation, eval, manifest)"
else
    echo "outputs of the two runs: DIFFERENT"
fi
