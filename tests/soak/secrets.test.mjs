// Secrets: both reporters run in debug mode (QASE_DEBUG=1) with a recognisable token against
// fake-qase with transient faults and then a permanent outage (so part of the results lands in
// the fallback). The token must appear nowhere: not in stdout/stderr, not in any file the run
// wrote (fallback report, receipts, Playwright output), not in the receipt, not in anything the
// server recorded. The test proves it can fail: the server saw requests authenticated with this
// token (so the reporters really held it), and the search finds a planted copy.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fallbackResults, filesUnder, runReporter, workDir } from './harness.mjs'

const TOKEN = `TRSECRET-${randomBytes(12).toString('hex')}`
const N = 40

// Token variants a leak could take: as is, base64, URL-encoded, reversed, a long prefix.
const NEEDLES = [TOKEN, Buffer.from(TOKEN).toString('base64'), encodeURIComponent(TOKEN), [...TOKEN].reverse().join(''), TOKEN.slice(0, 20)]

function hits(label, text) {
  return NEEDLES.filter((needle) => text.includes(needle)).map((needle) => `${label}: contains ${JSON.stringify(needle)}`)
}

function searchRun(run) {
  const found = [...hits('stdout/stderr', run.out), ...hits('receipt', JSON.stringify(run.receipt)), ...hits('server state', JSON.stringify(run.state))]
  for (const file of filesUnder(run.dir)) found.push(...hits(file, readFileSync(file, 'latin1')))
  return found
}

const FAULTS = {
  upload: {
    error: { requests: [1], status: 503 },
    rate_limit: { requests: [2], retry_after: 1 },
    drop: { requests: [3], after_store: true },
  },
  // After the first API requests the server is gone for good: the rest must go to the fallback.
  outage: { start: 8, length: 1_000_000, status: 503 },
}
const ENV = {
  QASE_DEBUG: '1',
  QASE_TESTOPS_BATCH_SIZE: '5',
  QASE_TESTOPS_UPLOADS_RETRIES: '2',
  QASE_TESTOPS_UPLOADS_DEADLINE_MS: '8000',
}

test('the search finds a planted token (the check can fail)', () => {
  const dir = workDir('proof-plant')
  writeFileSync(join(dir, 'leak.txt'), `header Token: ${TOKEN}\n`)
  const found = filesUnder(dir).flatMap((f) => hits(f, readFileSync(f, 'latin1')))
  assert.ok(found.length > 0)
  assert.ok(hits('a request dump', JSON.stringify({ headers: { Token: TOKEN } })).length > 0)
})

for (const runner of ['playwright', 'pytest']) {
  test(`${runner}: the token appears in no output, file, receipt or recorded payload`, async () => {
    const run = await runReporter(runner, { n: N, token: TOKEN, faults: FAULTS, seed: 3, env: ENV, timeoutMs: 240_000 })
    assert.equal(run.signal, null, `the run ended by itself\n${run.out}`)
    // The token was really configured: the server accepted requests carrying it.
    const authed = run.state.requests.filter((r) => r.client === 'default' && r.status >= 200 && r.status < 300)
    assert.ok(authed.some((r) => r.endpoint === 'create_run'), `a run was created with the token\n${run.out}`)
    assert.ok(authed.some((r) => r.endpoint === 'upload'), `results were uploaded with the token\n${run.out}`)
    // The faults fired, and the permanent outage wrote a fallback.
    const labels = new Set(run.state.requests.flatMap((r) => r.faults))
    for (const l of ['error', 'rate_limit', 'drop_after_store', 'outage']) assert.ok(labels.has(l), `fault ${l} fired`)
    assert.ok(run.receipt, `a receipt was saved\n${run.out}`)
    assert.ok(run.receipt.in_fallback > 0, `part of the results went to the fallback: ${JSON.stringify(run.receipt)}`)
    assert.ok(fallbackResults(run.dir).length > 0, 'the fallback holds result files')
    assert.match(run.out, /Checking filter: status=/, 'debug mode is on: the status trace is printed')
    assert.deepEqual(searchRun(run), [], 'no trace of the token anywhere')
  })
}
