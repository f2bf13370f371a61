'use strict'
// `testrelay/vitest`: a Vitest reporter (Vitest 3 or later: `onTestCaseResult`, `onTestRunEnd`)
// built only on the public host kit (`testrelay/host`). It tells the core what Vitest saw —
// Vitest's own state, the hook an error came from, the error's name and whether `expect` raised
// it — and the core decides every status (SPEC §2), mapping, batch, retry and completion.
//
//   // vitest.config.mjs
//   export default { test: { reporters: ['default', ['testrelay/vitest', { testops: { project: 'DEMO' } }]] } }
//
//   // in a test (docs/vitest.md)
//   import { qase, withQase } from 'testrelay/vitest'
//   test(qase(7, 'logs in'), () => { … })
//   test('signs out', withQase(({ qase }) => { qase.fields({ severity: 'major' }) }))
//
// This file is loaded twice: by Vitest's main process (the reporter, which loads the native
// binding when a run starts) and by test workers (the helpers only, which never load it).

const path = require('node:path')

// ---------------------------------------------------------------------------------------------
// Helpers called inside tests. They write the test's `task.meta`, which Vitest carries to the
// reporter; the reporter reads the same keys when a suite sets them itself (`{ meta: { qaseId } }`).

/** The test title with case ids (the official helper's shape): `logs in (Qase ID: 7)`. */
function qase(caseId, name) {
  const ids = Array.isArray(caseId) ? caseId : [caseId]
  return `${name} (Qase ID: ${ids.join(',')})`
}

/** Every value as a string, keys in insertion order (what the official helpers send). */
function strings(what, values) {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new TypeError(`qase.${what}() takes an object of names to values`)
  }
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]))
}

/**
 * The helpers bound to one test: `qase.with(context)` or `qase.with(task)` (for fixtures, which
 * need a destructured context: `({ task }) => qase.with(task).id(7)`). Each call returns the
 * helpers again, so calls chain; a later call replaces an earlier one of the same kind.
 */
qase.with = function bind(target) {
  const task = target?.task ?? target
  if (task === null || typeof task !== 'object' || task.meta === null || typeof task.meta !== 'object') {
    throw new TypeError('qase.with() takes the test context or its task')
  }
  const meta = task.meta
  const helpers = {
    /** Case ids of this test (`id(7)`, `id([7, 8])`); they win over ids in the title. */
    id(value) {
      meta.qaseId = Array.isArray(value) ? [...value] : value
      return helpers
    },
    /** The title reported instead of the test's own; the signature stays the test's own. */
    title(text) {
      meta.qaseTitle = String(text)
      return helpers
    },
    /** The suite reported instead of file and describe blocks (`\t` separates levels). */
    suite(text) {
      meta.qaseSuite = String(text)
      return helpers
    },
    /** Result fields: description, severity, priority, layer, custom ones. */
    fields(values) {
      meta.qaseFields = strings('fields', values)
      return helpers
    },
    /** Parameters; they enter the signature. */
    parameters(values) {
      meta.qaseParameters = strings('parameters', values)
      return helpers
    },
    /** Parameters that belong together, sent as one parameter group (not signed). */
    groupParameters(values) {
      meta.qaseGroupParameters = strings('groupParameters', values)
      return helpers
    },
    /** A comment, sent as the result's message (before the error message, if any). */
    comment(text) {
      meta.qaseComment = String(text)
      return helpers
    },
    /** This result is not reported (neither sent nor written); the test still runs. */
    ignore() {
      meta.qaseIgnore = true
      return helpers
    },
  }
  return helpers
}

/**
 * Wraps a test function so that its context carries `qase`, the helpers bound to the test
 * (the official `withQase` shape): `test('x', withQase(({ qase, expect }) => { … }))`.
 */
function withQase(fn) {
  return function testWithQase(context, ...rest) {
    const extended = Object.create(context)
    extended.qase = qase.with(context)
    return fn(extended, ...rest)
  }
}

// ---------------------------------------------------------------------------------------------
// The reporter (Vitest's main process).

/** Annotation types that carry case ids (`context.annotate('7, 8', 'QaseID')`), as in Playwright. */
const ID_ANNOTATIONS = new Set(['qaseid', 'qase_id', 'qase-id'])

/** Annotations the official vitest-qase-reporter helpers make: message prefix → metadata key. */
const OFFICIAL_ANNOTATIONS = [
  ['Qase Title: ', 'title'],
  ['Qase Suite: ', 'suite'],
  ['Qase Comment: ', 'comment'],
  ['Qase Fields: ', 'fields'],
  ['Qase Parameters: ', 'parameters'],
  ['Qase Group Parameters: ', 'groupParameters'],
]
const JSON_KEYS = new Set(['fields', 'parameters', 'groupParameters'])

