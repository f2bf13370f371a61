// The napi binding's own contract: coded errors, both entry points, shapes per docs/api.md.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as esm from '../index.mjs'
import { readdirSync, readFileSync } from 'node:fs'

const t = createRequire(import.meta.url)('../index.js')

const coded = (code) => (e) => e instanceof Error && e.code === code

test('ESM and CommonJS entry points expose the same functions and classes', () => {
  const names = Object.keys(t).filter((k) => !k.startsWith('__'))
  assert.ok(names.includes('Session') && names.includes('classify'))
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), names.sort())
  for (const name of names) assert.equal(esm[name], t[name], name)
})

test('a wrong shape is an Error with code INVALID_INPUT, never a crash', () => {
  assert.throws(() => t.classify({ framework: 'playwright', runner_status: 42 }), coded('INVALID_INPUT'))
  // A negative size is clamped to 1 with a warning, as 0 is (SPEC §5): not an error.
  const negative = t.planBatches(-1, 3)
  assert.deepEqual(negative.batches, [1, 1, 1])
  assert.equal(negative.warnings.length, 1)
  assert.throws(() => t.planBatches(10, 2.5), coded('INVALID_INPUT'))
  assert.throws(() => t.runStatus('passed'), coded('INVALID_INPUT'))
  assert.throws(() => t.pipeline({ statuses: ['nope'] }), coded('INVALID_INPUT'))
  assert.throws(() => t.configurationProduct({ OS: 'linux' }), coded('INVALID_INPUT'))
  assert.throws(() => t.resolveConfig({ env: { QASE_MODE: 3 } }), coded('INVALID_INPUT'))
})

test('a panic in the native code is a thrown Error, not an abort of the process', () => {
  assert.throws(() => t._panicForTests(), (e) => e instanceof Error && e.code === 'GenericFailure' && /a panic the tests asked for/.test(e.message))
  // The binding still answers afterwards.
  assert.equal(t.planBatches(2, 3).batches.length, 2)
})

