// Reporter unit tests: Playwright's objects → the facts the reporter hands over → the result the
// core reads from them (readResult, as the session reads it), and the host loop performing a
// session's actions (driven here by a scripted session, so every branch is checked alone).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../../tests/temp-dirs.mjs'

const require = createRequire(import.meta.url)
const { toTestResult } = require('../lib/translate.js')
const { Host } = require('../lib/host.js')
const { collectSources } = require('../lib/sources.js')
const { resolveConfig, readResult } = require('../index.js')

const read = (test, result, rootDir = '/repo') => readResult(toTestResult(test, result, rootDir))
const said = (r) => (r.warnings ?? []).map((w) => `${w.key}: ${w.message}`)

function fakeTest({ title = 'adds', describes = ['math'], project = 'unit', annotations = [], expectedStatus = 'passed' } = {}) {
  return {
    title,
    annotations,
    expectedStatus,
    location: { file: '/repo/tests/math.spec.ts', line: 3, column: 1 },
    titlePath: () => ['', project, 'math.spec.ts', ...describes, title],
  }
}

function fakeResult({ status = 'passed', errors = [], steps = [], retry = 0, attachments = [] } = {}) {
  return { status, errors, steps, retry, attachments, startTime: new Date(1_700_000_000_000), duration: 12, parallelIndex: 1 }
}

const step = (title, category, { error, steps = [] } = {}) => ({ title, category, error, steps, startTime: new Date(1_700_000_000_001), duration: 2 })

test('suite path: project, file relative to rootDir, describe blocks', () => {
  const r = read(fakeTest({ describes: ['math', 'sums'] }), fakeResult())
  assert.deepEqual(r.suite, ['unit', 'tests/math.spec.ts', 'math', 'sums'])
  assert.equal(r.title, 'adds')
  const unnamed = read(fakeTest({ project: '' }), fakeResult(), '/repo/tests')
  assert.deepEqual(unnamed.suite, ['math.spec.ts', 'math'])
})

test('case ids from QaseID annotations; invalid pieces are reported, not sent', () => {
  const r = read(
    fakeTest({ annotations: [{ type: 'QaseID', description: '12, 13' }, { type: 'qaseid', description: 'x1' }, { type: 'issue', description: '99' }] }),
    fakeResult(),
  )
  assert.deepEqual(r.testops_ids, [12, 13])
  assert.equal(said(r).length, 1)
  assert.match(said(r)[0], /x1/)
  assert.equal(read(fakeTest(), fakeResult()).testops_ids, null)
})

test('an annotation whose description is no text still names its case ids (Playwright does not check what a test pushes)', () => {
  const r = read(fakeTest({ annotations: [{ type: 'QaseID', description: 14 }, { type: 'QaseID' }] }), fakeResult())
  assert.deepEqual(r.testops_ids, [14])
  assert.deepEqual(said(r), [])
})

const metadata = (message) => ({ name: 'qase-metadata.json', contentType: 'application/qase.metadata+json', body: Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)) })

// A parameter named `__proto__` stays a parameter in the core (its unit tests); a JS object made
// by the binding cannot show it, so it is not asked here.
test('qase metadata: a later call replaces, group values join the params', () => {
  const attachments = [
    metadata({ parameters: { Browser: 'chromium' } }),
    metadata({ parameters: { Browser: 'firefox', Zone: 'p', User: 'u0' } }),
    metadata({ groupParams: { User: 'u1', Empty: '' } }),
    metadata('{not json'),
    metadata({ fields: { severity: 3 } }),
    metadata({ fields: { layer: 'e2e' } }),
  ]
  const r = read(fakeTest(), fakeResult({ attachments }))
  assert.deepEqual(Object.entries(r.params), [['Browser', 'firefox'], ['Zone', 'p'], ['User', 'u1']])
  assert.deepEqual(r.param_groups, [['User', 'Empty']])
  assert.deepEqual(r.fields, { layer: 'e2e' })
  assert.equal(r.attachments.length, 0, 'metadata is not an attachment of the result')
  assert.deepEqual(said(r), ['qase metadata: an attachment is not JSON; ignored', 'qase metadata: "fields" is not an object of strings; ignored'])
})

test('qase metadata: ids when no QaseID annotation; the comment goes before the error message', () => {
  const error = { message: 'Error: boom', stack: 'Error: boom\n    at x' }
  const r = read(fakeTest(), fakeResult({ status: 'failed', errors: [error], attachments: [metadata({ ids: [5, 6] }), metadata({ comment: 'slow backend' })] }))
  assert.deepEqual(r.testops_ids, [5, 6])
  assert.equal(r.message, 'slow backend\n\nError: boom')
  const annotated = read(fakeTest({ annotations: [{ type: 'QaseID', description: '9' }] }), fakeResult({ attachments: [metadata({ ids: [5] })] }))
  assert.deepEqual(annotated.testops_ids, [9])
  assert.equal(annotated.message, null)
})

