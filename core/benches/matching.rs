//! Case matching at scale: a 100,000-case index built, then 1,000,000 lookups (half by id,
//! half by title + suite path, 10% of each missing). Before the timings it prints the
//! memory per indexed case, measured by a counting global allocator, and the CPU time of
//! each step read from `/proc/thread-self/schedstat` (time on a core, so the figure does
//! not grow when other processes share the machine; wall time is criterion's).
//!
//! Run: `cargo bench -p testrelay --bench matching`

use criterion::{BatchSize, Criterion};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use testrelay::{CaseIndex, MatchSettings, RepoCase, ResultFacts, Status};

const CASES: u64 = 100_000;
const LOOKUPS: usize = 1_000_000;

/// Counts live heap bytes, to measure what the index holds.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn title(i: u64) -> String {
    format!("Checkout applies discount code {i}")
}

fn suite(i: u64) -> Vec<String> {
    vec![
        format!("Area {}", i % 20),
        format!("Feature {}", i % 700),
        format!("spec_{}.ts", i % 5000),
    ]
}

fn snapshot() -> Vec<RepoCase> {
    (1..=CASES)
        .map(|i| RepoCase {
            id: i,
            title: title(i),
            suite: suite(i),
            automated: i % 3 != 0,
            ..RepoCase::default()
        })
        .collect()
}

/// A deterministic mix: even i by id, odd i by title + suite; every 10th of each misses.
fn lookups() -> Vec<ResultFacts> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..LOOKUPS)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let case = x % CASES + 1;
            let miss = (i / 2) % 10 == 9;
            let by_id = i % 2 == 0;
            ResultFacts {
                testops_ids: by_id.then(|| {
                    vec![if miss {
                        case as i64 + CASES as i64
                    } else {
                        case as i64
                    }]
                }),
                title: if miss && !by_id {
                    format!("{} (new)", title(case))
                } else {
                    title(case)
                },
                suite: suite(case),
                status: Status::Passed,
                fields: Default::default(),
                steps: Vec::new(),
                params: Default::default(),
                tags: Vec::new(),
                muted: None,
                flaky: None,
            }
        })
        .collect()
}

fn lookup_all(index: &CaseIndex, results: &[ResultFacts]) -> usize {
    results
        .iter()
        .filter(|r| match &r.testops_ids {
            Some(ids) => index.by_id(ids[0] as u64).is_some(),
            None => index.by_title_suite(&r.title, &r.suite).is_some(),
        })
        .count()
}

fn report_memory() {
    let before = LIVE.load(Ordering::Relaxed);
    let cases = snapshot();
    let with_cases = LIVE.load(Ordering::Relaxed);
    let index = CaseIndex::build(cases);
    let with_index = LIVE.load(Ordering::Relaxed);
    let n = CASES as f64;
    println!(
        "memory per indexed case: {:.0} B total = {:.0} B case data + {:.0} B index ({} cases)",
        (with_index - before) as f64 / n,
        (with_cases - before) as f64 / n,
        (with_index - with_cases) as f64 / n,
        index.len()
    );
}

/// Nanoseconds this thread has spent on a core (Linux), `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// The mean CPU time of `rounds` runs of `f`, in ms.
fn cpu_ms<T>(rounds: u32, mut f: impl FnMut() -> T) -> Option<f64> {
    let start = cpu_ns()?;
    for _ in 0..rounds {
        black_box(f());
    }
    Some((cpu_ns()? - start) as f64 / 1e6 / f64::from(rounds))
}

fn report_cpu_time() {
    let cases = snapshot();
    let build = cpu_ms(5, || CaseIndex::build(cases.clone()))
        .zip(cpu_ms(5, || cases.clone()))
        .map(|(with_clone, clone)| with_clone - clone);
    let index = CaseIndex::build(cases);
    let results = lookups();
    let lookup = cpu_ms(5, || lookup_all(&index, &results));
    match (build, lookup) {
        (Some(build), Some(lookup)) => println!(
            "cpu time on one core: build 100k-case index {build:.1} ms, {LOOKUPS} lookups {lookup:.1} ms"
        ),
        _ => println!("cpu time: /proc/thread-self/schedstat not available"),
    }
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("matching");
    group
        .sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1));
    group.bench_function("build 100k-case index", |b| {
        b.iter_batched(
            snapshot,
            |cases| black_box(CaseIndex::build(cases)),
            BatchSize::LargeInput,
        )
    });
    let index = CaseIndex::build(snapshot());
    let results = lookups();
    let hits = lookup_all(&index, &results);
    println!("lookups: {LOOKUPS}, hits: {hits}");
    group.bench_function("1M lookups (id + title/suite)", |b| {
        b.iter(|| black_box(lookup_all(&index, black_box(&results))))
    });
    let settings = MatchSettings {
        auto_create: false,
        ..MatchSettings::default()
    };
    group.bench_function("1M match_result decisions", |b| {
        b.iter(|| {
            results
                .iter()
                .map(|r| index.match_result(r, &settings).case_ids().len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn main() {
    report_memory();
    report_cpu_time();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
