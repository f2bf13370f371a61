//! Streams N results (default 1,000,000) through a testops session whose host acknowledges
//! every upload, then prints the receipt counts, the rate and the peak memory (VmHWM) read
//! from /proc — IO lives here, in the example host, never in the core.
//! Run: `cargo run --release -p testrelay --example stream_results -- 1000000`.

#[path = "../benches/support/stream.rs"]
mod stream;

use std::time::Instant;

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "VmHWM: unknown".into())
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let start = Instant::now();
    let mut session = stream::session("stream");
    let receipt = stream::stream(&mut session, n, stream::result);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "results={n} acknowledged={} in_fallback={} lost={} seconds={secs:.2} results_per_second={:.0} {}",
        receipt.acknowledged,
        receipt.in_fallback,
        receipt.lost,
        n as f64 / secs,
        peak_memory()
    );
}
