// End to end against the local Qase API server (tests/server, fake-qase): real Playwright runs
// of fixtures/statuses through the reporter in testops mode — every status kind, retries,
// multiple ids, filtered results, faults (nothing lost or duplicated; run left open when
// undelivered) and 3 shards reporting into one run completed by `testrelay complete-run`.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeQase } from '../../tests/server/client/fake_qase.mjs'
import { binding } from './binding.mjs'
import { tempDir } from '../../tests/temp-dirs.mjs'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const TOKEN = 'e2e-secret-token-5f1c'
const server = await startFakeQase({ token: TOKEN, projects: ['DEMO'] })
after(() => server.stop())

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
    QASE_REPORT_CONNECTION_PATH: tempDir('testrelay-fallback-'),
    ...extra,
  }
}

// Async, so the server (in this process) keeps answering while Playwright runs.
function runPlaywright(env, args = [], fixture = 'statuses') {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(pkg, 'node_modules/@playwright/test/cli.js'), 'test', '-c', `test/fixtures/${fixture}/playwright.config.mjs`, ...args], {
      cwd: pkg,
      env: baseEnv(env),
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => resolve({ code, out }))
  })
}

const EXPECTED = {
  passes: ['passed'],
  'fails on expect': ['failed'],
  'fails on a soft expect': ['failed'],
  'throws a TypeError': ['invalid'],
  'throws a string': ['invalid'],
  'times out': ['failed'],
  'is skipped': ['skipped'],
  'is fixme': ['skipped'],
  'expected to fail and fails': ['skipped'],
  'expected to fail but passes': ['failed'],
  flaky: ['failed', 'passed'],
  'linked to two cases': ['passed', 'passed'],
  'linked by title': ['passed'],
  nested: ['passed'],
  'never runs its body': ['invalid'],
  'body passed': ['invalid'],
}
const TOTAL = Object.values(EXPECTED).flat().length

function statusesByTitle(run) {
  const by = {}
  for (const r of run.results) (by[r.payload.title] ??= []).push(r.payload.execution.status)
  for (const list of Object.values(by)) list.sort()
  return by
}

const newRuns = (before, state) => state.runs.filter((r) => !before.some((b) => b.id === r.id))

test('every status kind, retries and multiple ids arrive once; the run is completed', async () => {
  const before = (await server.state()).runs
  const { code, out } = await runPlaywright({})
  assert.equal(code, 1, out)
  const state = await server.state()
  const [run] = newRuns(before, state)
  assert.ok(run, `a run was created\n${out}`)
  assert.deepEqual(statusesByTitle(run), Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, [...v].sort()])))
  assert.equal(run.results.length, TOTAL)
  assert.equal(run.duplicates, 0)
  assert.equal(run.completed, true, out)
  assert.equal(run.complete_calls, 1)
  const twoCases = run.results.filter((r) => r.payload.title === 'linked to two cases').map((r) => r.payload.testops_id ?? r.payload.testops_ids)
  assert.deepEqual(twoCases.flat().sort(), [101, 102])
  assert.match(out, new RegExp(`See why this test failed: .*/run/DEMO/dashboard/${run.id}\\?source=logs&search=`))
  assert.match(out, new RegExp(`testrelay: ${TOTAL} results delivered to run ${run.id}; run completed`))
  assert.ok(!out.includes(TOKEN), 'the token never appears in the output')
})

