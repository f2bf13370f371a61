'use strict'
// Playwright's TestCase + TestResult → a TestResult carrying Playwright's facts
// (`result.playwright`, docs/api.md), for the core to read. Reading only: what annotations,
// `qase.*` messages, step titles, steps and errors mean — and whether the test is reported at
// all — is decided by the core (core/src/runner_facts/playwright.rs), which also warns.

const path = require('node:path')

/**
 * @param {import('@playwright/test/reporter').TestCase} test
 * @param {import('@playwright/test/reporter').TestResult} result
 * @param {string} rootDir the configuration's root directory (spec files are named from it)
 */
function toTestResult(test, result, rootDir) {
  return {
    // Names the result in the host kit's own error lines; the core reads the facts.
    title: test.title,
    playwright: {
      title_path: test.titlePath(),
      title: test.title,
      file: test.location?.file ? relativeFile(rootDir, test.location.file) : null,
      annotations: test.annotations.length ? test.annotations.map(annotation) : [],
      expected_status: test.expectedStatus,
      status: result.status,
      retry: result.retry,
      parallel_index: result.parallelIndex,
      start_time: result.startTime.getTime(),
      duration: result.duration,
      errors: result.errors?.length ? result.errors.map(error) : [],
      steps: result.steps.length ? steps(result.steps) : [],
      attachments: result.attachments.length ? result.attachments.map(attachment) : [],
    },
  }
}

/** Playwright does not check what a test pushes: a value that is not text is sent as `String()` writes it. */
const annotation = (a) => ({ type: String(a.type), description: a.description == null ? null : String(a.description) })

const error = (e) => ({ message: e.message, stack: e.stack, value: e.value })

/**
 * Steps Playwright records for API calls, fixtures and assertions: a test has many, and what
 * the core reads of them is their category, error and inner steps (never their title or
 * times), so only that crosses (PlaywrightStep, docs/api.md).
 */
const BARE = new Set(['pw:api', 'fixture', 'expect'])

/** The whole step tree (Playwright's steps link to their parents: copied, not serialized). */
function steps(list) {
  return list.map((s) => {
    const step = BARE.has(s.category) ? { category: s.category } : { title: s.title, category: s.category, start_time: s.startTime.getTime(), duration: s.duration }
    if (s.error) step.error = { message: s.error.message }
    if (s.steps.length) step.steps = steps(s.steps)
    return step
  })
}

/** A file crosses as its path; only an attachment without one crosses with its body. */
function attachment(a) {
  return {
    name: a.name,
    content_type: a.contentType ?? null,
    path: a.path ?? null,
    body: !a.path && a.body ? a.body.toString('base64') : null,
  }
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

module.exports = { toTestResult }
