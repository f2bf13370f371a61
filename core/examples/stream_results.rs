//! Streams N results (default 1,000,000) through a testops session whose host acknowledges
//! every upload, then prints the receipt counts, the rates (all work, and the session's own
//! work without the host making its TestResults) and the peak memory (VmHWM) read from
//! /proc — IO lives here, in the example host, never in the core.
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

/// CPU seconds of this thread (user + system, nanosecond resolution): on a shared machine
/// the rate per CPU second is the figure that means something; wall time is printed beside it.
fn cpu_seconds() -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the valid, exclusively borrowed `now`.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut session = stream::session("stream");
    let (receipt, making) = stream::stream(&mut session, n, stream::result, cpu_seconds);
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    // Two rates: everything (the host making each TestResult included), and the session's
    // own work (add_results, payload JSON, upload bodies, dropping the results).
    println!(
        "results={n} acknowledged={} in_fallback={} lost={} wall_seconds={secs:.2} cpu_seconds={cpu:.2} results_per_cpu_second={:.0} making_results_cpu_seconds={making:.2} session_results_per_cpu_second={:.0} {}",
        receipt.acknowledged,
        receipt.in_fallback,
        receipt.lost,
        n as f64 / cpu.max(1e-9),
        n as f64 / (cpu - making).max(1e-9),
        peak_memory()
    );
}