test('qase.title / suite / ignore: reported title and suite, the path to sign, nothing when ignored', () => {
  const plain = read(fakeTest(), fakeResult())
  assert.equal('signature_path' in plain, false, 'absent unless the title or suite changed')
  const titled = read(fakeTest(), fakeResult({ attachments: [metadata({ title: 'Adds numbers' })] }))
  assert.equal(titled.title, 'Adds numbers')
  assert.deepEqual(titled.suite, ['unit', 'tests/math.spec.ts', 'math'])
  assert.deepEqual(titled.signature_path, ['unit', 'tests/math.spec.ts', 'math', 'adds'])
  // Ids in the own title's marker still count under the new title (read by the core).
  const marked = read(fakeTest({ title: 'adds (Qase ID: 4,5)' }), fakeResult({ attachments: [metadata({ title: 'Adds' })] }))
  assert.deepEqual(marked.testops_ids, [4, 5])
  const suited = read(fakeTest(), fakeResult({ attachments: [metadata({ suite: 'Math\tSums' }), metadata({ title: 'Sums' })] }))
  assert.deepEqual([suited.title, suited.suite, suited.signature_path], ['Sums', ['Math\tSums'], ['Math\tSums']])
  // As in the official reporter: a suite equal to the test's title is no relation; empty
  // values and a non-true ignore change nothing.
  const same = read(fakeTest(), fakeResult({ attachments: [metadata({ suite: 'adds' })] }))
  assert.deepEqual([same.suite, same.signature_path], [[], ['adds']])
  const empty = read(fakeTest(), fakeResult({ attachments: [metadata({ title: '', suite: '', ignore: 'yes' })] }))
  assert.deepEqual([empty.title, empty.signature_path, empty.ignored], ['adds', undefined, undefined])
  assert.equal(read(fakeTest(), fakeResult({ attachments: [metadata({ ignore: true })] })).ignored, true)
})

test('qase.attach (official messages) and qase.step markers', () => {
  const carrier = (kind, name, body, contentType) => ({ name: `step_attach_${kind}_0b5e1b9c-3f5a-4d6e-8a7b-1c2d3e4f5a6b_${name}`, contentType, body: Buffer.from(body) })
  const r = read(
    fakeTest(),
    fakeResult({
      attachments: [carrier('body', 'a%20b.txt', 'hi', 'text/plain'), carrier('file', 'x.png', '/tmp/x.png', 'image/png'), carrier('body', '100%.txt', 'p', 'text/plain')],
      steps: [
        step('step_attach_body_0b5e1b9c-3f5a-4d6e-8a7b-1c2d3e4f5a6b_a%20b.txt', 'test.step'),
        step('Click QaseExpRes:: clicked QaseData:: the button', 'test.step'),
        step('Only data QaseData: d', 'test.step'),
        step('Reversed QaseData:: d QaseExpRes:: e', 'test.step'),
        step('Empty QaseExpRes: QaseData:', 'test.step'),
      ],
    }),
  )
  assert.deepEqual(r.attachments, [
    { name: 'a b.txt', content_type: 'text/plain', path: null, content: Buffer.from('hi').toString('base64') },
    { name: 'x.png', content_type: 'image/png', path: '/tmp/x.png', content: null },
    { name: '100%.txt', content_type: 'text/plain', path: null, content: Buffer.from('p').toString('base64') },
  ])
  assert.deepEqual(r.steps.map((s) => [s.title, s.expected, s.data]), [
    ['Click', 'clicked', 'the button'],
    ['Only data', null, 'd'],
    ['Reversed', 'e', 'd'],
    ['Empty', null, null],
  ])
})

test('qase(ids, title) and qase.step(action, expected, data) build what the official helpers build', () => {
  const { qase } = require('../lib/qase.js')
  assert.equal(qase(12, 'logs in'), 'logs in (Qase ID: 12)')
  assert.equal(qase([12, 13], 'logs in'), 'logs in (Qase ID: 12,13)')
  assert.equal(qase.step('Click button', undefined, undefined), 'Click button QaseExpRes: QaseData:')
  assert.equal(qase.step('Click button', 'Button should be clicked', 'Button data'), 'Click button QaseExpRes:: Button should be clicked QaseData:: Button data')
})