/** Error names of failed matchers: chai's (Vitest's `expect`) and jest's (custom matchers). */
const MATCHER_ERRORS = new Set(['AssertionError', 'JestAssertionError'])

class TestrelayVitestReporter {
  /** @param {object} [options] reporter options, `qase.config.json` shape (SPEC §4) */
  constructor(options = {}) {
    this.options = options && typeof options === 'object' ? options : {}
    this.root = process.cwd()
    this.shard = null
    this.session = null
    this.resetRun()
  }

  resetRun() {
    /** Finished tests of modules still running, in the order they finished. */
    this.pending = new Map()
    /** Hook states by entity id: Vitest tells a hook's start, and its end only when it passed. */
    this.hooks = new Map()
    this.testsReported = new Set()
    this.ignored = 0
    this.said = new Set()
  }

  onInit(vitest) {
    this.guard('read the Vitest configuration', () => {
      this.root = vitest.config.root ?? process.cwd()
      const shard = vitest.config.shard
      this.shard = shard ? { current: shard.index, total: shard.count } : null
    })
  }

  onTestRunStart() {
    this.resetRun()
    this.guard('start', () => {
      // The native binding loads here, in Vitest's main process only. The kit looks for
      // qase.config.json in the working directory, then in Vitest's root.
      const { ReporterSession } = require('./host.js')
      this.session = new ReporterSession({ options: this.options, runner: 'vitest', dirs: [process.cwd(), this.root], shard: this.shard })
      // Vitest may exit without ending the run (Ctrl-C): the tests that finished reach the
      // session before the kit ends it at exit (its own listener comes after this one).
      this.atExit = () => this.guard('report the finished tests at exit', () => this.reportPending())
      process.prependOnceListener('exit', this.atExit)
    })
  }

  onHookStart(hook) {
    this.guard('follow a hook', () => hookStarted(this.hooks, hook))
  }

  onHookEnd(hook) {
    this.guard('follow a hook', () => hookEnded(this.hooks, hook))
  }

  onTestCaseResult(testCase) {
    this.guard(`note "${testCase?.name}"`, () => {
      this.testsReported.add(testCase.id)
      const list = this.pending.get(testCase.module.id) ?? []
      list.push(testCase)
      this.pending.set(testCase.module.id, list)
    })
  }

  // A module's results leave when it ends: an `afterAll` error is known only then, and it belongs
  // to the last test that ran under that hook (as pytest and Playwright report it).
  onTestModuleEnd(testModule) {
    this.guard(`report the tests of ${testModule?.moduleId}`, () => this.report(testModule.id, testModule))
  }

  async onTestRunEnd(testModules, _unhandledErrors, reason) {
    if (!this.session) return
    process.removeListener('exit', this.atExit)
    this.reportPending()
    const session = this.session
    // A watch-mode rerun starts a session of its own.
    this.session = null
    // Said before the session's summary, which stays the last line.
    if (this.ignored > 0) console.log(`testrelay: ${this.ignored} result(s) not reported: ignored with qase`)
    if (reason === 'interrupted') this.guard('say the run was interrupted', () => session.interrupted())
    let expectedTests = null
    this.guard('count the tests', () => {
      expectedTests = 0
      for (const m of testModules ?? []) for (const _ of m.children.allTests()) expectedTests += 1
    })
    try {
      await session.end({ expectedTests, testsReported: this.testsReported.size, ignored: this.ignored })
    } catch (error) {
      console.error(`testrelay: ERROR: could not end the session: ${error?.message ?? error}`)
    }
  }

  /** Tests of modules that never ended (an interrupted run), reported as they are. */
  reportPending() {
    for (const id of [...this.pending.keys()]) this.guard('report the remaining tests', () => this.report(id, null))
  }

  /** Translates the finished tests of one module and hands them to the session. */
  report(moduleId, testModule) {
    const finished = this.pending.get(moduleId) ?? []
    this.pending.delete(moduleId)
    if (!this.session || finished.length === 0) return
    const context = { root: this.root, hooks: this.hooks, onInvalid: (m) => this.warnOnce(m) }
    const byTest = new Map()
    for (const testCase of finished) {
      this.guard(`translate "${testCase.name}"`, () => {
        const results = toTestResults(testCase, context)
        if (results === null) this.ignored += 1
        else byTest.set(testCase, results)
      })
    }
    if (testModule) this.guard('read afterAll errors', () => attachAfterAllErrors(testModule, finished, byTest, this.hooks))
    const results = [...byTest.values()].flat()
    if (results.length) this.guard(`report ${results.length} results`, () => this.session.addMany(results))
  }

