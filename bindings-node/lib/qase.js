'use strict'
// `qase` helpers called inside Playwright tests (`import { qase } from 'testrelay/playwright'`).
// They write what the official playwright-qase-reporter's helpers write: a test attachment of
// content type `application/qase.metadata+json` whose body is one JSON message. So tests keep
// working when they still import `qase` from `playwright-qase-reporter`, and these helpers work
// with the official reporter too. The reporter reads the messages in lib/translate.js.

/** The content type both reporters read (playwright-qase-reporter's `ReporterContentType`). */
const METADATA_CONTENT_TYPE = 'application/qase.metadata+json'

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

const qase = {
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
}

module.exports = { qase, METADATA_CONTENT_TYPE }
