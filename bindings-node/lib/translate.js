'use strict'
// Playwright's TestCase + TestResult → the core's TestResult shape (docs/api.md). Translation
// only: no status decisions here — the core classifies, maps and filters.

const path = require('node:path')
const { METADATA_CONTENT_TYPE, EXPECTED_MARKER, DATA_MARKER } = require('./qase.js')

/**
 * Attachments the official `qase.attach` makes (through a step of the same name):
 * `step_attach_body_<uuid>_<name>` carries the content, `step_attach_file_<uuid>_<name>` the
 * path of the file as its body.
 */
const STEP_ATTACH = /^step_attach_(body|file)_(\w{8}-\w{4}-\w{4}-\w{4}-\w{12})_/i

/** Case-id annotation types (`test.info().annotations.push({ type: 'QaseID', description: '1,2' })`). */
const ID_ANNOTATIONS = new Set(['qaseid', 'qase_id', 'qase-id'])

/** The type name Playwright put in front of a serialized error's message (`TypeError: …`). */
const TYPE_PREFIX = /^([A-Za-z_$][\w$]*): /

/**
 * Messages of failed `expect` steps. A Playwright matcher error carries `matcherResult` in the
 * worker, which does not cross to the reporter; its structural trace here is the failed step
 * of category `expect` that Playwright records for it.
 */
function matcherMessages(steps, messages = new Set()) {
  for (const step of steps) {
    if (step.category === 'expect' && step.error?.message) messages.add(step.error.message)
    if (step.steps.length) matcherMessages(step.steps, messages)
  }
  return messages
}

const EMPTY = new Set()

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

/** A message's `key` when it is an object of strings, else `null` (with a warning). */
function stringMap(message, key, onInvalid) {
  const value = message[key]
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    onInvalid(`qase metadata: "${key}" is not an object of strings; ignored`)
    return null
  }
  return value
}

/**
 * What the test said about itself with the `qase.*` helpers (ours or playwright-qase-reporter's):
 * attachments of the metadata content type, one JSON message each. As in the official reporter,
 * a later call replaces an earlier one of the same kind.
 */
function metadataOf(attachments, onInvalid) {
  const meta = { ids: null, parameters: {}, groupParams: {}, fields: {}, comment: null, title: null, suite: null, ignore: false }
  for (const a of attachments) {
    if (a.contentType !== METADATA_CONTENT_TYPE || !a.body) continue
    let message
    try {
      message = JSON.parse(a.body.toString('utf8'))
    } catch {
      onInvalid('qase metadata: an attachment is not JSON; ignored')
      continue
    }
    if (message === null || typeof message !== 'object') continue
    if (Array.isArray(message.ids)) meta.ids = message.ids
    for (const key of ['parameters', 'groupParams', 'fields']) meta[key] = stringMap(message, key, onInvalid) ?? meta[key]
    if (typeof message.comment === 'string' && message.comment !== '') meta.comment = message.comment
    if (typeof message.title === 'string' && message.title !== '') meta.title = message.title
    if (typeof message.suite === 'string' && message.suite !== '') meta.suite = message.suite
    if (message.ignore === true) meta.ignore = true
  }
  return meta
}

/**
 * `params` and `param_groups` as the official reporter uploads them: the parameters, then the
 * group's values (a group value overrides a parameter of the same name; an empty one does not),
 * and the group's names as one parameter group.
 */
function parameters(meta) {
  const params = new Map(Object.entries(meta.parameters))
  const names = Object.keys(meta.groupParams)
  for (const name of names) if (meta.groupParams[name]) params.set(name, meta.groupParams[name])
  // fromEntries defines own properties: a parameter named `__proto__` stays a parameter.
  return { params: Object.fromEntries(params), param_groups: names.length ? [names] : [] }
}

/** Case ids given as `qase.id(…)` metadata, as annotation text for `caseIds`. */
function idAnnotation(ids) {
  return ids ? [{ type: 'QaseID', description: ids.join(',') }] : []
}

/**
 * A step title's parts: the action, and the expected result and data `qase.step` marked in it
 * (`Click QaseExpRes:: clicked QaseData:: button`; an empty value is none).
 */
function stepParts(title) {
  const expectedAt = title.indexOf(EXPECTED_MARKER)
  const dataAt = title.indexOf(DATA_MARKER)
  if (expectedAt < 0 && dataAt < 0) return { title, expected: null, data: null }
  // Each value runs to the other marker, or to the end; `::` and `:` both introduce it.
  const value = (at, marker, other) => {
    if (at < 0) return null
    const text = title.slice(at + marker.length, other > at ? other : title.length).replace(/^\s*:?/, '').trim()
    return text === '' ? null : text
  }
  return {
    title: title.slice(0, Math.min(...[expectedAt, dataAt].filter((i) => i >= 0))).trim(),
    expected: value(expectedAt, EXPECTED_MARKER, dataAt),
    data: value(dataAt, DATA_MARKER, expectedAt),
  }
}

/** Playwright's wrappers of a test's hooks, reported only when a step or hook ran inside. */
const HOOK_WRAPPERS = new Set(['Before Hooks', 'After Hooks', 'Worker Cleanup'])

/** True when no step of `list` is a `test.step` or a hook (direct children only). */
const onlyLeaves = (list) => list.every((s) => s.category !== 'test.step' && s.category !== 'hook')

