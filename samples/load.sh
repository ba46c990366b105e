#!/bin/sh
# Drives a Factline API with closed-loop load and prints throughput and latency percentiles:
#   samples/load.sh [--url http://127.0.0.1:8080] [--concurrency 8] [--duration 30s] [--warmup 5s]
#                   [--mix deposit=5,read=4,order=1]      (operations: open, deposit, read, order)
# Each worker opens and funds an account of its own first. Builds the benchmarks jar when missing.
# Exit status 1 when any answer was not the expected one (they are counted by status in the table).
set -e
cd "$(dirname "$0")/.."
[ -f benchmarks/target/factline-benchmarks.jar ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp benchmarks/target/factline-benchmarks.jar dev.factline.benchmarks.load.LoadMain "$@"