test('errors: type from the serialized message, matcher from the failed expect step', () => {
  const expectError = { message: 'Error: expect(received).toBe(expected)\n\nExpected: 3', stack: 'Error: expect…\n    at math.spec.ts:4:5' }
  const typeError = { message: "TypeError: Cannot read properties of undefined (reading 'x')", stack: 'TypeError: …' }
  const r = read(fakeTest(), fakeResult({ status: 'failed', errors: [expectError, typeError], steps: [step('expect.toBe', 'expect', { error: expectError })] }))
  assert.deepEqual(r.outcome.error, { type: 'Error', chain: ['Error'], module: null, message: expectError.message, stack: expectError.stack, matcher: true })
  assert.equal(r.outcome.errors.length, 1)
  assert.equal(r.outcome.errors[0].type, 'TypeError')
  assert.equal(r.outcome.errors[0].matcher, false)
  assert.equal(r.outcome.runner_status, 'failed')
  assert.equal(r.outcome.framework, 'playwright')
  // A thrown non-Error has only a value.
  const thrown = read(fakeTest(), fakeResult({ status: 'failed', errors: [{ value: "'boom'" }] }))
  assert.deepEqual(thrown.outcome.error, { type: null, chain: [], module: null, message: "'boom'", stack: null, matcher: false })
})

test('retries, test.fail(), timedOut and skipped pass through as runner facts', () => {
  const retry = read(fakeTest(), fakeResult({ status: 'timedOut', retry: 2 }))
  assert.equal(retry.attempt, 2)
  assert.equal(retry.outcome.runner_status, 'timedOut')
  const fails = read(fakeTest({ expectedStatus: 'failed' }), fakeResult({ status: 'passed' }))
  assert.equal(fails.outcome.expected_status, 'failed')
  assert.equal(fails.outcome.strict, true)
  const skipped = read(fakeTest({ expectedStatus: 'skipped' }), fakeResult({ status: 'skipped' }))
  assert.equal(skipped.outcome.expected_status, null)
  assert.equal(skipped.outcome.runner_status, 'skipped')
})

test('test.step and hook steps are kept, nested, as the official reporter keeps them', () => {
  const r = read(
    fakeTest(),
    fakeResult({
      steps: [
        // A hook wrapper with a step inside: kept, with the hook and the step.
        step('Before Hooks', 'hook', { steps: [step('beforeEach hook', 'hook', { steps: [step('sign in', 'test.step'), step('page.goto', 'pw:api')] })] }),
        step('click', 'pw:api'),
        // A hook wrapper with only API calls and fixtures inside: left out.
        step('After Hooks', 'hook', { steps: [step('page.close', 'pw:api'), step('fixture: page', 'fixture')] }),
      ],
    }),
  )
  const tree = (list) => list.map((s) => (s.steps.length ? [s.title, tree(s.steps)] : s.title))
  assert.deepEqual(tree(r.steps), [['Before Hooks', [['beforeEach hook', ['sign in']]]]])
})

test('only test.step steps of a test are kept, nested; attachments are files or base64 bodies', () => {
  const r = read(
    fakeTest(),
    fakeResult({
      steps: [step('Before Hooks', 'hook'), step('log in', 'test.step', { steps: [step('type', 'test.step', { error: { message: 'no' } }), step('expect.toBe', 'expect')] })],
      attachments: [{ name: 'shot', contentType: 'image/png', path: '/tmp/shot.png' }, { name: 'inline', contentType: 'text/plain', body: Buffer.from('x') }],
    }),
  )
  assert.equal(r.steps.length, 1)
  assert.equal(r.steps[0].title, 'log in')
  assert.deepEqual(r.steps[0].steps.map((s) => [s.title, s.status]), [['type', 'failed']])
  assert.deepEqual(r.attachments, [
    { name: 'shot', content_type: 'image/png', path: '/tmp/shot.png', content: null },
    { name: 'inline', content_type: 'text/plain', path: null, content: Buffer.from('x').toString('base64') },
  ])
})

// A session that answers poll() from a script and records what the host fed back.
class ScriptedSession {
  constructor(script) {
    this.script = script
    this.events = []
  }
  poll() {
    const next = this.script.shift() ?? { action: 'wait', until: null }
    if (next instanceof Error) throw next
    return next
  }
  handle(_now, event) {
    this.events.push(event)
  }
  addResults(_now, results) {
    this.events.push({ event: 'bulk', count: results.length })
  }
  token() {
    return 'tok-123'
  }
}

