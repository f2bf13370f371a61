'use strict'
// `qase` helpers called inside Playwright tests (`import { qase } from 'testrelay/playwright'`).
// They write what the official playwright-qase-reporter's helpers write: a test attachment of
// content type `application/qase.metadata+json` whose body is one JSON message. So tests keep
// working when they still import `qase` from `playwright-qase-reporter`, and these helpers work
// with the official reporter too. The reporter reads the messages in lib/translate.js.

const fs = require('node:fs')
const path = require('node:path')
const { randomUUID } = require('node:crypto')

/** The content type both reporters read (playwright-qase-reporter's `ReporterContentType`). */
const METADATA_CONTENT_TYPE = 'application/qase.metadata+json'

/** The markers `qase.step` puts in a step title for its expected result and data. */
const EXPECTED_MARKER = 'QaseExpRes:'
const DATA_MARKER = 'QaseData:'

/** Content types of files attached by path, by extension (else `application/octet-stream`). */
const FILE_TYPES = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.svg': 'image/svg+xml', '.txt': 'text/plain', '.log': 'text/plain', '.json': 'application/json',
  '.xml': 'application/xml', '.html': 'text/html', '.htm': 'text/html', '.pdf': 'application/pdf', '.csv': 'text/csv',
  '.zip': 'application/zip', '.webm': 'video/webm', '.mp4': 'video/mp4',
}
const DEFAULT_CONTENT_TYPE = 'application/octet-stream'

/** Every value as a string, keys in insertion order (what the official helpers send). */
function strings(what, values) {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new TypeError(`qase.${what}() takes an object of names to values`)
  }
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]))
}

/**
 * Attaches one metadata message to the running test. Playwright's `attach` is asynchronous;
 * like the official helper, a failure to attach (a test already finished) is not the test's
 * failure. `@playwright/test` is loaded here, inside the test worker, never by the reporter.
 */
function addMetadata(message) {
  const { test } = require('@playwright/test')
  test
    .info()
    .attach('qase-metadata.json', { contentType: METADATA_CONTENT_TYPE, body: Buffer.from(JSON.stringify(message), 'utf8') })
    .catch(() => {})
}

/**
 * An attachment of the running test, made at once (Playwright's `attach` is asynchronous and
 * not awaited by the caller, so it must not wait for I/O or it may land after the test ended).
 * Content is a plain Playwright attachment; a file is what the official helper attaches for
 * it, `step_attach_file_<uuid>_<name>` with the file's path as body, read when reported. Both
 * reporters read both.
 */
function addAttachment(name, options) {
  const { test } = require('@playwright/test')
  test
    .info()
    .attach(name, options)
    .catch(() => {})
}

/** A step title with the official markers (`<action> QaseExpRes:: <expected> QaseData:: <data>`). */
function stepTitle(action, expectedResult, data) {
  const expected = expectedResult ? `: ${expectedResult}` : ''
  const input = data ? `: ${data}` : ''
  return `${action} ${EXPECTED_MARKER}${expected} ${DATA_MARKER}${input}`
}

/**
 * Test title with case ids, the official reporter's first helper: `test(qase(12, 'logs in'), …)`
 * names the test `logs in (Qase ID: 12)`; the core reads the ids from the title.
 */
function qase(caseId, name) {
  const ids = Array.isArray(caseId) ? caseId : [caseId]
  return `${name} (Qase ID: ${ids.join(',')})`
}

Object.assign(qase, {
  /** Case ids of this test (`qase.id(12)`, `qase.id([12, 13])`); `QaseID` annotations win. */
  id(value) {
    addMetadata({ ids: Array.isArray(value) ? value : [value] })
    return qase
  },
  /** Parameters, e.g. `qase.parameters({ Browser: 'firefox' })`; they enter the signature. */
  parameters(values) {
    addMetadata({ parameters: strings('parameters', values) })
    return qase
  },
  /** Parameters that belong together, sent as one parameter group. */
  groupParameters(values) {
    addMetadata({ groupParams: strings('groupParameters', values) })
    return qase
  },
  /** Result fields (`description`, `severity`, `priority`, `layer`, custom ones). */
  fields(values) {
    addMetadata({ fields: strings('fields', values) })
    return qase
  },
  /** A comment, sent as the result's message (before the error message, if any). */
  comment(text) {
    addMetadata({ comment: String(text) })
    return qase
  },
  /** The title reported instead of the test's own; the signature stays the test's own. */
  title(text) {
    addMetadata({ title: String(text) })
    return qase
  },
  /**
   * The suite reported instead of the describe path (`'Auth\tLogin'` for nested suites, as
   * in the official reporter); the signature is then built from it, as the official one is.
   */
  suite(text) {
    addMetadata({ suite: String(text) })
    return qase
  },
  /** This result is not reported (neither sent nor written); the test still runs. */
  ignore() {
    addMetadata({ ignore: true })
    return qase
  },
  /**
   * Attachments: `{ paths }` (one path or a list; each file under its own name) or
   * `{ name, content, contentType }` (bytes or a string; `type` is read as `contentType`).
   */
  attach(attach) {
    if (attach === null || typeof attach !== 'object') throw new TypeError('qase.attach() takes { paths } or { name, content, contentType }')
    const contentType = attach.contentType ?? attach.type
    if (attach.paths !== undefined) {
      for (const file of Array.isArray(attach.paths) ? attach.paths : [attach.paths]) {
        const absolute = path.resolve(String(file))
        // A missing file is said in the test's output, never the test's failure.
        if (!fs.existsSync(absolute)) {
          console.error(`testrelay: qase.attach: no file ${absolute}; not attached`)
          continue
        }
        const type = contentType ?? FILE_TYPES[path.extname(absolute).toLowerCase()] ?? DEFAULT_CONTENT_TYPE
        addAttachment(`step_attach_file_${randomUUID()}_${path.basename(absolute)}`, { body: Buffer.from(absolute, 'utf8'), contentType: type })
      }
      return qase
    }
    // As in the official helper, empty content attaches nothing.
    if (attach.content === undefined || attach.content === null || attach.content.length === 0) return qase
    const content = attach.content
    const body = Buffer.isBuffer(content) ? content : content instanceof Uint8Array ? Buffer.from(content) : Buffer.from(String(content), 'utf8')
    addAttachment(attach.name ?? 'attachment', { body, contentType: contentType ?? DEFAULT_CONTENT_TYPE })
    return qase
  },
  /**
   * A step with an expected result and data. The official shape returns the step title for
   * `test.step`: `await test.step(qase.step('Click', 'clicked', 'button'), async () => …)`.
   * Given a body (`qase.step('Click', async () => …, 'clicked', 'button')`, the shape of the
   * other Qase reporters) it runs it as that one `test.step` and returns its promise.
   */
  step(action, bodyOrExpected, expectedOrData, data) {
    if (typeof bodyOrExpected !== 'function') return stepTitle(String(action), bodyOrExpected, expectedOrData)
    const { test } = require('@playwright/test')
    const title = expectedOrData || data ? stepTitle(String(action), expectedOrData, data) : String(action)
    return test.step(title, bodyOrExpected)
  },
})

module.exports = { qase, METADATA_CONTENT_TYPE, EXPECTED_MARKER, DATA_MARKER }