test('qase.* helpers: parameters, groups, fields, comment and ids arrive; params (not groups) enter the signature', async () => {
  const before = (await server.state()).runs
  const { code, out } = await runPlaywright({}, [], 'metadata')
  assert.equal(code, 1, out) // one test fails on purpose
  const [run] = newRuns(before, await server.state())
  assert.ok(run, out)
  const by = Object.fromEntries(run.results.map((r) => [r.payload.title, r.payload]))
  assert.equal(run.results.length, 7, out)

  const firefox = by['runs on firefox']
  // Values as strings (what the official helper sends). The server stores objects with sorted
  // keys, so the insertion order is checked through the signatures.
  assert.deepEqual(firefox.params, { Browser: 'firefox', Width: '1280' })
  // SPEC §8, JS flavour: suite path (project, file), title, then each param lowercased.
  assert.equal(firefox.signature, "node::metadata.spec.mjs::runs_on_firefox::{'browser':'firefox'}::{'width':'1280'}")
  assert.notEqual(by['runs on chromium'].signature, firefox.signature)

  const login = by['logs in']
  assert.deepEqual(login.params, { Env: 'staging', Username: 'user1', Password: 'pass1' })
  assert.deepEqual(login.param_groups, [['Username', 'Password']])
  // Grouped parameters are sent but not signed: the official reporter signs `params` only and
  // keeps `group_params` apart, so a switch of reporters creates no duplicate case.
  assert.equal(login.signature, binding.jsSignature([], ['node', 'metadata.spec.mjs', 'logs in'], { Env: 'staging' }))
  assert.equal(login.signature, "node::metadata.spec.mjs::logs_in::{'env':'staging'}")

  const commented = by['has fields and a comment']
  assert.equal(commented.execution.status, 'failed')
  assert.equal(commented.fields.severity, 'critical')
  assert.equal(commented.fields.layer, 'e2e')
  assert.match(commented.message, /^backend known to be slow\n\n.*toBe/s)

  assert.deepEqual(by['linked by qase.id'].testops_ids ?? [by['linked by qase.id'].testops_id], [7])
  assert.match(by['linked by qase.id'].signature, /^7::/)
  assert.deepEqual(by['described by the official helper'].params, { Locale: 'de' })
  // A bad message costs only itself: warned about, the result still delivered without it.
  assert.equal(by['has bad metadata'].params, undefined)
  assert.match(out, /qase metadata: "parameters" is not an object of strings; ignored/)
  assert.equal(run.completed, true, out)
})

test('qase.title / suite / ignore / attach / step, ours and the official messages, arrive as the official reporter sends them', async () => {
  await server.reset()
  const { code, out } = await runPlaywright({}, [], 'helpers')
  assert.equal(code, 1, out) // the ignored test fails: Playwright's exit code is its own
  const state = await server.state()
  const [run] = state.runs
  assert.ok(run, out)
  const by = Object.fromEntries(run.results.map((r) => [r.payload.title, r.payload]))
  // qase.ignore(): neither result is sent (ours, the official message), and the run says so.
  assert.deepEqual(Object.keys(by).sort(), ['Official title', 'Renames the account', 'Signs in with SSO', 'attaches', 'has steps', 'signs out'])
  assert.match(out, /testrelay: 2 result\(s\) not reported: qase\.ignore\(\)/)
  assert.match(out, /testrelay: 6 results delivered to run \d+; run completed/)
  const suites = (payload) => payload.relations.suite.data.map((s) => s.title)
  const ids = (payload) => payload.testops_ids ?? (payload.testops_id == null ? null : [payload.testops_id])

  // qase.title(): the reported title changes, the suite and the signature stay Playwright's
  // (the official reporter signs the title path).
  const titled = by['Signs in with SSO']
  assert.deepEqual(suites(titled), ['node', 'helpers.spec.mjs', 'account'])
  assert.equal(titled.signature, 'node::helpers.spec.mjs::account::signs_in')
  assert.equal(titled.signature, binding.jsSignature([], ['node', 'helpers.spec.mjs', 'account', 'signs in'], {}))
  // …and case ids in the test's own title (`qase(21, …)`) still count.
  const renamed = by['Renames the account']
  assert.deepEqual(ids(renamed), [21])
  assert.equal(renamed.signature, '21::node::helpers.spec.mjs::account::renames_(qase_id:_21)')

  // qase.suite(): the suite replaces the describe path and is signed alone (with the params).
  const suited = by['signs out']
  assert.deepEqual(suites(suited), ['Auth\tSession'])
  assert.equal(suited.signature, "auth::session::{'browser':'firefox'}")
  assert.equal(suited.signature, binding.jsSignature([], ['Auth\tSession'], { Browser: 'firefox' }))

  // qase.attach(): content and a file, uploaded, their hashes in the result.
  const uploaded = Object.fromEntries(state.attachments.map((a) => [a.hash, [a.filename, a.mime, a.size]]))
  const attachedTo = (payload) => (payload.attachments ?? []).map((h) => uploaded[h]).sort()
  assert.deepEqual(attachedTo(by.attaches), [
    ['note.txt', 'text/plain', 5],
    ['sample.json', 'application/json', 7],
  ])

  // qase.step(): expected result and data from the title; the wrapper form is one step, not two.
  const shape = (steps = []) => steps.map((s) => [s.data.action, s.data.expected_result ?? null, s.data.input_data ?? null, shape(s.steps)])
  assert.deepEqual(shape(by['has steps'].steps), [
    ['Open the page', 'the page is open', 'https://example.com', []],
    ['Click', 'clicked', null, [['inner', null, null, []]]],
    ['plain', null, null, []],
  ])

  // The official helper's messages: title, suite (signed alone), attachments (the carrier
  // steps are not steps; the name is URI-decoded), a marked step.
  const official = by['Official title']
  assert.deepEqual(suites(official), ['Official\tSuite'])
  assert.equal(official.signature, 'official::suite')
  assert.deepEqual(attachedTo(official), [
    ['official note.txt', 'text/plain', 13],
    ['sample.json', 'application/json', 7],
  ])
  assert.deepEqual(shape(official.steps), [['Check', 'works', 'input', []]])
  assert.equal(run.unknown_attachments, 0)
  assert.equal(run.completed, true, out)
})