test('host: HTTP actions are sent with the token header and answered with http_response', async () => {
  const calls = []
  const fetch = async (url, init) => {
    calls.push({ url, init })
    return new Response('{"status":true,"result":{"id":7}}', { status: 429, headers: { 'Retry-After': '2' } })
  }
  const session = new ScriptedSession([
    { action: 'log', level: 'info', message: 'hello' },
    { action: 'http', purpose: 'create_run', request_id: 1, method: 'POST', url: 'http://x/v1/run/DEMO', path: '/v1/run/DEMO', headers: [['Token', '{{token}}'], ['Content-Type', 'application/json']], body: '{"title":"t"}', timeout_ms: 5000 },
    { action: 'wait', until: null },
  ])
  const printed = []
  const host = new Host(session, { fetch, print: (level, m) => printed.push([level, m]) })
  host.drain()
  await Promise.all(host.pending)
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(printed, [['info', 'hello']])
  assert.equal(calls.length, 1)
  assert.equal(calls[0].init.headers.Token, 'tok-123')
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json')
  assert.equal(calls[0].init.body, '{"title":"t"}')
  assert.equal(calls[0].init.redirect, 'manual', 'a redirect is the session\'s to judge, never followed with the token')
  assert.ok(calls[0].init.signal instanceof AbortSignal)
  assert.deepEqual(session.events, [{ event: 'http_response', request_id: 1, status: 429, body: '{"status":true,"result":{"id":7}}', retry_after: '2', location: null }])
})

test('host: no response is http_failed, and the message never holds the token', async () => {
  const fetch = async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })
  }
  const session = new ScriptedSession([{ action: 'http', purpose: 'upload_results', request_id: 4, method: 'POST', url: 'http://x/v2/DEMO/run/1/results', path: '', headers: [['Token', '{{token}}'], ['Content-Type', 'application/json']], body: '{}', count: 1, timeout_ms: 30000 }])
  const host = new Host(session, { fetch, print: () => {} })
  host.drain()
  await Promise.all(host.pending)
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(session.events, [{ event: 'http_failed', request_id: 4, message: 'ECONNREFUSED' }])
})

test('host: files are written under dir and acknowledged; a failed write is report_failed', async () => {
  const dir = tempDir('testrelay-host-')
  const blocker = join(dir, 'blocker')
  writeFileSync(blocker, 'a file where a folder should be')
  const session = new ScriptedSession([
    { action: 'write_files', purpose: 'write_report', request_id: 1, dir, files: [{ path: 'results/a.json', content: '{"a":1}' }, { path: 'run.json', content: '{}' }] },
    { action: 'write_files', purpose: 'save_fallback', request_id: 2, dir: blocker, files: [{ path: 'results/b.json', content: '{}' }] },
    { action: 'finished', receipt: { summary: 'done' } },
  ])
  const host = new Host(session, { print: () => {} })
  host.drain()
  assert.deepEqual(await host.finished, { summary: 'done' })
  assert.equal(readFileSync(join(dir, 'results/a.json'), 'utf8'), '{"a":1}')
  assert.deepEqual(session.events[0], { event: 'report_written', request_id: 1 })
  assert.equal(session.events[1].event, 'report_failed')
  assert.equal(session.events[1].request_id, 2)
})

test('host: wait.until polls again at that time', async () => {
  const session = new ScriptedSession([{ action: 'wait', until: Date.now() + 20 }, { action: 'finished', receipt: { summary: 'later' } }])
  const host = new Host(session, { print: () => {} })
  host.drain()
  assert.equal(host.receipt, null)
  assert.deepEqual(await host.finished, { summary: 'later' })
})

// What the binding throws when its native code panics (a testrelay bug).
function nativePanic() {
  try {
    require('../index.js')._panicForTests()
  } catch (error) {
    return error
  }
  throw new Error('_panicForTests did not throw')
}

test('host: a bug on a timer stops the reporting: requests answered as failed, never sent; the session finishes', async () => {
  let fetched = 0
  const fetch = async () => {
    fetched += 1
    return new Response('{}')
  }
  const session = new ScriptedSession([
    { action: 'wait', until: Date.now() + 10 },
    nativePanic(),
    { action: 'http', purpose: 'upload_results', request_id: 5, method: 'POST', url: 'http://x/v2/DEMO/run/1/results', path: '', headers: [['Token', '{{token}}'], ['Content-Type', 'application/json']], body: '{}', count: 1, timeout_ms: 30000 },
    { action: 'multipart', purpose: 'upload_attachment', request_id: 6, method: 'POST', url: 'http://x/v1/attachment/DEMO', path: '', headers: [['Token', '{{token}}']], field: 'file', name: 'a.txt', content_type: 'text/plain', file_path: null, content: '', timeout_ms: 30000 },
    { action: 'finished', receipt: { summary: 'saved locally' } },
  ])
  const printed = []
  const host = new Host(session, { fetch, print: (level, m) => printed.push([level, m]) })
  host.drain()
  assert.deepEqual(await host.finished, { summary: 'saved locally' })
  assert.equal(fetched, 0)
  assert.deepEqual(session.events, [
    { event: 'http_failed', request_id: 5, message: 'reporting stopped' },
    { event: 'http_failed', request_id: 6, message: 'reporting stopped' },
  ])
  assert.equal(printed[0][0], 'error')
  assert.match(printed[0][1], /^ERROR: reporting stopped: could not poll the session \[GenericFailure\]: testrelay: a panic the tests asked for$/)
})

