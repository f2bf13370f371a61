// End to end for testrelay/vitest: real Vitest runs of the fixture suite in test/vitest (its own
// package.json, so the package's own stays free of Vitest) through the reporter — in report
// mode, field by field, then against the local Qase API server: every result delivered once, also
// through a fault; all of them saved locally when no upload gets through; an interrupted run
// left open. Vitest's exit code is the same as without testrelay every time. Then vitest.d.ts
// is type-checked as a project uses it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeQase } from '../../tests/server/client/fake_qase.mjs'
import { tempDir } from '../../tests/temp-dirs.mjs'

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'vitest')
const TOKEN = 'e2e-vitest-token-8d2e'

/** Installs the fixture's npm packages (Vitest, TypeScript) unless they are newer than its manifests. */
function installFixture() {
  const stamp = join(fixture, 'node_modules/.package-lock.json')
  const manifests = ['package.json', 'package-lock.json'].map((f) => statSync(join(fixture, f)).mtimeMs)
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...manifests)) return
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: fixture, encoding: 'utf8', timeout: 300_000 })
  assert.equal(npm.status, 0, `npm install in ${fixture}\n${npm.stdout}${npm.stderr}`)
}

/**
 * types/node_modules/testrelay: this package, where an installed one would be, for the type
 * check (a folder npm never prunes; the package's `exports` are not involved).
 */
function linkPackage() {
  const link = join(fixture, 'types/node_modules/testrelay')
  try {
    lstatSync(link)
    return
  } catch {}
  mkdirSync(dirname(link), { recursive: true })
  symlinkSync('../../../..', link, 'dir')
}

let server
let offCode
before(async () => {
  installFixture()
  linkPackage()
  server = await startFakeQase({ token: TOKEN, projects: ['DEMO'] })
  // The reference: the suite's exit code without testrelay reporting anything.
  const off = await runVitest({ QASE_MODE: 'off' })
  offCode = off.code
  assert.equal(offCode, 1, `the fixture fails on purpose\n${off.out}`)
  // Counted in tries: the test linked to two cases is one.
  assert.match(off.out, new RegExp(`testrelay: mode off; ${TOTAL - 1} results not reported`), off.out)
})
after(() => server?.stop())

// Async, so the server (in this process) keeps answering while Vitest runs.
function runVitest(env, args = []) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QASE_') && !k.startsWith('TESTRELAY_')))
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', ...args], { cwd: fixture, env: { ...clean, FORCE_COLOR: '0', NO_COLOR: '1', ...env } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => resolve({ code, out }))
  })
}

function testopsEnv(extra) {
  return {
    QASE_MODE: 'testops',
    QASE_TESTOPS_API_TOKEN: TOKEN,
    QASE_TESTOPS_API_HOST: server.url,
    QASE_TESTOPS_PROJECT: 'DEMO',
    QASE_REPORT_CONNECTION_PATH: tempDir('testrelay-vitest-fallback-'),
    ...extra,
  }
}

const FILE = 'tests/statuses.test.js'
const META = 'tests/metadata.test.js'
/** Per title: the statuses of its results (sorted), and its suite path. */
const EXPECTED = {
  passes: [['passed'], [FILE]],
  'fails on expect': [['failed'], [FILE]], // AssertionError of expect
  'throws a TypeError': [['invalid'], [FILE]],
  'throws a string': [['invalid'], [FILE]],
  'is skipped': [['skipped'], [FILE]],
  'is todo': [['skipped'], [FILE]],
  'expected to fail and fails': [['skipped'], [FILE]], // test.fails (rule 2)
  'expected to fail but passes': [['failed'], [FILE]], // strict, as Vitest fails it
  flaky: [['failed', 'passed'], [FILE]], // both tries of retry: 1
  'linked by title': [['passed'], [FILE]], // the (Qase ID: 7) marker leaves the title
  nested: [['passed'], [FILE, 'outer', 'inner']],
  // An expect failing in a hook: invalid only because its phase is setup or teardown (rule 5).
  'never runs its body': [['invalid'], [FILE, 'with a failing beforeEach', 'inside']],
  'passes on retry': [['invalid', 'passed'], [FILE, 'with a flaky beforeEach']], // the try whose beforeEach threw
  'body passed': [['invalid'], [FILE, 'with a failing afterEach']],
  'never runs either': [['invalid'], [FILE, 'with a failing beforeAll']],
  'runs first': [['passed'], [FILE, 'with a failing afterAll']],
  'runs last': [['invalid'], [FILE, 'with a failing afterAll']], // the afterAll error is the last test's
  'linked to two cases': [['passed', 'passed'], [META]], // one result per case id
  'linked by qase id': [['passed'], [META]],
  'has parameters': [['passed'], [META]],
  'commented failure': [['failed'], [META]],
  'Renamed by qase': [['passed'], [META]],
  'has its own suite': [['passed'], ['Custom\tSuite']],
  annotated: [['passed'], [META]],
}
const TOTAL = Object.values(EXPECTED).reduce((n, [statuses]) => n + statuses.length, 0)

