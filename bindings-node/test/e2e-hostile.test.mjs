// End to end against a hostile Qase API (tests/server, fake-qase): real Playwright runs through
// the reporter while the server hangs, drips, redirects elsewhere, or the configuration itself
// is hostile. Every scenario checks one invariant, because a reporter that keeps its promises
// keeps them all at once: every result is either stored in the run or saved in the fallback
// report, never both and never neither; the run is completed exactly when nothing was left
// behind; Playwright's exit code is its own; the token never leaks; and the end is bounded by
// the upload deadline, however the server behaves.
import { test, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeQase } from '../../tests/server/client/fake_qase.mjs'
import { tempDir } from '../../tests/temp-dirs.mjs'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const TOKEN = 'hostile-secret-token-3e8b'
// Small bounds, so that a scenario that waits for them ends in seconds.
const BOUNDS = {
  QASE_TESTOPS_BATCH_SIZE: '5',
  QASE_TESTOPS_UPLOADS_REQUEST_TIMEOUT_MS: '1000',
  QASE_TESTOPS_UPLOADS_DEADLINE_MS: '3000',
  QASE_TESTOPS_START_TIMEOUT_MS: '1500',
}
const DEADLINE_S = Number(BOUNDS.QASE_TESTOPS_UPLOADS_DEADLINE_MS) / 1000
const SUITE = Array.from({ length: 20 }, (_, i) => `passes ${String(i + 1).padStart(2, '0')}`)

const server = await startFakeQase({ token: TOKEN, projects: ['DEMO'] })
// Another origin, where a redirect may try to send the reporter (and its token).
const elsewhere = await startFakeQase({ token: 'elsewhere-token', projects: ['DEMO'] })
after(() => Promise.all([server.stop(), elsewhere.stop()]))
beforeEach(() => Promise.all([server.reset(), elsewhere.reset()]))

function baseEnv(extra) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QASE_')))
  return {
    ...clean,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    FORCE_COLOR: '0',
    TESTRELAY_PW_OUTPUT: tempDir('pw-out-'),
    QASE_MODE: 'testops',
    QASE_TESTOPS_API_TOKEN: TOKEN,
    QASE_TESTOPS_API_HOST: server.url,
    QASE_TESTOPS_PROJECT: 'DEMO',
    ...BOUNDS,
    ...extra,
  }
}

/**
 * Runs a fixtures/hostile suite. Async, so the servers (in this process) keep answering.
 * Resolves with Playwright's exit code and output, the fallback folder, what the recorder
 * reporter saw, and the end wait: seconds from the last test's end to the process's exit.
 */
function runPlaywright(env = {}, config = 'playwright.config.mjs') {
  const fallback = tempDir('testrelay-fallback-')
  const record = join(tempDir('testrelay-record-'), 'record.jsonl')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(pkg, 'node_modules/@playwright/test/cli.js'), 'test', '-c', `test/fixtures/hostile/${config}`], {
      cwd: pkg,
      env: baseEnv({ QASE_REPORT_CONNECTION_PATH: fallback, TESTRELAY_HOSTILE_RECORD: record, ...env }),
    })
    let out = ''
    let exitedAt = null
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('exit', () => (exitedAt = Date.now()))
    child.on('close', (code) => {
      const recorded = existsSync(record)
        ? readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
        : []
      const lastEnd = Math.max(...recorded.map((r) => r.ended))
      resolve({ code, out, fallback, recorded, endWait: (exitedAt - lastEnd) / 1000 })
    })
  })
}

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** The results saved locally: id (from the file name, which must match the content) → title. */
function savedResults(dir) {
  const folder = join(dir, 'results')
  if (!existsSync(folder)) return new Map()
  return new Map(
    readdirSync(folder).map((name) => {
      const result = JSON.parse(readFileSync(join(folder, name), 'utf8'))
      assert.equal(`${result.id}.json`, name, 'a saved result is named by its id')
      return [result.id, result.title]
    }),
  )
}

/**
 * The invariant, for one finished Playwright run. `D`: results stored in the run; `F`: results
 * saved locally. Returns them (and the run, if any) for the scenario's own checks.
 */