test('filtered results are not sent', async () => {
  const before = (await server.state()).runs
  const { out } = await runPlaywright({ QASE_TESTOPS_STATUS_FILTER: 'skipped,invalid' })
  const [run] = newRuns(before, await server.state())
  const titles = new Set(run.results.map((r) => r.payload.title))
  for (const t of ['is skipped', 'is fixme', 'expected to fail and fails', 'throws a TypeError', 'never runs its body']) assert.ok(!titles.has(t), `${t} filtered\n${out}`)
  assert.equal(run.results.length, TOTAL - 7)
  assert.ok(run.completed)
})

test('faults: 503, dropped connections (also after store), 429 and 413 lose and duplicate nothing', async () => {
  await server.setFaults({
    upload: {
      error: { requests: [1], status: 503 },
      drop: { requests: [2, 4], after_store: true },
      rate_limit: { requests: [3], retry_after: 1 },
      too_large: { requests: [5] },
    },
    create_run: { error: { requests: [1], status: 502 } },
  })
  try {
    const before = (await server.state()).runs
    const { out } = await runPlaywright({ QASE_TESTOPS_BATCH_SIZE: '4' })
    const state = await server.state()
    const [run] = newRuns(before, state)
    assert.ok(run, out)
    assert.equal(run.results.length, TOTAL, out)
    assert.equal(new Set(run.results.map((r) => r.id)).size, TOTAL)
    assert.equal(run.conflicting_duplicates, 0)
    assert.ok(state.requests.some((r) => r.faults.includes('drop_after_store')), 'the faults fired')
    assert.equal(run.completed, true, out)
    assert.equal(run.complete_calls, 1)
  } finally {
    await server.setFaults({})
  }
})

