'use strict'
// Playwright's TestCase + TestResult → the core's TestResult shape (docs/api.md). Translation
// only: no status decisions here — the core classifies, maps and filters.

const path = require('node:path')

/** Case-id annotation types (`test.info().annotations.push({ type: 'QaseID', description: '1,2' })`). */
const ID_ANNOTATIONS = new Set(['qaseid', 'qase_id', 'qase-id'])

/** The type name Playwright put in front of a serialized error's message (`TypeError: …`). */
const TYPE_PREFIX = /^([A-Za-z_$][\w$]*): /

/**
 * Every step of `steps`, depth first.
 * @param {import('@playwright/test/reporter').TestStep[]} steps
 * @returns {Generator<import('@playwright/test/reporter').TestStep>}
 */
function* allSteps(steps) {
  for (const step of steps) {
    yield step
    yield* allSteps(step.steps)
  }
}

/**
 * Messages of failed `expect` steps. A Playwright matcher error carries `matcherResult` in the
 * worker, which does not cross to the reporter; its structural trace here is the failed step
 * of category `expect` that Playwright records for it.
 */
function matcherMessages(result) {
  const messages = new Set()
  for (const step of allSteps(result.steps)) {
    if (step.category === 'expect' && step.error?.message) messages.add(step.error.message)
  }
  return messages
}

/** Terminal colour codes Playwright puts in matcher messages. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g
const plain = (text) => (typeof text === 'string' ? text.replace(ANSI, '') : null)

/** One Playwright `TestError` → `ErrorInfo`. */
function errorInfo(error, matchers) {
  const message = plain(error.message ?? error.value ?? null)
  const type = error.message ? (TYPE_PREFIX.exec(message)?.[1] ?? null) : null
  return {
    type,
    chain: type ? [type] : [],
    module: null,
    message,
    stack: plain(error.stack ?? null),
    matcher: error.message !== undefined && matchers.has(error.message),
  }
}

/**
 * Where the deciding error came from. Playwright records hooks and fixtures as top-level steps
 * of category `hook`: the first one runs before the body (setup), later ones after it
 * (teardown). An error of the body itself is `call`.
 */
function phaseOf(result, error) {
  if (!error?.message) return 'call'
  const index = result.steps.findIndex((s) => s.error?.message === error.message)
  if (index < 0 || result.steps[index].category !== 'hook') return 'call'
  return index === 0 ? 'setup' : 'teardown'
}

/**
 * Case ids from `QaseID` annotations (`"12"`, `"12,13"`); other annotations are ignored. Only
 * the text is read here: which integers are valid ids (positive, not repeated) is decided by
 * the core, which warns about the rest.
 */
function caseIds(annotations, onInvalid) {
  const ids = []
  for (const a of annotations) {
    if (!ID_ANNOTATIONS.has(a.type.toLowerCase())) continue
    for (const piece of String(a.description ?? '').split(',')) {
      const text = piece.trim()
      if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) ids.push(Number(text))
      else if (text) onInvalid(`${a.type} annotation: "${text}" is not a case id; ignored`)
    }
  }
  return ids.length ? ids : null
}

/** Steps of category `test.step`, nested. */
function steps(list) {
  return list
    .filter((s) => s.category === 'test.step')
    .map((s) => ({
      title: s.title,
      status: s.error ? 'failed' : 'passed',
      started_at: s.startTime.getTime(),
      duration: s.duration,
      expected: null,
      data: null,
      attachments: [],
      steps: steps(s.steps),
    }))
}

/**
 * The suite path: project (when named), the spec file relative to the test dir, then the
 * describe blocks.
 */
function suitePath(test, rootDir) {
  const titles = test.titlePath() // ['', project, file, ...describes, title]
  const project = titles[1]
  const file = test.location?.file ? path.relative(rootDir, test.location.file).split(path.sep).join('/') : titles[2]
  return [...(project ? [project] : []), file, ...titles.slice(3, -1)]
}

/**
 * @param {import('@playwright/test/reporter').TestCase} test
 * @param {import('@playwright/test/reporter').TestResult} result
 * @param {{ rootDir: string, onInvalid?: (message: string) => void }} context
 */
function toTestResult(test, result, context) {
  const matchers = matcherMessages(result)
  const errors = (result.errors ?? []).map((e) => errorInfo(e, matchers))
  return {
    title: test.title,
    suite: suitePath(test, context.rootDir),
    testops_ids: caseIds(test.annotations, context.onInvalid ?? (() => {})),
    node_id: null,
    outcome: {
      framework: 'playwright',
      runner_status: result.status,
      phase: phaseOf(result, result.errors?.[0]),
      expected_status: test.expectedStatus === 'failed' ? 'failed' : null,
      // test.fail() that passes is a failure in Playwright: strict.
      strict: test.expectedStatus === 'failed',
      error: errors[0] ?? null,
      errors: errors.slice(1),
      element: null,
    },
    started_at: result.startTime.getTime(),
    duration: result.duration,
    params: {},
    param_groups: [],
    fields: {},
    steps: steps(result.steps),
    attachments: result.attachments
      .filter((a) => a.path || a.body)
      .map((a) => ({
        name: a.name,
        content_type: a.contentType ?? null,
        path: a.path ?? null,
        content: a.path ? null : a.body.toString('base64'),
      })),
    message: null,
    attempt: result.retry,
    muted: false,
    thread: `worker-${result.parallelIndex}`,
  }
}

module.exports = { toTestResult }