const suiteOf = (payload) => payload.relations.suite.data.map((s) => s.title)
const idsOf = (payload) => payload.testops_ids ?? (payload.testops_id == null ? null : [payload.testops_id])

/** Results (Qase's ResultCreate objects) by title, each title's statuses sorted. */
function byTitle(payloads) {
  const by = {}
  for (const p of payloads) (by[p.title] ??= []).push(p)
  return by
}

function assertDecisions(payloads) {
  const by = byTitle(payloads)
  assert.deepEqual(Object.keys(by).sort(), Object.keys(EXPECTED).sort(), 'every test once under its title; the ignored one absent')
  for (const [title, [statuses, suite]] of Object.entries(EXPECTED)) {
    assert.deepEqual(by[title].map((p) => p.execution.status).sort(), statuses, `${title}: statuses`)
    for (const p of by[title]) assert.deepEqual(suiteOf(p), suite, `${title}: suite path`)
  }
  return by
}

test('report mode: every outcome, suite path, case id, retry and qase metadata, field by field', async () => {
  const dir = tempDir('testrelay-vitest-report-')
  const { code, out } = await runVitest({ QASE_MODE: 'report', QASE_REPORT_CONNECTION_PATH: dir })
  assert.equal(code, offCode, `Vitest's exit code is its own\n${out}`)
  assert.match(out, new RegExp(`testrelay: ${TOTAL} results written to `), out)
  assert.match(out, /testrelay: 1 result\(s\) not reported: ignored with qase/, out)
  const payloads = readdirSync(join(dir, 'results')).map((f) => JSON.parse(readFileSync(join(dir, 'results', f), 'utf8')))
  assert.equal(payloads.length, TOTAL)
  const by = assertDecisions(payloads)
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))
  assert.deepEqual(run.stats, { total: TOTAL, passed: 13, failed: 4, skipped: 3, blocked: 0, invalid: 7, muted: 0 })

  // Case ids: from the title marker, qase(…) titles, qase.id(), a QaseID annotation.
  assert.deepEqual(idsOf(by['linked by title'][0]), [7])
  assert.deepEqual(by['linked to two cases'].map((p) => idsOf(p)[0]).sort(), [21, 22])
  assert.deepEqual(idsOf(by['linked by qase id'][0]), [8])
  assert.deepEqual(idsOf(by.annotated[0]), [11])
  assert.equal(idsOf(by.passes[0]), null)

  // The retry: the failed try first, then the passing one, marked flaky by the core.
  const [first, second] = [...by.flaky].sort((a, b) => (a.execution.status === 'failed' ? -1 : 1) - (b.execution.status === 'failed' ? -1 : 1))
  assert.match(first.message, /^expected 1 to be 2/)
  assert.equal(first.fields?.is_flaky, undefined)
  assert.match(second.message, /^Attempt 2 \(retry 1\)/)
  assert.equal(second.fields.is_flaky, 'true')

  // Errors: the message and the stack of the error that decided.
  assert.match(by['fails on expect'][0].message, /^expected 2 to be 3/)
  assert.match(by['fails on expect'][0].execution.stacktrace, /^AssertionError: expected 2 to be 3/)
  assert.match(by['throws a TypeError'][0].execution.stacktrace, /^TypeError: Cannot read properties of null/)
  assert.match(by['runs last'][0].message, /expected 'suite teardown' to be 'clean'/)

  // qase metadata: fields, parameters (signed) and a group (not signed), a comment before the
  // error, a title (signed as the test's own), a suite (signed alone).
  assert.deepEqual(by['linked by qase id'][0].fields, { severity: 'critical', layer: 'unit' })
  assert.deepEqual(by.annotated[0].fields, { priority: 'high' })
  const params = by['has parameters'][0]
  assert.deepEqual(params.params, { Browser: 'firefox', Width: '1280', Username: 'user1' })
  assert.deepEqual(params.param_groups, [['Username']])
  assert.equal(params.signature, `${META}::has_parameters::{'browser':'firefox'}::{'width':'1280'}`)
  assert.match(by['commented failure'][0].message, /^known to be slow\n\nexpected 'slow' to be 'fast'/)
  assert.deepEqual(idsOf(by['Renamed by qase'][0]), [9])
  assert.equal(by['Renamed by qase'][0].signature, `9::${META}::renamed_(qase_id:_9)`)
  assert.equal(by['has its own suite'][0].signature, 'custom::suite')
  assert.equal(by.nested[0].signature, `${FILE}::outer::inner::nested`)
})

