// Benchmark: a no-browser Playwright suite run bare, with the official
// playwright-qase-reporter 2.7.0 (installed into a temporary folder, never committed) and with
// testrelay, both in report mode; prints runner CPU, start-up, memory and wall side by side with
// ratios. Then the per-result cost of the bulk binding call (classify + map + filter + queue).
//
// Runner CPU is the Playwright runner process's own CPU time (process.cpuUsage at the end of the
// last onEnd; workers are other processes), the median of --repeats interleaved rounds, with the
// 95% spread of the paired added cost per test so one can see whether 0.1 ms/test is resolved.
//
//   node bench/run.mjs [--tests 2000] [--workers 2] [--repeats 5] [--skip-official] [--skip-playwright]
//                      [--reporter NAME=PATH ...] [--profile]
import { spawnSync, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt)
const TESTS = Number(opt('tests', 2000))
const WORKERS = Number(opt('workers', 2))
const REPEATS = Number(opt('repeats', 5))
const PROFILE = args.includes('--profile')
let runs = 0
const work = mkdtempSync(join(process.env.TESTRELAY_WORK ?? tmpdir(), 'bench-'))

// The suite: files of 100 trivial tests each.
const suite = join(work, 'suite')
mkdirSync(join(suite, 'tests'), { recursive: true })
symlinkSync(join(pkg, 'node_modules'), join(suite, 'node_modules'))
for (let f = 0; f < Math.ceil(TESTS / 100); f++) {
  const n = Math.min(100, TESTS - f * 100)
  const body = Array.from({ length: n }, (_, i) => `test('t${f}-${i}', () => { expect(${i} + 1).toBe(${i + 1}) })`).join('\n')
  writeFileSync(join(suite, 'tests', `s${f}.spec.mjs`), `import { test, expect } from '@playwright/test'\ntest.describe('file ${f}', () => {\n${body}\n})\n`)
}

function officialReporter() {
  if (args.includes('--skip-official')) return null
  const dir = join(work, 'official')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{"name":"bench-official","private":true}')
  // Without peers: the reporter must see the runner's own @playwright/test (Playwright refuses a
  // second copy), linked in below.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', '--legacy-peer-deps', 'playwright-qase-reporter@2.7.0'], { cwd: dir, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } })
  for (const name of ['@playwright/test', 'playwright', 'playwright-core']) {
    const target = join(dir, 'node_modules', name)
    rmSync(target, { recursive: true, force: true })
    mkdirSync(dirname(target), { recursive: true })
    symlinkSync(join(pkg, 'node_modules', name), target)
  }
  return createRequire(join(dir, 'package.json')).resolve('playwright-qase-reporter')
}

