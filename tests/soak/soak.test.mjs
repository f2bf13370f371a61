// Soak with faults: both reporters, SOAK_N results each (CI: 1,000; `scripts/bench`: 10,000),
// against fake-qase with seeded faults — 20 % 5xx, 429 with Retry-After, a 413, slow answers,
// dropped connections (after the server stored the body, so retries meet idempotency) — and an
// outage in the middle (the server unreachable for several requests, as during a restart).
// Checks, from the server's state, the receipt and the fallback files: every result stored
// exactly once or saved in the fallback, nothing lost or conflicting, the run completed iff
// everything arrived, the session finished by itself (receipt written, no overrun message).
// SOAK_REPORT=path appends one JSON line per reporter (used by scripts/bench).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appendFileSync } from 'node:fs'
import { fallbackResults, runReporter } from './harness.mjs'

const N = Number(process.env.SOAK_N ?? 1000)
const BATCH = N >= 5000 ? 100 : 20
const UPLOADS = Math.ceil(N / BATCH)
const TOKEN = 'soak-token'
const DEADLINE_MS = 60_000

const FAULTS = {
  seed: 2026,
  upload: {
    // Seeded draws, plus fixed request numbers so that every kind fires at any size.
    error: { probability: 0.2, requests: [1, 6], status: 503 },
    rate_limit: { probability: 0.05, requests: [2], retry_after: 1 },
    too_large: { requests: [3] },
    slow: { probability: 0.1, requests: [4], delay_ms: 300 },
    drop: { probability: 0.05, requests: [5], after_store: true },
  },
  // About half-way through the uploads, the server is unreachable for 6 requests in a row.
  outage: { start: Math.max(4, Math.floor(UPLOADS / 2)), length: 6, drop: true },
}

for (const runner of ['playwright', 'pytest']) {
  test(`${runner}: ${N} results through faults and an outage — each stored once or in the fallback`, async () => {
    const run = await runReporter(runner, {
      n: N,
      token: TOKEN,
      faults: FAULTS,
      env: { QASE_TESTOPS_BATCH_SIZE: String(BATCH), QASE_TESTOPS_UPLOADS_DEADLINE_MS: String(DEADLINE_MS) },
      timeoutMs: 900_000,
    })
    assert.equal(run.signal, null, `the reporter run ended by itself (no hang)\n${run.out.slice(-4000)}`)
    assert.doesNotMatch(run.out, /did not finish in time/)
    const { receipt, state } = run
    assert.ok(receipt, `the receipt was saved\n${run.out.slice(-4000)}`)
    assert.equal(state.runs.length, 1, 'one run created')
    const [srv] = state.runs

    const labels = new Set(state.requests.flatMap((r) => r.faults))
    for (const l of ['error', 'rate_limit', 'too_large', 'slow', 'drop_after_store', 'outage']) assert.ok(labels.has(l), `fault ${l} fired`)

    const stored = new Map(srv.results.map((r) => [r.id, r.payload]))
    const fallback = fallbackResults(run.dir)
    const inFallback = new Set(fallback.map((r) => r.id))
    assert.equal(stored.size, srv.results.length, 'the server stored each id once')
    assert.equal(inFallback.size, fallback.length, 'each fallback file holds another result')
    assert.equal(srv.conflicting_duplicates, 0, 'a retried result is the same payload')

    // Accounting: every payload is acknowledged or in the fallback; nothing lost.
    assert.equal(receipt.results_seen, N)
    assert.equal(receipt.lost, 0)
    assert.equal(receipt.acknowledged + receipt.in_fallback, N, JSON.stringify(receipt))
    assert.equal(receipt.in_fallback, fallback.length)
    // Every test arrived or was saved: N distinct tests (signature: file, title, params).
    const tests = new Set([...stored.values(), ...fallback].map((p) => p.signature))
    assert.equal(tests.size, N, 'every generated test is accounted for')
    // Acknowledged results are on the server; a result is in the fallback only if unacknowledged.
    const onServerOnly = [...stored.keys()].filter((id) => !inFallback.has(id)).length
    assert.equal(onServerOnly, receipt.acknowledged, 'acknowledged = stored and not saved')

    // The job writes its receipt (that is how this test reads it), so it hands the run's
    // completion to the complete-run step (SPEC §5) and never completes the run itself; which
    // run is completed when is checked by the session's property tests and the e2e tests.
    assert.equal(srv.completed, false, `left for the complete-run step: ${JSON.stringify(receipt)}`)
    assert.equal(srv.complete_calls, 0)
    assert.equal(receipt.completed, false)
    assert.equal(srv.uploads_after_complete, 0)

    const line = { runner, n: N, batch: BATCH, seconds: +(run.elapsedMs / 1000).toFixed(1), uploads: state.requests.filter((r) => r.endpoint === 'upload').length,
      faults: Object.fromEntries([...labels].map((l) => [l, state.requests.filter((r) => r.faults.includes(l)).length])),
      acknowledged: receipt.acknowledged, in_fallback: receipt.in_fallback, duplicates: srv.duplicates, completed: srv.completed }
    console.log(`soak ${JSON.stringify(line)}`)
    if (process.env.SOAK_REPORT) appendFileSync(process.env.SOAK_REPORT, `${JSON.stringify(line)}\n`)
  })
}