test('vitest.d.ts: the helpers and the task.meta keys type-check as a project uses them', () => {
  const tsc = spawnSync(
    process.execPath,
    [join(fixture, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--preserveSymlinks', '--module', 'preserve', '--target', 'es2022', 'types/check.ts'],
    { cwd: fixture, encoding: 'utf8' },
  )
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr)
})

const newRuns = (before, state) => state.runs.filter((r) => !before.some((b) => b.id === r.id))

test('testops: every result stored once, the run completed; the exit code is Vitest\'s', async () => {
  const before = (await server.state()).runs
  const { code, out } = await runVitest(testopsEnv({}))
  assert.equal(code, offCode, out)
  const [run] = newRuns(before, await server.state())
  assert.ok(run, `a run was created\n${out}`)
  assertDecisions(run.results.map((r) => r.payload))
  assert.equal(run.results.length, TOTAL)
  assert.equal(run.duplicates, 0)
  assert.equal(run.completed, true, out)
  assert.equal(run.complete_calls, 1)
  assert.match(out, new RegExp(`testrelay: ${TOTAL} results delivered to run ${run.id}; run completed`), out)
  assert.ok(!out.includes(TOKEN), 'the token never appears in the output')
})

test('testops with a failed upload: retried, every result still stored once', async () => {
  await server.setFaults({ upload: { error: { requests: [1], status: 503 } } })
  try {
    const before = (await server.state()).runs
    const { code, out } = await runVitest(testopsEnv({ QASE_TESTOPS_BATCH_SIZE: '5' }))
    assert.equal(code, offCode, out)
    const state = await server.state()
    const [run] = newRuns(before, state)
    assert.ok(run, out)
    assert.ok(state.requests.some((r) => r.faults.length > 0), 'the fault fired')
    assert.equal(run.results.length, TOTAL, out)
    assert.equal(new Set(run.results.map((r) => r.id)).size, TOTAL)
    assert.equal(run.duplicates, 0)
    assert.equal(run.completed, true, out)
  } finally {
    await server.setFaults({})
  }
})

test('testops with every upload failing: all results saved locally, the run left open', async () => {
  await server.setFaults({ upload: { error: { probability: 1, status: 503 } } })
  try {
    const fallback = tempDir('testrelay-vitest-fallback-')
    const before = (await server.state()).runs
    const { code, out } = await runVitest(testopsEnv({ QASE_REPORT_CONNECTION_PATH: fallback, QASE_TESTOPS_UPLOADS_RETRIES: '1', QASE_TESTOPS_UPLOADS_DEADLINE_MS: '3000' }))
    assert.equal(code, offCode, out)
    const [run] = newRuns(before, await server.state())
    assert.ok(run, out)
    assert.equal(run.results.length, 0)
    assert.equal(run.completed, false)
    assert.equal(run.complete_calls, 0)
    assert.match(out, new RegExp(`${TOTAL} of ${TOTAL} results were NOT delivered to run ${run.id}; ${TOTAL} saved to .*; run left open`), out)
    const saved = readdirSync(join(fallback, 'results')).map((f) => JSON.parse(readFileSync(join(fallback, 'results', f), 'utf8')))
    assert.equal(saved.length, TOTAL)
    assertDecisions(saved)
  } finally {
    await server.setFaults({})
  }
})

test('an interrupted run (--bail): the tests that finished are delivered once, the run is left open', async () => {
  const before = (await server.state()).runs
  const [{ code, out }, off] = await Promise.all([runVitest(testopsEnv({}), ['--bail', '1']), runVitest({ QASE_MODE: 'off' }, ['--bail', '1'])])
  assert.equal(code, off.code, out)
  const [run] = newRuns(before, await server.state())
  assert.ok(run, out)
  const delivered = Number(/testrelay: (\d+) results delivered to run \d+; run left open/.exec(out)?.[1])
  assert.ok(delivered > 0, `the summary says the run stays open\n${out}`)
  assert.equal(run.results.length, delivered)
  assert.equal(run.duplicates, 0)
  assert.equal(run.completed, false, out)
  assert.equal(run.complete_calls, 0)
})