function run(name, reporter) {
  const config = join(suite, `${name}.config.mjs`)
  const probe = join(pkg, 'bench/probe.cjs')
  const reporters = [[probe, { role: 'first' }], ...(reporter ? [reporter] : []), [probe, { role: 'last' }]]
  writeFileSync(config, `export default { testDir: './tests', workers: ${WORKERS}, outputDir: ${JSON.stringify(join(work, `out-${name}`))}, reporter: ${JSON.stringify(reporters)} }\n`)
  const out = join(work, `probe-${name}.json`)
  const env = { ...process.env, BENCH_PROBE_OUT: out, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', QASE_MODE: 'report', QASE_REPORT_CONNECTION_PATH: join(work, `report-${name}`) }
  for (const k of Object.keys(env)) if (k.startsWith('QASE_TESTOPS')) delete env[k]
  const start = performance.now()
  const profiles = join(work, `prof-${name}-${runs++}`)
  const node = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []
  const r = spawnSync(process.execPath, [...node, join(pkg, 'node_modules/@playwright/test/cli.js'), 'test', '-c', config], { cwd: suite, env, encoding: 'utf8' })
  const wall = performance.now() - start
  if (r.status !== 0) throw new Error(`${name}: playwright exited ${r.status}\n${r.stdout}\n${r.stderr}`)
  const ev = Object.fromEntries(JSON.parse(readFileSync(out, 'utf8')).map((e) => [e.name, e]))
  return {
    // Reporter start-up: loading + constructing the reporter (between the probes'
    // constructors; Playwright loads each reporter module right before constructing it) plus
    // its onBegin (between the probes' onBegin).
    startup: ev['last.constructor'].t - ev['first.constructor'].t + (ev['last.onBegin'].t - ev['first.onBegin'].t),
    // Runner CPU: the Playwright runner process's own user + system time from its start to the
    // end of every reporter's onEnd (reporters' onEnd run one after the other, the last probe
    // last). Test workers are separate processes and are not counted.
    cpu: (ev['last.onEnd'].cpu.user + ev['last.onEnd'].cpu.system) / 1000,
    rss: ev['last.onEnd'].maxRss / 1024, // MB (maxRSS is in KB)
    wall,
    own: PROFILE && reporter ? reporterTime(join(profiles, readdirSync(profiles).find((f) => f.includes(`.${r.pid}.`))), dirname(reporter[0])) : 0,
  }
}

/**
 * `--profile`: main-thread time (ms) the runner's CPU profile samples inside the reporter's own
 * files (under its folder, not in a node_modules below it; for the official reporter its
 * dependencies are not counted), garbage collection excluded. The samples are the main
 * thread's time, so synchronous calls blocked in the kernel (file writes) count in full: an
 * upper bound of the reporter's main-thread CPU, which shows where the time goes.
 */
function reporterTime(file, root) {
  const p = JSON.parse(readFileSync(file, 'utf8'))
  const parent = new Map()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n)
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const own = (n) => {
    const path = n.callFrame.url.replace(/^file:\/\//, '')
    return path.startsWith(root) && !path.slice(root.length).includes('/node_modules/')
  }
  let us = 0
  p.samples.forEach((id, i) => {
    for (let n = byId.get(id); n; n = parent.get(n.id)) {
      if (own(n)) {
        us += p.timeDeltas[i] ?? 0
        break
      }
    }
  })
  return us / 1000
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
/** Mean and 95% half-width (Student t) of paired differences. */
function spread(xs) {
  const n = xs.length
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { mean, half: NaN }
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1))
  const t = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26][n - 2] ?? 2.0
  return { mean, half: (t * sd) / Math.sqrt(n) }
}

if (!args.includes('--skip-playwright')) {
  const variants = [['bare', null]]
  const official = officialReporter()
  if (official) variants.push(['official', [official, { mode: 'report', report: { connection: { local: { path: join(work, 'report-official') } } } }]])
  variants.push(['testrelay', [join(pkg, 'playwright.js'), {}]])
  // `--reporter NAME=PATH` (repeatable) adds a variant, e.g. an earlier build of this reporter.
  args.forEach((a, i) => {
    if (a !== '--reporter') return
    const [name, file] = args[i + 1].split('=')
    variants.push([name, [file, {}]])
  })

  // Rounds interleave the variants (rotating their order) so slow drifts of the machine's load
  // fall on every variant alike; each variant's added CPU is paired with bare's of its round.
  const samples = Object.fromEntries(variants.map(([name]) => [name, []]))
  // One discarded run of each variant first: the very first Playwright run of a process tree is
  // slower (cold file cache, compile cache) and would land on whichever variant went first.
  for (const [name, reporter] of variants) run(name, reporter)
  for (let round = 0; round < REPEATS; round++) {
    for (let i = 0; i < variants.length; i++) {
      const [name, reporter] = variants[(i + round) % variants.length]
      samples[name].push(run(name, reporter))
    }
  }
  const rows = variants.map(([name]) => {
    const list = samples[name]
    return { name, startup: median(list.map((r) => r.startup)), cpu: median(list.map((r) => r.cpu)), rss: median(list.map((r) => r.rss)), wall: median(list.map((r) => r.wall)), list }
  })
  const bare = rows[0]
  console.log(`\n${TESTS} no-browser tests, ${WORKERS} workers, ${REPEATS} rounds (node ${process.version}; load: ${loadavg().map((l) => l.toFixed(2)).join(' ')}); medians; runner process = where reporters run`)
  console.log('variant    start-up ms  runner CPU ms  +CPU/test ms  max RSS MB  +MB     wall s')
  for (const r of rows) {
    const extra = (r.cpu - bare.cpu) / TESTS
    console.log(
      `${r.name.padEnd(10)} ${r.startup.toFixed(0).padStart(11)}  ${r.cpu.toFixed(0).padStart(13)}  ${extra.toFixed(3).padStart(12)}  ${r.rss.toFixed(1).padStart(10)}  ${(r.rss - bare.rss).toFixed(1).padStart(5)}  ${(r.wall / 1000).toFixed(1).padStart(8)}`,
    )
  }
  for (const r of rows.slice(1)) {
    const { mean, half } = spread(r.list.map((x, i) => (x.cpu - bare.list[i].cpu) / TESTS))
    console.log(`  ${r.name}: added runner CPU per test ${mean.toFixed(3)} ± ${half.toFixed(3)} ms (mean ± 95% of ${REPEATS} paired rounds; runner CPU per round: ${r.list.map((x) => x.cpu.toFixed(0)).join(' ')} vs bare ${bare.list.map((x) => x.cpu.toFixed(0)).join(' ')} ms)`)
  }
  if (PROFILE) for (const r of rows.slice(1)) console.log(`  ${r.name}: main-thread time in the reporter's own code (start-up and blocking file writes included) ${(median(r.list.map((x) => x.own)) / TESTS).toFixed(3)} ms per test (--cpu-prof samples, median of ${REPEATS})`)
  const by = Object.fromEntries(rows.map((r) => [r.name, r]))
  if (by.official) {
    // A ratio only means something when both added costs are above the noise (positive).
    const ratio = (k) => {
      const [o, t] = [by.official[k] - bare[k], by.testrelay[k] - bare[k]]
      return o > 0 && t > 0 ? (o / t).toFixed(1) : `n/a (added: official ${o.toFixed(1)}, testrelay ${t.toFixed(1)})`
    }
    console.log(`official / testrelay, added over bare: runner CPU ×${ratio('cpu')}, start-up ×${ratio('startup')}, memory ×${ratio('rss')}`)
  }
}

