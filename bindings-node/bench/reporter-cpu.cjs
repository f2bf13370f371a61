'use strict'
// The Playwright reporter's own CPU per test, without Playwright: the reporter (report mode,
// this package's playwright.js and binding) is fed N finished tests shaped like Playwright's
// (the fields lib/translate.js reads), in a fresh process per round; CPU time of the whole
// process (all threads) from after onBegin to the end of onEnd, median of the rounds. The
// runner-CPU figure of bench/run.mjs includes everything Playwright's runner does around the
// reporter and moves by ±0.2 ms per test between rounds; this one isolates the reporter's share.
//
// No round deletes its report before the others have run (README, "Benchmarks", note 2: on
// this machine's file system, files created soon after thousands were deleted cost 20–40 times
// as much); all go at the end, or stay with --keep (scripts/bench deletes its folder last).
//
//   node bench/reporter-cpu.cjs [--tests 2000] [--rounds 7] [--keep]
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const args = process.argv.slice(2)
const opt = (name, dflt) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : dflt)
const N = opt('tests', 2000)
const ROUNDS = opt('rounds', 7)

if (args.includes('--child')) {
  // In the folder the parent made for the rounds (in the project's work folder, where a user's
  // report goes, not the system's temp folder); a child run by hand writes into the temp folder.
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_ROUNDS_DIR ?? os.tmpdir(), 'round-'))
  process.env.QASE_MODE = 'report'
  process.env.QASE_REPORT_CONNECTION_PATH = path.join(dir, 'report')
  const Reporter = require('../playwright.js')
  const file = (i) => `s${Math.floor(i / 100)}.spec.mjs`
  const tests = Array.from({ length: N }, (_, i) => ({
    id: `test-${i}`,
    title: `t${i}`,
    annotations: [],
    expectedStatus: 'passed',
    location: { file: path.join(dir, 'tests', file(i)), line: 3 + (i % 100), column: 1 },
    titlePath: () => ['', '', file(i), `file ${Math.floor(i / 100)}`, `t${i}`],
  }))
  const results = tests.map((_, i) => ({ status: 'passed', errors: [], steps: [], retry: 0, attachments: [], startTime: new Date(), duration: 3, parallelIndex: i % 2, workerIndex: i % 2 }))
  const cpu = () => {
    const u = process.cpuUsage()
    return u.user + u.system
  }
  const reporter = new Reporter({})
  reporter.onBegin({ rootDir: dir, shard: null }, { allTests: () => tests })
  const start = cpu()
  for (let i = 0; i < N; i++) reporter.onTestEnd(tests[i], results[i])
  reporter.onEnd({ status: 'passed' }).then(() => {
    const us = (cpu() - start) / N
    const written = fs.readdirSync(path.join(dir, 'report', 'results')).length
    if (written !== N) throw new Error(`${written} result files for ${N} tests`)
    process.stdout.write(`${us}\n`)
  })
} else {
  const work = process.env.TESTRELAY_WORK ?? os.tmpdir()
  fs.mkdirSync(work, { recursive: true })
  const rounds = fs.mkdtempSync(path.join(work, 'reporter-cpu-'))
  const env = { ...process.env, BENCH_ROUNDS_DIR: rounds }
  const samples = []
  for (let round = 0; round < ROUNDS; round++) {
    const r = spawnSync(process.execPath, [__filename, '--child', '--tests', String(N)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env })
    if (r.status !== 0) throw new Error(`round ${round}: exit ${r.status}`)
    samples.push(Number(r.stdout.trim().split('\n').pop()))
  }
  if (!args.includes('--keep')) fs.rmSync(rounds, { recursive: true, force: true })
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(samples.length / 2)]
  console.log(`reporter own CPU: ${median.toFixed(1)} µs per test (report mode, ${N} tests, median of ${ROUNDS} rounds; min ${samples[0].toFixed(1)}, max ${samples[samples.length - 1].toFixed(1)})`)
}