async function assertInvariant(label, run, { expectedCode = 0, interrupted = false, secret = TOKEN } = {}) {
  const { code, out, fallback, recorded, endWait } = run
  console.log(`end wait: ${endWait.toFixed(1)} s (${label})`)
  const state = await server.state()
  assert.ok(state.runs.length <= 1, `at most one run was created\n${out}`)
  const [qaseRun] = state.runs
  const D = new Map((qaseRun?.results ?? []).map((r) => [r.id, r.payload.title]))
  const F = savedResults(fallback)

  assert.ok(recorded.length > 0, `the suite ran\n${out}`)
  for (const id of D.keys()) assert.ok(!F.has(id), `result ${id} is both delivered and saved\n${out}`)
  assert.equal(D.size + F.size, recorded.length, `every result is delivered or saved, once\n${out}`)
  const titles = [...D.values(), ...F.values()].sort()
  assert.deepEqual(titles, recorded.map((r) => r.title).sort(), 'delivered and saved are exactly what the suite produced')
  if (qaseRun) {
    assert.equal(qaseRun.duplicates, 0, 'nothing was stored twice')
    const completed = !interrupted && F.size === 0
    assert.equal(qaseRun.completed, completed, `the run is completed iff nothing was left behind\n${out}`)
    assert.equal(qaseRun.complete_calls, completed ? 1 : 0)
    assert.equal(qaseRun.uploads_after_complete, 0)
  }
  assert.equal(code, expectedCode, `Playwright's exit code, as without reporting\n${out}`)
  assert.ok(!out.includes(secret), 'the token never appears in the output')
  for (const file of filesUnder(fallback)) assert.ok(!readFileSync(file, 'utf8').includes(secret), `the token is not in ${file}`)
  assert.ok(endWait < DEADLINE_S + 10, `the end waited ${endWait} s, over the deadline of ${DEADLINE_S} s plus 10 s`)
  return { state, qaseRun, D, F }
}

const uploadsOf = (state) => state.requests.filter((r) => r.endpoint === 'upload')
const count = (text, needle) => text.split(needle).length - 1

test('every upload hangs: all results saved, the run left open, the end bounded by the deadline', async () => {
  await server.setFaults({ upload: { hang: { probability: 1 } } })
  const run = await runPlaywright()
  const { state, qaseRun, D, F } = await assertInvariant('hang on every upload', run)
  assert.ok(qaseRun, run.out)
  assert.equal(D.size, 0)
  assert.equal(F.size, SUITE.length)
  const uploads = uploadsOf(state)
  assert.ok(uploads.length > 0 && uploads.every((r) => r.status === null && r.faults.includes('hang')), 'every upload hung')
  assert.match(run.out, /20 of 20 results were NOT delivered to run \d+; 20 saved to .*; run left open/)
})

test('the first upload hangs: retried after its timeout, all delivered once, the run completed', async () => {
  await server.setFaults({ upload: { hang: { requests: [1], after_store: false } } })
  const run = await runPlaywright()
  const { state, qaseRun, D, F } = await assertInvariant('first upload hangs', run)
  assert.deepEqual([...D.values()].sort(), SUITE)
  assert.equal(F.size, 0)
  assert.equal(qaseRun.conflicting_duplicates, 0)
  const [first, ...rest] = uploadsOf(state)
  assert.deepEqual([first.status, first.faults], [null, ['hang']])
  // The hung batch was sent again: the stored uploads carried every result exactly once.
  assert.equal(rest.filter((r) => r.status === 202).reduce((n, r) => n + r.results, 0), SUITE.length)
  assert.match(run.out, /testrelay: 20 results delivered to run \d+; run completed/)
})

test('every upload drips its answer: a total deadline per request, all results saved, the run left open', async () => {
  await server.setFaults({ upload: { drip: { probability: 1, interval_ms: 500, after_store: false } } })
  const run = await runPlaywright()
  const { state, D, F } = await assertInvariant('drip on every upload', run)
  assert.equal(D.size, 0)
  assert.equal(F.size, SUITE.length)
  // The server had started a 202 each time: only a deadline on the whole answer gives up.
  assert.ok(uploadsOf(state).every((r) => r.status === 202 && r.faults.includes('drip')))
})

