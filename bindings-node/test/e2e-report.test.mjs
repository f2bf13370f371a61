// End to end, report mode (no server, no token): a real Playwright run of
// fixtures/statuses through the reporter; the local report must hold exactly what the core
// decided for every kind of outcome.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from '../../tests/temp-dirs.mjs'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const config = 'test/fixtures/statuses/playwright.config.mjs'

function runPlaywright(env, args = []) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QASE_')))
  const run = spawnSync(process.execPath, [join(pkg, 'node_modules/@playwright/test/cli.js'), 'test', '-c', config, ...args], {
    cwd: pkg,
    env: { ...clean, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', FORCE_COLOR: '0', TESTRELAY_PW_OUTPUT: tempDir('pw-out-'), ...env },
    encoding: 'utf8',
    timeout: 180_000,
  })
  return { code: run.status, out: run.stdout + run.stderr }
}

function readReport(dir) {
  const results = readdirSync(join(dir, 'results')).map((f) => JSON.parse(readFileSync(join(dir, 'results', f), 'utf8')))
  const byTitle = {}
  for (const r of results) (byTitle[r.title] ??= []).push(r)
  return { results, byTitle, run: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) }
}

const statuses = (list) => (list ?? []).map((r) => r.execution.status).sort()

test('every outcome kind lands in the report with the status the spec gives it', () => {
  const dir = tempDir('testrelay-e2e-')
  const { code, out } = runPlaywright({ QASE_REPORT_CONNECTION_PATH: dir })
  assert.equal(code, 1, `Playwright's own exit code (tests failed) is kept\n${out}`)
  assert.match(out, /testrelay: 18 results written to /, out)
  assert.doesNotMatch(out, /unknown configuration key/, 'Playwright\'s own reporter options are not passed on')
  const { results, byTitle } = readReport(dir)
  const expected = {
    passes: ['passed'],
    'fails on expect': ['failed'], // matcher error
    'fails on a soft expect': ['failed'],
    'throws a TypeError': ['invalid'],
    'throws a string': ['invalid'],
    'times out': ['failed'], // timedOut → failed (rule 4)
    'is skipped': ['skipped'],
    'is fixme': ['skipped'],
    'expected to fail and fails': ['skipped'], // test.fail() that fails (rule 2)
    'expected to fail but passes': ['failed'], // strict
    flaky: ['failed', 'passed'], // both attempts are reported
    'linked to two cases': ['passed', 'passed'], // one result per case id
    'linked by title': ['passed'], // the (Qase ID: 7) marker is removed from the title
    nested: ['passed'],
    'never runs its body': ['invalid'], // beforeEach error: setup phase (rule 5)
    'body passed': ['invalid'], // afterEach error: teardown phase (rule 5)
  }
  for (const [title, want] of Object.entries(expected)) assert.deepEqual(statuses(byTitle[title]), want, title)
  assert.equal(results.length, Object.values(expected).flat().length)
  assert.deepEqual(byTitle['linked to two cases'].map((r) => r.testops_id ?? r.testops_ids).flat().sort(), [101, 102])
  assert.deepEqual(byTitle['linked by title'].map((r) => r.testops_id ?? r.testops_ids).flat(), [7])
  assert.deepEqual(byTitle.nested[0].relations.suite.data.map((s) => s.title), ['node', 'statuses.spec.mjs', 'outer', 'inner'])
  assert.equal(new Set(results.map((r) => r.id)).size, results.length, 'no result written twice')
})

test('mapping and filter apply before the report; reporting problems never change the exit code', () => {
  const dir = tempDir('testrelay-e2e-')
  const filtered = runPlaywright(
    { QASE_REPORT_CONNECTION_PATH: dir, QASE_STATUS_MAPPING: 'invalid=failed', QASE_TESTOPS_STATUS_FILTER: 'skipped' },
    ['-g', 'passes|TypeError|is skipped|fixme', '--grep-invert', 'expected'],
  )
  assert.equal(filtered.code, 1, filtered.out)
  const { byTitle, results } = readReport(dir)
  assert.deepEqual(statuses(byTitle['throws a TypeError']), ['failed'], 'invalid mapped to failed')
  assert.equal(byTitle['is skipped'], undefined, 'skipped filtered out')
  assert.equal(byTitle['is fixme'], undefined, 'fixme (skipped) filtered out')
  assert.equal(results.length, 2)

  // A report folder that cannot be written: the loss is printed loudly, and a passing run
  // still exits 0.
  const blocked = join(tempDir('testrelay-e2e-'), 'file')
  writeFileSync(blocked, 'a file where the report folder should be')
  const lost = runPlaywright({ QASE_REPORT_CONNECTION_PATH: join(blocked, 'report') }, ['-g', 'passes', '--grep-invert', 'expected'])
  assert.equal(lost.code, 0, lost.out)
  assert.match(lost.out, /testrelay: 0 results written to .* \(1 not written\)/, lost.out)
})

test('mode off writes nothing', () => {
  const dir = join(tempDir('testrelay-e2e-'), 'report')
  const off = runPlaywright({ QASE_MODE: 'off', QASE_REPORT_CONNECTION_PATH: dir }, ['-g', 'passes', '--grep-invert', 'expected'])
  assert.equal(off.code, 0, off.out)
  assert.equal(existsSync(dir), false)
  assert.match(off.out, /testrelay: mode off; 1 results not reported/)
})

test('a runner that exits without onEnd still writes the results it buffered', () => {
  const dir = tempDir('testrelay-exit-')
  // The reporter as Playwright drives it, then process.exit() before onEnd (a crashed runner).
  const script = `
    const Reporter = require(${JSON.stringify(join(pkg, 'playwright.js'))})
    const reporter = new Reporter({})
    reporter.onBegin({ rootDir: '/repo' }, { allTests: () => [1, 2] })
    const test = (title) => ({ id: title, title, annotations: [], expectedStatus: 'passed', location: { file: '/repo/a.spec.ts' }, titlePath: () => ['', 'p', 'a.spec.ts', title] })
    const result = { status: 'passed', errors: [], steps: [], retry: 0, attachments: [], startTime: new Date(1700000000000), duration: 3, parallelIndex: 0 }
    reporter.onTestEnd(test('first'), result)
    reporter.onTestEnd(test('second'), result)
    process.exit(0)
  `
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QASE_')))
  const run = spawnSync(process.execPath, ['-e', script], { env: { ...clean, QASE_MODE: 'report', QASE_REPORT_CONNECTION_PATH: dir }, encoding: 'utf8', timeout: 60_000 })
  assert.equal(run.status, 0, run.stdout + run.stderr)
  const { results, run: summary } = readReport(dir)
  assert.deepEqual(results.map((r) => r.title).sort(), ['first', 'second'])
  assert.equal(summary.stats.total, 2)
})