/**
 * Steps of category `test.step` and `hook`, nested, as playwright-qase-reporter reports them:
 * a hook wrapper (`Before Hooks`, …) only when a step or hook ran inside it, and never the
 * official `qase.attach` carrier steps. So a `test.step` inside `beforeEach` is reported too.
 */
function steps(list) {
  const out = []
  for (const s of list) {
    if ((s.category !== 'test.step' && s.category !== 'hook') || STEP_ATTACH.test(s.title)) continue
    if (HOOK_WRAPPERS.has(s.title) && onlyLeaves(s.steps)) continue
    const parts = stepParts(s.title)
    out.push({
      title: parts.title,
      status: s.error ? 'failed' : 'passed',
      started_at: s.startTime.getTime(),
      duration: s.duration,
      expected: parts.expected,
      data: parts.data,
      attachments: [],
      steps: steps(s.steps),
    })
  }
  return out
}

/**
 * The result's attachments: Playwright's own and `qase.attach`'s, ours (plain attachments)
 * and the official helper's (`step_attach_*`, its name after the prefix, URI-decoded as the
 * official reporter does). `qase.*` metadata messages are read, never sent.
 */
function attachmentsOf(list) {
  const out = []
  for (const a of list) {
    if (a.contentType === METADATA_CONTENT_TYPE) continue
    const official = STEP_ATTACH.exec(a.name)
    if (official) {
      if (!a.body) continue
      const name = decodedName(a.name.slice(official[0].length))
      const file = official[1].toLowerCase() === 'file'
      out.push({
        name,
        content_type: a.contentType ?? null,
        path: file ? a.body.toString('utf8') : null,
        content: file ? null : a.body.toString('base64'),
      })
      continue
    }
    if (!a.path && !a.body) continue
    out.push({ name: a.name, content_type: a.contentType ?? null, path: a.path ?? null, content: a.path ? null : a.body.toString('base64') })
  }
  return out
}

function decodedName(name) {
  try {
    return decodeURIComponent(name)
  } catch {
    return name
  }
}

/**
 * The suite path: project (when named), the spec file relative to the test dir, then the
 * describe blocks.
 */
function suitePath(test, rootDir) {
  const titles = test.titlePath() // ['', project, file, ...describes, title]
  const project = titles[1]
  const file = test.location?.file ? relativeFile(rootDir, test.location.file) : titles[2]
  return [...(project ? [project] : []), file, ...titles.slice(3, -1)]
}

/** `file` relative to `rootDir`, `/`-separated; remembered, as every test of a file asks. */
const relativeFiles = new Map()
function relativeFile(rootDir, file) {
  const key = `${rootDir}\0${file}`
  let relative = relativeFiles.get(key)
  if (relative === undefined) {
    relative = path.relative(rootDir, file).split(path.sep).join('/')
    relativeFiles.set(key, relative)
  }
  return relative
}

/**
 * @param {import('@playwright/test/reporter').TestCase} test
 * @param {import('@playwright/test/reporter').TestResult} result
 * @param {{ rootDir: string, onInvalid?: (message: string) => void }} context
 */
function toTestResult(test, result, context) {
  const onInvalid = context.onInvalid ?? (() => {})
  const meta = metadataOf(result.attachments, onInvalid)
  // `qase.ignore()`: not reported at all, as in the official reporter (the caller counts it).
  if (meta.ignore) return null
  const matchers = result.errors?.length ? matcherMessages(result.steps) : EMPTY
  const errors = (result.errors ?? []).map((e) => errorInfo(e, matchers))
  // `QaseID` annotations win over `qase.id()` (as in the official reporter).
  let ids = caseIds(test.annotations, onInvalid) ?? (meta.ids && caseIds(idAnnotation(meta.ids), onInvalid))
  const errorMessage = errors[0]?.message ?? null
  // `qase.suite()` replaces the describe path, and the official reporter signs it alone;
  // `qase.title()` replaces the title, and the signature stays that of Playwright's title
  // path. Either way the core is told the path to sign.
  const ownSuite = suitePath(test, context.rootDir)
  let suite = ownSuite
  let signaturePath
  if (meta.suite !== null) {
    suite = meta.suite === test.title ? [] : [meta.suite]
    signaturePath = [meta.suite]
  } else if (meta.title !== null) {
    signaturePath = [...ownSuite, test.title]
  }
  // Case ids in the test's own title (`qase(12, 'logs in')`) still count under another title.
  if (meta.title !== null && ids === null) ids = titleCaseIds(test.title, onInvalid)
  return {
    title: meta.title ?? test.title,
    suite,
    testops_ids: ids,
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
    ...parameters(meta),
    fields: meta.fields,
    steps: steps(result.steps),
    attachments: attachmentsOf(result.attachments),
    // A comment goes first, the error message after it (official layout); without a comment
    // the core takes the error message itself.
    message: meta.comment === null ? null : errorMessage === null ? meta.comment : `${meta.comment}\n\n${errorMessage}`,
    attempt: result.retry,
    muted: false,
    thread: `worker-${result.parallelIndex}`,
    ...(signaturePath ? { signature_path: signaturePath } : {}),
  }
}

/** The case ids the core reads from a title's `(Qase ID: …)` marker (its warnings passed on). */
function titleCaseIds(title, onInvalid) {
  const { caseIds: read } = require('../index.js')
  const found = read(title, null)
  for (const w of found.warnings) onInvalid(`${w.key}: ${w.message}`)
  return found.ids.length ? found.ids : null
}

module.exports = { toTestResult }