// The bulk binding call alone: classify + map + filter + queue per result, split into the JS →
// Rust conversion (`_readResults` reads the list exactly as addResults does, then drops it) and
// the rest (the core session). Medians of 7 rounds of N results, CPU time of this process.
const binding = createRequire(import.meta.url)('../index.js')
const { Session } = binding
const N = 20_000
const results = Array.from({ length: N }, (_, i) => ({
  title: `test ${i}`,
  suite: ['file.spec.ts', 'group'],
  testops_ids: i % 3 === 0 ? [i + 1] : null,
  outcome: { framework: 'playwright', runner_status: i % 5 === 0 ? 'failed' : 'passed', error: i % 5 === 0 ? { type: 'Error', message: 'expect(a).toBe(b)', matcher: true } : null },
  started_at: 1_700_000_000_000,
  duration: 12,
  attempt: 0,
}))
const cpuUs = (fn) => {
  const t0 = process.cpuUsage()
  fn()
  const t = process.cpuUsage(t0)
  return (t.user + t.system) / N
}
const ROUNDS = 7
const total = []
const read = []
const stringify = [] // V8's JSON.stringify alone, the first part of the conversion
for (let round = 0; round < ROUNDS; round++) {
  const session = new Session({ options: { mode: 'report', report: { connection: { local: { path: join(work, 'bulk') } } }, statusMapping: { invalid: 'failed' }, testops: { statusFilter: ['skipped'] } } }, { instance: `bench-${round}` }, Date.now())
  total.push(cpuUs(() => session.addResults(Date.now(), results)))
  read.push(cpuUs(() => binding._readResults(results)))
  stringify.push(cpuUs(() => JSON.stringify(results)))
}
total.sort((a, b) => a - b)
console.log(`bulk addResults: ${median(total).toFixed(2)} µs per result (CPU, median of ${ROUNDS} × ${N}; min ${total[0].toFixed(2)}, max ${total[ROUNDS - 1].toFixed(2)})`)
console.log(`  split: JS → Rust conversion ${median(read).toFixed(2)} µs (of which V8 JSON.stringify ${median(stringify).toFixed(2)} µs), core session ${(median(total) - median(read)).toFixed(2)} µs per result`)
if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true })