test('host: a second bug gives up: finished resolves with no receipt, and says so', async () => {
  const session = new ScriptedSession([{ action: 'wait', until: Date.now() + 10 }, nativePanic(), nativePanic()])
  const printed = []
  const host = new Host(session, { print: (level, m) => printed.push([level, m]) })
  host.drain()
  assert.equal(await host.finished, null)
  assert.ok(printed.some(([level, m]) => level === 'error' && /could not finish/.test(m)), JSON.stringify(printed))
})

test('host: an answer the session cannot take stops the reporting and is answered as failed', async () => {
  const fetch = async () => new Response('{}')
  const session = new ScriptedSession([
    { action: 'http', purpose: 'create_run', request_id: 1, method: 'POST', url: 'http://x/v1/run/DEMO', path: '', headers: [['Token', '{{token}}'], ['Content-Type', 'application/json']], body: '{}', timeout_ms: 30000 },
  ])
  const handle = session.handle.bind(session)
  session.handle = (now, event) => {
    if (event.event === 'http_response') throw nativePanic()
    handle(now, event)
  }
  const printed = []
  const host = new Host(session, { fetch, print: (level, m) => printed.push([level, m]) })
  host.drain()
  await Promise.all(host.pending)
  await new Promise((r) => setImmediate(r))
  assert.equal(host.stopped, true)
  assert.deepEqual(session.events, [{ event: 'http_failed', request_id: 1, message: 'reporting stopped' }])
  assert.match(printed[0][1], /could not handle the answer to request 1 \[GenericFailure\]/)
})

test('sources: only QASE_* env names cross, and qase.config.json is read as text', () => {
  const dir = tempDir('testrelay-src-')
  assert.equal(collectSources({ mode: 'report' }, { cwd: dir, env: { HOME: '/root' } }).file, null)
  writeFileSync(join(dir, 'qase.config.json'), '{"mode":"off"}')
  const s = collectSources({ mode: 'report' }, { cwd: dir, env: { HOME: '/root', QASE_MODE: 'testops' } })
  assert.deepEqual(s, { options: { mode: 'report' }, file: '{"mode":"off"}', file_error: null, env: { QASE_MODE: 'testops' }, cli: null })
})

test('sources: the candidates in the core\'s order; an unreadable file is a warning, not a throw', () => {
  const root = tempDir('testrelay-src-')
  const sub = join(root, 'e2e')
  mkdirSync(sub)
  writeFileSync(join(root, 'qase.config.json'), '{"mode":"report"}')
  // The working directory has none: the next directory the host knows does.
  assert.equal(collectSources(null, { dirs: [sub, root], env: {} }).file, '{"mode":"report"}')
  // A folder where the file should be: not readable, said by the core, the run goes on.
  mkdirSync(join(sub, 'qase.config.json'))
  const s = collectSources(null, { dirs: [sub, root], env: {} })
  assert.equal(s.file, null)
  assert.equal(s.file_error.path, join(sub, 'qase.config.json'))
  const { warnings } = resolveConfig(s)
  assert.ok(warnings.some((w) => w.key === 'qase.config.json' && w.message.includes('could not be read')), JSON.stringify(warnings))
})

test('testrelay/playwright: the ESM and CommonJS entry points are the same Reporter class', async () => {
  const esm = (await import('../playwright.mjs')).default
  const cjs = require('../playwright.js')
  assert.equal(esm, cjs)
  for (const hook of ['onBegin', 'onTestEnd', 'onEnd', 'onError', 'printsToStdio']) assert.equal(typeof cjs.prototype[hook], 'function', hook)
  // Playwright adds its own keys to the options; they are not the user's configuration.
  const reporter = new cjs({ configDir: '/x', _mode: 'test', mode: 'report' })
  assert.deepEqual(reporter.options, { mode: 'report' })
})