  warnOnce(message) {
    if (this.said.has(message)) return
    this.said.add(message)
    console.error(`testrelay: ${message}`)
  }

  // Reporting problems never change Vitest's outcome: they are printed, loudly, and the
  // session (if any) keeps going.
  guard(what, fn) {
    try {
      fn()
      return true
    } catch (error) {
      const code = error?.code ? ` [${error.code}]` : ''
      console.error(`testrelay: ERROR: could not ${what}${code}: ${error?.message ?? error}`)
      return false
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hooks. Vitest reports the start of a level's hooks (a file, each describe block), and their end
// only when they passed: hooks that started and did not end threw. For a suite or a module, one
// record; for a test, one per try, as its hooks run again on every retry. A try's `beforeEach`
// levels start one after the other, so a new try shows when a `beforeEach` starts after an
// `afterEach`, or after a `beforeEach` that threw (no later level of that try runs then); an
// `afterEach` likewise after one that threw. Tries whose hooks all passed may share a record:
// they ran their body (phase `call`) and only the last try's hooks then matter.

function hookStarted(hooks, { name, entity }) {
  const records = hooks.get(entity.id) ?? []
  let current = records.at(-1)
  const newTry =
    current !== undefined &&
    ((name === 'beforeEach' && (current.afterEach !== undefined || current.beforeEach === 'run')) || (name === 'afterEach' && current.afterEach === 'run'))
  if (current === undefined || newTry) {
    current = {}
    records.push(current)
  }
  current[name] = 'run'
  hooks.set(entity.id, records)
}

function hookEnded(hooks, { name, entity }) {
  const current = hooks.get(entity.id)?.at(-1)
  if (current) current[name] = 'passed'
}

/** Where the error of a test's attempt came from: a `beforeEach` or `afterEach` that threw. */
function phaseOf(record, errors) {
  if (record?.beforeEach === 'run') return 'setup'
  // More than one error with a failed afterEach: the body failed first, and a failed call is
  // never taken for a teardown error.
  if (record?.afterEach === 'run' && errors.length <= 1) return 'teardown'
  return 'call'
}

/** The suites and the module above a test, nearest first. */
function ancestors(testCase) {
  const out = []
  for (let entity = testCase.parent; entity; entity = entity.type === 'module' ? null : entity.parent) out.push(entity)
  return out
}

/** A `beforeAll` of the test's suites that threw (Vitest then skips the tests under it). */
function beforeAllError(testCase, hooks) {
  for (const entity of ancestors(testCase)) {
    if (hooks.get(entity.id)?.[0]?.beforeAll !== 'run') continue
    const error = entity.errors()[0]
    if (error) return error
  }
  return null
}

/**
 * An `afterAll` that threw belongs to the last test that ran under it: its error is added to
 * that test's last attempt (as the error of its teardown when the body had none).
 */
function attachAfterAllErrors(testModule, finished, byTest, hooks) {
  const entities = [testModule, ...testModule.children.allSuites()]
  for (const entity of entities) {
    if (hooks.get(entity.id)?.[0]?.afterAll !== 'run') continue
    const error = entity.errors().at(-1)
    if (!error) continue
    const last = finished.findLast((t) => byTest.has(t) && t.result().state !== 'skipped' && ancestors(t).includes(entity))
    const result = last && byTest.get(last).at(-1)
    if (!result) continue
    const info = errorInfo(error)
    if (result.outcome.error === null) {
      result.outcome.error = info
      result.outcome.phase = 'teardown'
    } else {
      result.outcome.errors.push(info)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Translation: Vitest's TestCase → the core's TestResult shape (docs/api.md). Facts only.

/** Terminal colour codes Vitest may put in messages. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g
const plain = (text) => (typeof text === 'string' ? text.replace(ANSI, '') : null)

/** One serialized Vitest error → `ErrorInfo`. */
function errorInfo(error) {
  const type = typeof error?.name === 'string' && error.name !== '' ? error.name : null
  // The marks of a failed `expect`: chai's or jest's assertion error, a matcher's result, or
  // the expected/actual pair Vitest keeps for its diff. The core also reads the message.
  const matcher = MATCHER_ERRORS.has(type) || error?.matcherResult !== undefined || (error?.expected !== undefined && error?.actual !== undefined)
  return {
    type,
    chain: type ? [type] : [],
    module: null,
    message: plain(error?.message ?? (typeof error === 'string' ? error : null)),
    stack: plain(error?.stack ?? null),
    matcher,
  }
}

/** The case ids in a text: `7`, `7, 8`, a number or a list of them; others warned about. */
function idsOf(value, what, onInvalid) {
  const pieces = Array.isArray(value) ? value : String(value).split(',')
  const ids = []
  for (const piece of pieces) {
    const text = String(piece).trim()
    if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) ids.push(Number(text))
    else if (text) onInvalid(`${what}: "${text}" is not a case id; ignored`)
  }
  return ids.length ? ids : null
}

/** A metadata value that must be an object of strings, else `null` (with a warning). */
function stringMap(value, what, onInvalid) {
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    onInvalid(`qase metadata: "${what}" is not an object of strings; ignored`)
    return null
  }
  return value
}

/**
 * What the test said about itself: annotations first (`QaseID`, the official helpers'), then
 * `task.meta` (`qase.with`, `withQase`, `{ meta }`), which wins.
 */
function metadataOf(testCase, onInvalid) {
  const meta = { ids: null, title: null, suite: null, comment: null, fields: {}, parameters: {}, groupParameters: {}, ignore: false }
  const annotations = typeof testCase.annotations === 'function' ? testCase.annotations() : []
  for (const a of annotations) {
    if (ID_ANNOTATIONS.has(String(a.type).toLowerCase())) {
      meta.ids = idsOf(a.message, `${a.type} annotation`, onInvalid) ?? meta.ids
      continue
    }
    const official = OFFICIAL_ANNOTATIONS.find(([prefix]) => a.message?.startsWith(prefix))
    if (!official) continue
    const [prefix, key] = official
    const text = a.message.slice(prefix.length)
    if (!JSON_KEYS.has(key)) {
      if (text !== '') meta[key] = text
      continue
    }
    try {
      const parsed = JSON.parse(text)
      meta[key] = stringMap(parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : parsed, key, onInvalid) ?? meta[key]
    } catch {
      onInvalid(`qase annotation: "${prefix.trim()}" is not JSON; ignored`)
    }
  }
  const own = testCase.meta() ?? {}
  if (own.qaseId !== undefined && own.qaseId !== null) meta.ids = idsOf(own.qaseId, 'qaseId', onInvalid)
  for (const [key, name] of [['title', 'qaseTitle'], ['suite', 'qaseSuite'], ['comment', 'qaseComment']]) {
    if (typeof own[name] === 'string' && own[name] !== '') meta[key] = own[name]
  }
  for (const [key, name] of [['fields', 'qaseFields'], ['parameters', 'qaseParameters'], ['groupParameters', 'qaseGroupParameters']]) {
    meta[key] = stringMap(own[name], name, onInvalid) ?? meta[key]
  }
  if (own.qaseIgnore === true) meta.ignore = true
  return meta
}

/**
 * `params` and `param_groups` as the official reporters upload them: the parameters, then the
 * group's values, and the group's names as one parameter group.
 */
function parameters(meta) {
  const params = new Map(Object.entries(meta.parameters))
  const names = Object.keys(meta.groupParameters)
  for (const name of names) params.set(name, meta.groupParameters[name])
  return { params: Object.fromEntries(params), param_groups: names.length ? [names] : [] }
}

/** The suite path: project (when named), the file relative to Vitest's root, the describe blocks. */
function suitePath(testCase, root) {
  const describes = []
  for (let entity = testCase.parent; entity && entity.type === 'suite'; entity = entity.parent) describes.unshift(entity.name)
  const file = path.relative(root, testCase.module.moduleId).split(path.sep).join('/')
  const project = testCase.project?.name
  return [...(project ? [project] : []), file, ...describes]
}

/**
 * The attempts to report, one per try. Vitest 5 lists them (`attempts()`). Earlier versions give
 * the final state, the number of retries and the errors of every failed try, in order: each
 * retried try failed, so it is reported as failed with its error (one each, the rest on the last
 * failed try), and only the final try has Vitest's timing.
 */
function attemptsOf(testCase) {
  const result = testCase.result()
  const list = typeof testCase.attempts === 'function' ? testCase.attempts() : null
  if (list && list.length) return list.map((a) => ({ state: a.state, errors: a.errors ?? [], startTime: a.startTime, duration: a.duration, retry: a.retryIndex }))
  const diagnostic = testCase.diagnostic()
  const final = { state: result.state, errors: [], startTime: diagnostic?.startTime ?? null, duration: diagnostic?.duration ?? null, retry: diagnostic?.retryCount ?? 0 }
  const errors = [...(result.errors ?? [])]
  // A `fails` test is retried on its expected failure, and Vitest turns the final state round:
  // its tries cannot be told apart, so only the final state is reported.
  const retried = testCase.options.fails === true ? 0 : final.retry
  const failedTries = retried + (result.state === 'failed' ? 1 : 0)
  const tries = []
  for (let retry = 0; retry < retried; retry++) {
    const own = retry === failedTries - 1 ? errors.splice(0) : errors.splice(0, 1)
    tries.push({ state: 'failed', errors: own, startTime: null, duration: null, retry })
  }
  // The final try's errors: all that is left when it failed; none when it passed (the errors
  // Vitest keeps then are the failed tries').
  if (result.state === 'failed') final.errors = errors
  tries.push(final)
  return tries
}

/**
 * One finished Vitest test → its `TestResult`s (one per attempt), or `null` for an ignored test.
 * @param {{ root: string, hooks: Map, onInvalid: (message: string) => void }} context
 */
function toTestResults(testCase, context) {
  const meta = metadataOf(testCase, context.onInvalid)
  if (meta.ignore) return null
  const fails = testCase.options.fails === true
  const mode = testCase.options.mode
  const ownSuite = suitePath(testCase, context.root)
  // `qase.suite` replaces the path and is signed alone; `qase.title` keeps the signature of the
  // test's own path and title (as the official reporters sign them).
  let suite = ownSuite
  let signaturePath = null
  if (meta.suite !== null) {
    suite = [meta.suite]
    signaturePath = [meta.suite]
  } else if (meta.title !== null) {
    signaturePath = [...ownSuite, testCase.name]
  }
  let ids = meta.ids
  // Case ids in the test's own title (`qase(7, …)`) still count under another title.
  if (meta.title !== null && ids === null) ids = titleCaseIds(testCase.name, context.onInvalid)
  const records = context.hooks.get(testCase.id) ?? []
  const attempts = attemptsOf(testCase)
  const skippedNote = testCase.result().state === 'skipped' ? (testCase.result().note ?? null) : null
  return attempts.map((attempt, index) => {
    // Vitest's state is after `test.fails` is applied; the core wants what happened (SPEC §2
    // rule 2): a `fails` test that Vitest calls passed did fail, its error dropped by Vitest; one
    // it calls failed did pass, its only error Vitest's own "Expect test to fail".
    let status = attempt.state
    let errors = attempt.errors.map(errorInfo)
    if (fails && status === 'passed') status = 'failed'
    else if (fails && status === 'failed') {
      status = 'passed'
      errors = []
    }
    let phase = phaseOf(records.length === attempts.length ? records[index] : index === attempts.length - 1 ? records.at(-1) : null, errors)
    if (status === 'skipped') {
      if (mode === 'todo') status = 'todo'
      // Skipped by Vitest because a `beforeAll` above it threw: the error is the test's, in setup.
      const setupError = mode === 'run' || mode === 'only' ? beforeAllError(testCase, context.hooks) : null
      if (setupError) {
        errors = [errorInfo(setupError)]
        phase = 'setup'
      }
    }
    const errorMessage = errors[0]?.message ?? null
    return {
      title: meta.title ?? testCase.name,
      suite,
      testops_ids: ids,
      node_id: null,
      outcome: {
        framework: 'vitest',
        runner_status: status,
        phase,
        expected_status: fails ? 'failed' : null,
        // A `fails` test that passes fails in Vitest: strict.
        strict: fails,
        error: errors[0] ?? null,
        errors: errors.slice(1),
        element: null,
      },
      started_at: attempt.startTime ?? null,
      duration: attempt.duration ?? null,
      ...parameters(meta),
      fields: meta.fields,
      steps: [],
      attachments: [],
      // A comment goes first, the error message after it (official layout); without either, a
      // skip's note (`ctx.skip(note)`). Otherwise the core takes the error message itself.
      message: meta.comment === null ? skippedNote : errorMessage === null ? meta.comment : `${meta.comment}\n\n${errorMessage}`,
      attempt: attempt.retry,
      muted: false,
      thread: null,
      ...(signaturePath ? { signature_path: signaturePath } : {}),
    }
  })
}

/** The case ids the core reads from a title's `(Qase ID: …)` marker (its warnings passed on). */
function titleCaseIds(title, onInvalid) {
  const { caseIds } = require('./index.js')
  const found = caseIds(title, null)
  for (const w of found.warnings) onInvalid(`${w.key}: ${w.message}`)
  return found.ids.length ? found.ids : null
}

module.exports = TestrelayVitestReporter
module.exports.default = TestrelayVitestReporter
module.exports.TestrelayVitestReporter = TestrelayVitestReporter
module.exports.qase = qase
module.exports.withQase = withQase
