//! Results per second through the session: case ids, classify, map, filter, signature,
//! payload JSON per result and the upload bodies, with a host that acknowledges every
//! upload at once. Run: `cargo bench -p testrelay --bench session`.

#[path = "support/stream.rs"]
mod stream;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const N: usize = 10_000;

fn session(c: &mut Criterion) {
    let mut group = c.benchmark_group("session");
    group.throughput(Throughput::Elements(N as u64));
    group.sample_size(20);
    group.bench_function("10k results through testops incl. payload JSON", |b| {
        b.iter_batched(
            || {
                (
                    stream::session("bench"),
                    (0..N).map(stream::result).collect::<Vec<_>>(),
                )
            },
            |(mut s, results)| {
                let mut results = results.into_iter();
                black_box(stream::stream(
                    &mut s,
                    N,
                    |_| results.next().unwrap(),
                    || 0.0,
                ))
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, session);
criterion_main!(benches);
