#!/usr/bin/env bash
# Session figures: criterion results/second (incl. payload JSON), then peak memory (VmHWM)
# of the stream_results example at 100,000 and 1,000,000 results (flat = bounded by batches
# in flight, not by run size).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
cargo bench -p testrelay --bench session
cargo build --release -p testrelay --example stream_results
for n in 100000 1000000; do
  ./target/release/examples/stream_results "$n"
done
