'use strict'
// `testrelay/playwright`: a Playwright reporter that hosts a testrelay session. It translates
// Playwright's tests into the core's TestResult shape and performs the session's actions; every
// decision (status, mapping, filter, batching, retries, completion) is the core's.
//
//   // playwright.config.ts
//   reporter: [['list'], ['testrelay/playwright', { testops: { project: 'DEMO' } }]]
//
//   // in a test: parameters, fields, … (lib/qase.js)
//   import { qase } from 'testrelay/playwright'
//   qase.parameters({ Browser: 'firefox' })

const { randomUUID } = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Host } = require('./lib/host.js')
const { collectSources } = require('./lib/sources.js')
const { toTestResult } = require('./lib/translate.js')
const { qase } = require('./lib/qase.js')

/** Results handed to the core in one call, at most… */
const FLUSH_EVERY = 200
/** …and at the latest this long (ms) after the oldest of them finished. */
const FLUSH_MS = 250

class TestrelayReporter {
  /** @param {object} [options] reporter options, `qase.config.json` shape (SPEC §4) */
  constructor(options = {}) {
    this.options = ownOptions(options)
    this.host = null
    this.buffer = []
    this.flushTimer = null
    this.ended = false
    this.rootDir = process.cwd()
    this.said = new Set()
    this.instance = randomUUID()
    this.testsReported = new Set()
    this.job = null
    this.expectedTests = null
    /** Results left out by `qase.ignore()`: never reach the core, counted in the receipt file. */
    this.ignored = 0
    /** Playwright said the run was interrupted (Ctrl-C, the global timeout). */
    this.interrupted = false
  }

  printsToStdio() {
    return false
  }

  onBegin(config, suite) {
    this.rootDir = config.rootDir
    // For the receipt: this shard's tests (Playwright gives the reporter only its shard's) and
    // a job name unique across the shards of one run.
    this.expectedTests = suite ? suite.allTests().length : null
    this.job = process.env.TESTRELAY_JOB || (config.shard ? `shard-${config.shard.current}-of-${config.shard.total}` : this.instance)
    this.guard('start', () => {
      // The native binding loads here, in the runner: test workers that import `qase` from this
      // module never load it.
      const { Session } = require('./index.js')
      const session = new Session(collectSources(this.options), { instance: this.instance }, Date.now())
      const host = new Host(session)
      host.drain()
      this.host = host
      // If the runner exits without onEnd (a crash, process.exit), the results still buffered
      // reach the session and it finishes: the local report (or the fallback of what was not
      // delivered yet) is written synchronously; requests cannot complete any more.
      process.once('exit', () => this.atProcessExit())
    })
  }

  onTestEnd(test, result) {
    if (!this.host) return
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
    if (!this.host) {
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
    if (!this.ended && this.host) await this.finishSession()
  }

  async finishSession() {
    this.ended = true
    this.flush()
    // Said before the session's summary, which stays the last line.
    if (this.ignored > 0) console.log(`testrelay: ${this.ignored} result(s) not reported: qase.ignore()`)
    if (this.interrupted) this.guard('say the run was interrupted', () => this.host.handle({ event: 'run_interrupted' }))
    if (!this.guard('finish', () => this.host.handle({ event: 'all_tests_done' }))) return
    // The session logs its one-line summary (loud, at warn, when results were not delivered)
    // and failure links; they were printed as they came.
    this.receipt = await this.host.finished
    // No receipt: the session could not finish after a bug (the host said so).
    if (this.receipt === null) return
    this.guard('write the receipt', () => writeReceipt(this.receipt, this.job, this.instance, this.expectedTests, this.testsReported.size, this.ignored))
  }

  /** The process exits without onEnd/onExit (a crash, process.exit): the run did not end. */
  atProcessExit() {
    if (this.ended || !this.host) return
    this.ended = true
    this.flush()
    this.guard('say the run was interrupted', () => this.host.handle({ event: 'run_interrupted' }))
    this.guard('finish at exit', () => this.host.handle({ event: 'all_tests_done' }))
  }

  flush() {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    if (this.buffer.length === 0 || !this.host) return
    const finished = this.buffer
    this.buffer = []
    const context = { rootDir: this.rootDir, onInvalid: (m) => this.warnOnce(m) }
    const results = []
    for (let i = 0; i < finished.length; i += 2) {
      this.guard(`translate "${finished[i].title}"`, () => {
        const result = toTestResult(finished[i], finished[i + 1], context)
        if (result === null) this.ignored += 1
        else results.push(result)
      })
    }
    if (results.length === 0) return
    if (this.guard(`report ${results.length} results in bulk`, () => this.host.addResults(results))) return
    // The bulk call changed nothing: report one by one so a bad result costs only itself.
    for (const result of results) {
      this.guard(`report "${result.title}"`, () => this.host.handle({ event: 'test_finished', result }))
    }
  }

  warnOnce(message) {
    if (this.said.has(message)) return
    this.said.add(message)
    console.error(`testrelay: ${message}`)
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

/**
 * For the final step of a shared run (`testrelay complete-run --receipts DIR`): the receipt as
 * `$TESTRELAY_RECEIPTS_DIR/<job>-<instance>.json` (written whole, then renamed), the job named by
 * `$TESTRELAY_JOB`, else `shard-<i>-of-<n>` for a Playwright shard, else this instance.
 */
function writeReceipt(receipt, job, instance, expectedTests, testsReported, ignored) {
  const dir = process.env.TESTRELAY_RECEIPTS_DIR
  if (!dir) return
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${job.replace(/[^A-Za-z0-9._-]/g, '_')}-${instance}.json`)
  const body = { ...receipt, job, expected_tests: expectedTests, tests_reported: testsReported, ignored }
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(body, null, 2))
  fs.renameSync(`${file}.tmp`, file)
}

/** The user's options without the keys Playwright adds for itself (`configDir`, `_mode`, …). */
function ownOptions(options) {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([key]) => key !== 'configDir' && !key.startsWith('_')))
}

module.exports = TestrelayReporter
module.exports.default = TestrelayReporter
module.exports.qase = qase