test('undelivered results are saved, reported loudly, and the run is left open; the exit code is Playwright\'s', async () => {
  await server.setFaults({ upload: { error: { probability: 1, status: 503 } } })
  try {
    const fallback = tempDir('testrelay-fallback-')
    const before = (await server.state()).runs
    const { code, out } = await runPlaywright(
      { QASE_REPORT_CONNECTION_PATH: fallback, QASE_TESTOPS_UPLOADS_RETRIES: '1', QASE_TESTOPS_UPLOADS_DEADLINE_MS: '3000' },
      ['-g', 'passes|nested', '--grep-invert', 'expected'],
    )
    assert.equal(code, 0, `all selected tests passed, so Playwright exits 0\n${out}`)
    const [run] = newRuns(before, await server.state())
    assert.equal(run.results.length, 0)
    assert.equal(run.completed, false)
    assert.equal(run.complete_calls, 0)
    assert.match(out, /2 of 2 results were NOT delivered to run \d+; 2 saved to .*; run left open/, out)
    assert.equal(readdirSync(join(fallback, 'results')).length, 2, 'both results saved in the fallback report')
  } finally {
    await server.setFaults({})
  }
})

function completeRun(runId, args) {
  return spawnSync(process.execPath, [join(pkg, 'bin/testrelay.js'), 'complete-run', ...args], {
    cwd: tempDir('testrelay-cli-'),
    env: baseEnv({ QASE_TESTOPS_RUN_ID: String(runId) }),
    encoding: 'utf8',
  })
}

test('3 shards report into one run; complete-run completes it once, after reading their receipts', async () => {
  const runId = await server.createRun('DEMO', { title: 'sharded' })
  const receipts = tempDir('testrelay-receipts-')
  const shards = await Promise.all(
    [1, 2, 3].map((i) => runPlaywright({ QASE_TESTOPS_RUN_ID: String(runId), TESTRELAY_RECEIPTS_DIR: receipts, TESTRELAY_JOB: `shard-${i}` }, [`--shard=${i}/3`])),
  )
  let run = (await server.state()).runs.find((r) => r.id === runId)
  assert.equal(run.results.length, TOTAL, shards.map((s) => s.out).join('\n'))
  assert.equal(run.duplicates, 0)
  assert.equal(run.complete_calls, 0, 'no shard completes a run it did not create')
  assert.equal(readdirSync(receipts).length, 3)
  for (const f of readdirSync(receipts)) assert.ok(JSON.parse(readFileSync(join(receipts, f), 'utf8')).results_seen > 0, `${f}: every shard ran tests`)

  const cli = completeRun(runId, ['--receipts', receipts, '--expect-jobs', 'shard-1,shard-2,shard-3'])
  const out = cli.stdout + cli.stderr
  assert.equal(cli.status, 0, out)
  assert.match(out, new RegExp(`all 3 job\\(s\\) delivered ${TOTAL} result\\(s\\); completing run ${runId}`))
  run = (await server.state()).runs.find((r) => r.id === runId)
  assert.equal(run.completed, true)
  assert.equal(run.complete_calls, 1)
  assert.ok(!out.includes(TOKEN))
})

test('a shard that could not deliver keeps the shared run open and is named', async () => {
  const runId = await server.createRun('DEMO', { title: 'sharded, one job down' })
  const receipts = tempDir('testrelay-receipts-')
  const env = (i) => ({ QASE_TESTOPS_RUN_ID: String(runId), TESTRELAY_RECEIPTS_DIR: receipts, TESTRELAY_JOB: `shard-${i}` })
  const args = []
  await runPlaywright(env(1), [...args, '--shard=1/2'])
  await server.setFaults({ upload: { drop: { probability: 1 } } })
  try {
    await runPlaywright({ ...env(2), QASE_TESTOPS_UPLOADS_RETRIES: '1', QASE_TESTOPS_UPLOADS_DEADLINE_MS: '3000' }, [...args, '--shard=2/2'])
  } finally {
    await server.setFaults({})
  }
  const cli = completeRun(runId, ['--receipts', receipts, '--expect-jobs', 'shard-1,shard-2'])
  const out = cli.stdout + cli.stderr
  assert.equal(cli.status, 1, out)
  assert.match(out, /job shard-2: short by [1-9]\d* result\(s\)/, out)
  const run = (await server.state()).runs.find((r) => r.id === runId)
  assert.equal(run.completed, false)
  assert.equal(run.complete_calls, 0)
})