test('creating the run hangs: nothing stored, all results saved, the end bounded by the start timeout', async () => {
  await server.setFaults({ create_run: { hang: { probability: 1 } } })
  // A request timeout past the start timeout, so that the start timeout is what gives up (with
  // a shorter one the session gives up at the first timeout already: a retry could not fit).
  const run = await runPlaywright({ QASE_TESTOPS_UPLOADS_REQUEST_TIMEOUT_MS: '5000' })
  const { state, qaseRun, F } = await assertInvariant('create_run hangs', run)
  assert.equal(qaseRun, undefined)
  assert.equal(F.size, SUITE.length)
  const opening = state.requests.filter((r) => r.endpoint === 'create_run')
  assert.deepEqual(opening.map((r) => r.status), [null], 'the run request hung, and was not tried again')
  assert.equal(uploadsOf(state).length, 0)
  // The run request's timeout is cut to the start timeout, so the host's abort and the
  // session's own start bound fall due together; either may say why.
  assert.match(run.out, /could not open the test run \((no answer within 2 s of the start|no response \(TimeoutError\))/)
  // The start timeout (1.5 s from the start) is over by about the time the tests end; without
  // it the end would wait for the upload deadline.
  assert.ok(run.endWait < DEADLINE_S, `the end waited ${run.endWait} s`)
})

/** The warning about a refused redirect, exactly as the session says it. */
const redirectWarning = (status) =>
  `the server redirected a request (HTTP ${status}) to ${elsewhere.url}; not followed: the token is only sent to ${server.url}`

test('a redirect of an upload to another origin is not followed: the token stays home, that batch is saved, the run left open', async () => {
  await server.setFaults({ upload: { redirect: { requests: [1], status: 307, location: `${elsewhere.url}/v2/DEMO/run/1/results` } } })
  const run = await runPlaywright()
  const { state, qaseRun, D, F } = await assertInvariant('cross-origin 307 on an upload', run)
  assert.deepEqual((await elsewhere.state()).requests.filter((r) => r.token), [], 'no request with a token reached the other origin')
  const [first] = uploadsOf(state)
  assert.deepEqual([first.status, first.faults], [307, ['redirect']])
  assert.ok(F.size >= 1 && F.size <= 5, `the redirected batch (at most 5) is saved: ${F.size}\n${run.out}`)
  assert.equal(D.size, SUITE.length - F.size)
  assert.equal(qaseRun.completed, false)
  assert.equal(count(run.out, redirectWarning(307)), 1, run.out)
})

test('a redirect of the run request to another origin is not followed: nothing sent there with a token, all results saved', async () => {
  await server.setFaults({ create_run: { redirect: { requests: [1], status: 302, location: `${elsewhere.url}/v1/run/DEMO` } } })
  const run = await runPlaywright()
  const { qaseRun, F } = await assertInvariant('cross-origin 302 on create_run', run)
  assert.deepEqual((await elsewhere.state()).requests.filter((r) => r.token), [], 'no request with a token reached the other origin')
  assert.equal(qaseRun, undefined)
  assert.equal(F.size, SUITE.length)
  assert.equal(count(run.out, redirectWarning(302)), 1, run.out)
})

test('a same-origin 307 on an upload is followed: all delivered, the run completed', async () => {
  await server.setFaults({ upload: { redirect: { requests: [1], status: 307 } } })
  const run = await runPlaywright()
  const { state, D, F } = await assertInvariant('same-origin 307 on an upload', run)
  assert.deepEqual([...D.values()].sort(), SUITE)
  assert.equal(F.size, 0)
  const [first, second] = uploadsOf(state)
  assert.deepEqual([first.status, first.faults, second.path], [307, ['redirect'], first.path])
  assert.ok(!run.out.includes('not followed'), run.out)
})

test('an interrupted run (global timeout) is left open though all that ran was delivered', async () => {
  const unreported = await runPlaywright({ QASE_MODE: 'off' }, 'interrupted.config.mjs')
  assert.notEqual(unreported.code, 0, `a timed-out run fails on its own\n${unreported.out}`)
  // The baseline: how long the end takes without testrelay (Playwright's own and the
  // recorder's wait for the result Playwright reports after onEnd).
  console.log(`end wait: ${unreported.endWait.toFixed(1)} s (interrupted run, QASE_MODE=off)`)
  const run = await runPlaywright({}, 'interrupted.config.mjs')
  // The test cut off by the global timeout is a result too (Playwright reports it as
  // interrupted, after onEnd): the invariant counts it like the others.
  const { qaseRun, D, F } = await assertInvariant('interrupted run', run, { expectedCode: unreported.code, interrupted: true })
  assert.match(run.out, /Timed out waiting 3s for the test suite to run/)
  assert.ok(qaseRun, run.out)
  assert.equal(F.size, 0)
  assert.equal(D.size, run.recorded.length)
  assert.match(run.out, new RegExp(`testrelay: ${D.size} results delivered to run ${qaseRun.id}; run left open \\(the test run was interrupted\\)`))
})

test('a token with a line break is refused by name, never shown; results are written locally, nothing is sent', async () => {
  const secret = 'hostile-secret-line-71c0'
  const run = await runPlaywright({ QASE_TESTOPS_API_TOKEN: `${secret}\nX-Injected: 1` })
  const { state, F } = await assertInvariant('token with a newline', run, { secret })
  assert.ok(!run.out.includes('X-Injected'), run.out)
  assert.match(run.out, /QASE_TESTOPS_API_TOKEN.*is invalid/)
  assert.equal(F.size, SUITE.length)
  assert.deepEqual(state.requests, [], 'no request reached the server')
})

test('a project code that is a path is refused by name; results are written locally, nothing is sent', async () => {
  const run = await runPlaywright({ QASE_TESTOPS_PROJECT: '../../v1/run/X/1000/complete?' })
  const { state, F } = await assertInvariant('project code that is a path', run)
  assert.match(run.out, /QASE_TESTOPS_PROJECT.*is invalid/)
  assert.equal(F.size, SUITE.length)
  assert.deepEqual(state.requests, [], 'no request reached the server')
})
