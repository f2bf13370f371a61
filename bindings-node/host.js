'use strict'
// `testrelay/host`: the host kit for JavaScript reporter authors — the one the Playwright and
// Vitest reporters and the CLI are built on. A `ReporterSession` reads the configuration the
// way every testrelay reporter does, takes finished tests in the core's `TestResult` shape,
// performs what the core asks (requests, files, log lines) and ends with the receipt. It
// decides nothing: statuses, batching, retries, fallback and completion are the core's
// (docs/authoring.md).

const { randomUUID } = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Host, writeFiles } = require('./lib/host.js')
const { collectSources } = require('./lib/sources.js')

/** Results cross to the core at most this many at a time… */
const FLUSH_EVERY = 200
/** …and at the latest this long (ms) after the oldest of them was added. */
const FLUSH_MS = 250

class ReporterSession {
  /**
   * @param {object} [init]
   * @param {object | null} [init.options] reporter options, `qase.config.json` shape
   * @param {string[]} [init.dirs] where to look for `qase.config.json` (default: the working directory)
   * @param {NodeJS.ProcessEnv} [init.env] the environment (default: `process.env`)
   * @param {object | null} [init.cli] command-line flags, `qase.config.json` shape
   * @param {string} [init.runner] the runner's name, for the job's name (`vitest`, …)
   * @param {{ current: number, total: number } | null} [init.shard] this process's shard
   * @param {boolean} [init.worker] a worker whose controller completes the run
   * @param {(level: string, message: string) => void} [init.print] where log lines go
   */
  constructor(init = {}) {
    this.env = init.env ?? process.env
    this.print = init.print ?? null
    this.buffer = []
    this.timer = null
    this.ended = false
    this.receipt = undefined
    this.atExit = []
    this.session = null
    this.host = null
    try {
      const binding = require('./index.js')
      this.instance = randomUUID()
      this.job = binding.jobName({ env_job: this.env.TESTRELAY_JOB ?? null, shard: init.shard ?? null, runner: init.runner ?? '', instance: this.instance })
      const sources = collectSources(init.options ?? null, { dirs: init.dirs, env: this.env, cli: init.cli ?? null })
      // Facts the core decides from which run this job completes (SPEC §5).
      const options = { instance: this.instance, shard: init.shard ?? null, receipts: Boolean(this.env.TESTRELAY_RECEIPTS_DIR), worker: Boolean(init.worker) }
      this.session = new binding.Session(sources, options, Date.now())
      this.mode = binding.resolveConfig(sources).config.mode
      this.host = new Host(this.session, this.print ? { print: this.print } : {})
      this.host.drain()
    } catch (error) {
      // Never into the runner: said once, and this session reports nothing.
      this.session = null
      this.host = null
      this.mode = 'off'
      // The causes too: a native binding that failed to load names the missing platform
      // package only there.
      const causes = []
      for (let e = error; e && causes.length < 5; e = e.cause) causes.push(`${e?.message ?? e}${e?.code ? ` [${e.code}]` : ''}`)
      const line = `testrelay: reporting disabled: ${causes.join(': ')}`
      ;(this.print ?? ((_, m) => console.error(m)))('error', line)
      return
    }
    // A runner that exits without `end` (a crash, process.exit): what was added still reaches
    // the session, which writes the report (or the fallback of what was not delivered)
    // synchronously; the run is taken as interrupted. `onExit` callbacks run first.
    this.onProcessExit = () => this.endAtExit()
    process.once('exit', this.onProcessExit)
  }

  /**
   * Runs `fn` when the process exits before `end` (a crash, `process.exit`), before the kit
   * ends the session: a reporter that holds tests of its own hands them over there.
   */
  onExit(fn) {
    this.atExit.push(fn)
  }

  /** The run id, once the run is created or checked. */
  get runId() {
    return this.session?.runId ?? null
  }

  /** One finished test (the core's `TestResult`); handed to the core in batches. */
  add(result) {
    if (!this.host) return
    this.buffer.push(result)
    if (this.buffer.length >= FLUSH_EVERY) this.flush()
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS).unref()
  }

  /** Many finished tests in one crossing. */
  addMany(results) {
    if (!this.host) return
    for (const result of results) this.buffer.push(result)
    this.flush()
  }

  /** Hands every buffered result to the core now (one crossing); a refused result costs only itself. */
  flush() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.buffer.length === 0 || !this.host) return
    const results = this.buffer
    this.buffer = []
    try {
      this.host.addResults(results)
    } catch {
      for (const result of results) {
        try {
          this.host.handle({ event: 'test_finished', result })
        } catch (error) {
          this.host.print('error', `could not report "${result?.title}"${error?.code ? ` [${error.code}]` : ''}: ${error?.message ?? error}`)
        }
      }
    }
  }

  /** The test run was interrupted (Ctrl-C, a global timeout): the run will be left open. */
  interrupted() {
    this.host?.handle({ event: 'run_interrupted' })
  }

  /**
   * Ends the session: flushes, waits for the uploads (bounded by the core), and writes the
   * job's receipt when `$TESTRELAY_RECEIPTS_DIR` is set. Resolves to the receipt, or `null`
   * when the session could not finish after a bug (said loudly).
   * @param {{ expectedTests?: number | null, testsReported?: number | null, ignored?: number }} [counts]
   */
  async end(counts = {}) {
    if (!this.host) return null
    if (this.ended) return this.receipt ?? this.host.finished
    this.ended = true
    process.removeListener('exit', this.onProcessExit)
    this.flush()
    this.host.handle({ event: 'all_tests_done' })
    this.receipt = await this.host.finished
    if (this.receipt) this.writeReceipt(counts)
    return this.receipt
  }

  endAtExit() {
    if (this.ended || !this.host) return
    for (const fn of this.atExit) {
      try {
        fn()
      } catch (error) {
        this.host.print('error', `could not hand over the last tests: ${error?.message ?? error}`)
      }
    }
    this.ended = true
    this.flush()
    this.host.handle({ event: 'run_interrupted' })
    this.host.handle({ event: 'all_tests_done' })
  }

  /** The job receipt for `testrelay complete-run --receipts DIR` (name and body: the core's). */
  writeReceipt({ expectedTests = null, testsReported = null, ignored = 0 } = {}) {
    const dir = this.env.TESTRELAY_RECEIPTS_DIR
    if (!dir) return
    const { receiptFile } = require('./index.js')
    const file = receiptFile({ job: this.job, instance: this.instance, receipt: this.receipt, expected_tests: expectedTests, tests_reported: testsReported, ignored })
    fs.mkdirSync(dir, { recursive: true })
    const target = path.join(dir, file.name)
    fs.writeFileSync(`${target}.tmp`, file.body)
    fs.renameSync(`${target}.tmp`, target)
  }
}

module.exports = { ReporterSession, Host, collectSources, writeFiles }
