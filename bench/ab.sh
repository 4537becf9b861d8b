#!/usr/bin/env bash
# A/B: the dispatcher of two builds, interleaved, same settings. Prints events/s and CPU per event.
#   bench/ab.sh <server/dist/server/main.js of A> <… of B> [rounds]   (BENCH_* settings pass through)
# Keep each build's copy inside the repository (e.g. `cp -r server/dist bench/builds/A`; bench/builds/ is
# ignored by git) so that it resolves the repository's node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1; B=$2; ROUNDS=${3:-3}
for r in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    main=$([ $side = A ] && echo "$A" || echo "$B")
    line=$(BENCH_MAIN="$main" BENCH_ONLY=${BENCH_ONLY:-dispatcher} BENCH_LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-10} BENCH_WRITE=0 \
      node_modules/.bin/node bench/run.mjs 2>&1 | grep -E "dispatcher: [0-9,]+ events/s|receiver p50" | tr '\n' ' ')
    echo "$side round $r: $line" | sed -E 's/\[bench +[0-9]+s\] //g'
  done
done
