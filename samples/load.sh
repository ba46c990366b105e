#!/bin/sh
# Drives a Factline API with closed-loop load and prints throughput and latency percentiles:
#   samples/load.sh [--url http://127.0.0.1:8080] [--concurrency 8] [--duration 30s] [--warmup 5s]
#                   [--mix deposit=5,read=4,order=1]      (operations: open, deposit, read, order)
# FACTLINE_API_AUTH=iam signs every request (SigV4, the AWS SDK's signer; credentials and region from the
# SDK's default chains), for an API with IAM auth. Each worker opens and funds an account of its own first. Builds the benchmarks jar when it is
# missing or older than the sources. Exit status: 1 when any answer was not the expected one (they
# are counted by status in the table), 2 for a bad flag, 3 when the workers could not set up.
set -e
cd "$(dirname "$0")/.."
tools/build-if-stale.sh benchmarks/target/factline-benchmarks.jar benchmarks
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp benchmarks/target/factline-benchmarks.jar dev.factline.benchmarks.load.LoadMain "$@"
