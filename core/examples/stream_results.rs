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

/// CPU seconds (user + system) of this process: on a shared machine the rate per CPU second
/// is the figure that means something; wall time is printed beside it.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is 14th, stime 15th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<f64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let ticks = fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0);
    ticks / 100.0
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
    let cpu = cpu_seconds();
    println!(
        "results={n} acknowledged={} in_fallback={} lost={} wall_seconds={secs:.2} cpu_seconds={cpu:.2} results_per_cpu_second={:.0} {}",
        receipt.acknowledged,
        receipt.in_fallback,
        receipt.lost,
        n as f64 / cpu.max(0.01),
        peak_memory()
    );
}
