'use strict'
// `testrelay/playwright`: a Playwright reporter that hosts a testrelay session. It hands
// Playwright's facts about each test to the core and performs the session's actions; every
// decision (what annotations, `qase.*` messages and steps mean, whether a test is reported,
// status, mapping, filter, batching, retries, completion) is the core's.
//
//   // playwright.config.ts
//   reporter: [['list'], ['testrelay/playwright', { testops: { project: 'DEMO' } }]]
//
//   // in a test: parameters, fields, … (lib/qase.js)
//   import { qase } from 'testrelay/playwright'
//   qase.parameters({ Browser: 'firefox' })

const { toTestResult } = require('./lib/translate.js')
const { qase } = require('./lib/qase.js')

/** Results translated and handed to the core in one call, at most… */
const FLUSH_EVERY = 200
/** …and at the latest this long (ms) after the oldest of them finished. */
const FLUSH_MS = 250

class TestrelayReporter {
  /** @param {object} [options] reporter options, `qase.config.json` shape (SPEC §4) */
  constructor(options = {}) {
    this.options = ownOptions(options)
    /** The kit's session (`testrelay/host`), once started. */
    this.session = null
    this.buffer = []
    this.flushTimer = null
    this.ended = false
    this.rootDir = process.cwd()
    this.testsReported = new Set()
    this.expectedTests = null
    /** Playwright said the run was interrupted (Ctrl-C, the global timeout). */
    this.interrupted = false
  }

  printsToStdio() {
    return false
  }

  onBegin(config, suite) {
    this.rootDir = config.rootDir
    // For the receipt: this shard's tests (Playwright gives the reporter only its shard's).
    this.expectedTests = suite ? suite.allTests().length : null
    this.guard('start', () => {
      // The native binding loads here, in the runner: test workers that import `qase` from this
      // module never load it. The kit looks for qase.config.json in the working directory, then
      // in the folder of the Playwright config.
      const { ReporterSession } = require('./host.js')
      const dirs = [process.cwd(), ...(config.configFile ? [require('node:path').dirname(config.configFile)] : [])]
      this.session = new ReporterSession({ options: this.options, dirs, runner: 'playwright', shard: config.shard ?? null })
      // If the runner exits without onEnd (a crash, process.exit), the tests still buffered here
      // reach the session before the kit ends it (its own exit listener comes after this one).
      process.prependOnceListener('exit', () => this.atProcessExit())
    })
  }

  onTestEnd(test, result) {
    if (!this.session) return
    this.testsReported.add(test.id)
    // Playwright's objects are final here; they are translated in the batch, at flush.
    this.buffer.push(test, result)
    // Results cross to the core in bulk, FLUSH_EVERY results or FLUSH_MS after the first one
    // waiting, whichever comes first: few crossings per run, yet uploads start while tests run.
    if (this.buffer.length >= 2 * FLUSH_EVERY) this.flush()
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS).unref()
  }

  onError() {
    // Global errors (config, worker crashes) are printed by Playwright itself; they are not
    // test results and change nothing the session reports.
  }

  async onEnd(result) {
    if (!this.session) {
      this.ended = true
      return
    }
    // Ctrl-C or the global timeout: tests that should have run did not, so the run stays open.
    // Playwright reports the test it cut off after onEnd, so the session ends in onExit then.
    if (result?.status === 'interrupted' || result?.status === 'timedout') {
      this.interrupted = true
      return
    }
    await this.finishSession()
  }

  /** Playwright's last hook (after every onEnd and late onTestEnd). */
  async onExit() {
    if (!this.ended && this.session) await this.finishSession()
  }

  async finishSession() {
    this.ended = true
    // Results `qase.ignore()` left out are counted by the session, which says how many before
    // its summary and puts them in the receipt (`ignored`).
    this.flush()
    if (this.interrupted) this.guard('say the run was interrupted', () => this.session.interrupted())
    // The session logs its one-line summary (loud, at warn, when results were not delivered)
    // and failure links as they come; the kit writes the job's receipt.
    const counts = { expectedTests: this.expectedTests, testsReported: this.testsReported.size }
    let ending = null
    if (!this.guard('finish', () => (ending = this.session.end(counts)))) return
    try {
      this.receipt = await ending
    } catch (error) {
      console.error(`testrelay: ERROR: could not write the receipt: ${error?.message ?? error}`)
    }
  }

  /** The process exits without onEnd/onExit (a crash, process.exit): the run did not end. */
  atProcessExit() {
    if (this.ended || !this.session) return
    this.ended = true
    this.flush()
  }

  flush() {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (this.buffer.length === 0 || !this.session) return
    const finished = this.buffer
    this.buffer = []
    const results = []
    for (let i = 0; i < finished.length; i += 2) {
      this.guard(`translate "${finished[i].title}"`, () => results.push(toTestResult(finished[i], finished[i + 1], this.rootDir)))
    }
    if (results.length === 0) return
    this.guard(`report ${results.length} results`, () => this.session.addMany(results))
  }

  // Reporting problems never change Playwright's outcome: they are printed, loudly, and the
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

/** The user's options without the keys Playwright adds for itself (`configDir`, `_mode`, …). */
function ownOptions(options) {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([key]) => key !== 'configDir' && !key.startsWith('_')))
}

module.exports = TestrelayReporter
module.exports.default = TestrelayReporter
module.exports.qase = qase