test('every export catches panics (catch_unwind on each #[napi] function)', () => {
  // A panic that unwinds out of an export without it aborts Node (and the test run with it).
  const src = new URL('../src/', import.meta.url)
  const missing = []
  for (const file of readdirSync(src).filter((f) => f.endsWith('.rs'))) {
    const text = readFileSync(new URL(file, src), 'utf8')
    // Each #[napi…] attribute with the item it is on (struct, impl and const items need none).
    const items = [...text.matchAll(/#\[napi(\((?:[^()]|\([^()]*\))*\))?\]\s*(?:#\[[^\]]*\]\s*)*(pub fn \w+|pub struct|pub const|impl \w+)/g)]
    // Every attribute was read (none hidden from the check by a shape the pattern misses).
    assert.equal(items.length, text.split('#[napi').length - 1, file)
    for (const m of items) {
      if (m[2].startsWith('pub fn') && !(m[1] ?? '').includes('catch_unwind')) missing.push(`${file}: ${m[2]}`)
    }
  }
  assert.deepEqual(missing, [])
})

test('classify reads snake_case data and returns the verdict shape', () => {
  const verdict = t.classify({
    framework: 'playwright',
    runner_status: 'failed',
    error: { type: 'TypeError', chain: ['TypeError'], message: 'x is undefined', matcher: false },
  })
  assert.equal(verdict.status, 'invalid')
  assert.equal(typeof verdict.rule, 'string')
  assert.equal(typeof verdict.evidence, 'string')
  const matcher = t.classify({ framework: 'playwright', runner_status: 'failed', error: { type: 'Error', matcher: true } })
  assert.equal(matcher.status, 'failed')
})

test('invalid configuration entries are warnings with codes, not errors', () => {
  const { mapping, warnings } = t.parseStatusMappingEnv('invalid=failed, bogus=passed')
  assert.deepEqual(mapping, { invalid: 'failed' })
  assert.equal(warnings.length, 1)
  assert.equal(warnings[0].level, 'warning')
  assert.equal(typeof warnings[0].code, 'string')
  const batches = t.planBatches(500, 450)
  assert.deepEqual(batches.batches, [200, 200, 50])
  assert.equal(batches.warnings.length, 1)
})

test('resolveConfig never shows the token', () => {
  const { config } = t.resolveConfig({ env: { QASE_TESTOPS_API_TOKEN: 'secret-token-123', QASE_TESTOPS_PROJECT: 'DEMO' } })
  const text = JSON.stringify(config)
  assert.ok(!text.includes('secret-token-123'), text)
  assert.ok(text.includes('***'), text)
})

test('configurationProduct keeps group order and value order', () => {
  assert.deepEqual(t.configurationProduct({ OS: ['linux', 'mac'], Browser: ['chromium'] }), [
    { OS: 'linux', Browser: 'chromium' },
    { OS: 'mac', Browser: 'chromium' },
  ])
  assert.deepEqual(Object.keys(t.configurationProduct({ z: ['1'], a: ['2'] })[0]), ['z', 'a'])
})

function drain(session, now, onFiles = (a) => session.handle(now, { event: 'report_written', request_id: a.request_id })) {
  const actions = []
  for (;;) {
    const action = session.poll(now)
    actions.push(action)
    if (action.action === 'write_files') onFiles(action)
    if (action.action === 'wait' || action.action === 'finished') return actions
  }
}

const result = (title, runner_status = 'passed') => ({ title, suite: ['s'], outcome: { framework: 'playwright', runner_status } })

test('Session: bulk addResults and per-item test_finished give the same report', () => {
  const now = Date.now()
  const written = (feed) => {
    const session = new t.Session({ options: { report: { connection: { local: { path: '/nonexistent/report' } } } } }, { instance: 'same' }, now)
    feed(session)
    session.handle(now, { event: 'all_tests_done' })
    const actions = drain(session, now)
    const files = actions.filter((a) => a.purpose === 'write_report').flatMap((a) => a.files).filter((f) => f.path.startsWith('results/'))
    return { files, receipt: actions.at(-1).receipt }
  }
  const list = [result('a'), result('b', 'failed'), result('c', 'skipped')]
  const bulk = written((s) => s.addResults(now, list))
  const single = written((s) => list.forEach((r) => s.handle(now, { event: 'test_finished', result: r })))
  assert.equal(bulk.files.length, 3)
  assert.deepEqual(bulk.files, single.files)
  assert.equal(bulk.receipt.results_seen, 3)
  assert.equal(bulk.receipt.lost, 0)
  assert.equal(typeof bulk.receipt.summary, 'string')
})

test('Session: misuse is an Error with a code and changes nothing; times are plain numbers', () => {
  const now = Date.now()
  assert.throws(() => new t.Session({}, { instance: '' }, now), coded('INVALID_INPUT'))
  const session = new t.Session({ env: { QASE_MODE: 'testops', QASE_TESTOPS_API_TOKEN: 'tok-xyz', QASE_TESTOPS_PROJECT: 'DEMO', QASE_TESTOPS_API_HOST: 'http://127.0.0.1:9' } }, { instance: 'i' }, now)
  assert.equal(session.token(), 'tok-xyz')
  assert.equal(session.runId, null)
  const [create] = drain(session, now).filter((a) => a.purpose === 'create_run')
  assert.equal(create.method, 'POST')
  assert.ok(!JSON.stringify(create).includes('tok-xyz'), 'the token is not in the action')
  assert.throws(() => session.handle(now, { event: 'http_response', request_id: 999, status: 200, body: '' }), coded('UNKNOWN_REQUEST'))
  assert.throws(() => session.addResults(now, [{ title: 1 }]), coded('INVALID_INPUT'))
  assert.throws(() => session.handle(-1, { event: 'all_tests_done' }), coded('INVALID_INPUT'))
  // No answer: the session retries later — `wait.until` is a time in ms, a plain number.
  session.handle(now, { event: 'http_failed', request_id: create.request_id, message: 'ECONNREFUSED' })
  const wait = drain(session, now).at(-1)
  assert.equal(wait.action, 'wait')
  assert.equal(typeof wait.until, 'number')
  assert.ok(wait.until > now)
  session.handle(now, { event: 'all_tests_done' })
  drain(session, wait.until + 600_000)
  assert.throws(() => session.handle(now, { event: 'all_tests_done' }), coded('WRONG_STATE'))
})
