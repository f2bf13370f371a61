// Benchmark (issue 5, Performance): a no-browser Playwright suite run bare, with the official
// playwright-qase-reporter 2.7.0 (installed into a temporary folder, never committed) and with
// testrelay, both in report mode; prints runner CPU, start-up, memory and wall side by side with
// ratios. Then the per-result cost of the bulk binding call (classify + map + filter + queue).
//
//   node bench/run.mjs [--tests 2000] [--workers 2] [--skip-official]
import { spawnSync, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt)
const TESTS = Number(opt('tests', 2000))
const WORKERS = Number(opt('workers', 2))
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
  const r = spawnSync(process.execPath, [join(pkg, 'node_modules/@playwright/test/cli.js'), 'test', '-c', config], { cwd: suite, env, encoding: 'utf8' })
  const wall = performance.now() - start
  if (r.status !== 0) throw new Error(`${name}: playwright exited ${r.status}\n${r.stdout}\n${r.stderr}`)
  const ev = Object.fromEntries(JSON.parse(readFileSync(out, 'utf8')).map((e) => [e.name, e]))
  const cpu = (e) => (e.cpu.user + e.cpu.system) / 1000
  return {
    name,
    // Reporter start-up: loading + constructing the reporter (between the probes'
    // constructors) plus its onBegin (between the probes' onBegin).
    startup: ev['last.constructor'].t - ev['first.constructor'].t + (ev['last.onBegin'].t - ev['first.onBegin'].t),
    // Runner CPU from the first probe's construction to the end of every reporter's onEnd.
    cpu: cpu(ev['last.onEnd']) - cpu(ev['first.constructor']),
    rss: ev['last.onEnd'].maxRss / 1024, // MB (maxRSS is in KB)
    wall,
  }
}

const variants = [['bare', null]]
const official = officialReporter()
if (official) variants.push(['official', [official, { mode: 'report', report: { connection: { local: { path: join(work, 'report-official') } } } }]])
variants.push(['testrelay', [join(pkg, 'playwright.js'), {}]])

const rows = variants.map(([name, reporter]) => run(name, reporter))
const bare = rows[0]
console.log(`\n${TESTS} no-browser tests, ${WORKERS} workers (node ${process.version}); runner process = where reporters run`)
console.log('variant    start-up ms  runner CPU ms  +CPU/test ms  max RSS MB  +MB     wall s')
for (const r of rows) {
  const extra = (r.cpu - bare.cpu) / TESTS
  console.log(
    `${r.name.padEnd(10)} ${r.startup.toFixed(0).padStart(11)}  ${r.cpu.toFixed(0).padStart(13)}  ${extra.toFixed(3).padStart(12)}  ${r.rss.toFixed(1).padStart(10)}  ${(r.rss - bare.rss).toFixed(1).padStart(5)}  ${(r.wall / 1000).toFixed(1).padStart(8)}`,
  )
}
const by = Object.fromEntries(rows.map((r) => [r.name, r]))
if (by.official) {
  // A ratio only means something when both added costs are above the noise (positive).
  const ratio = (k) => {
    const [o, t] = [by.official[k] - bare[k], by.testrelay[k] - bare[k]]
    return o > 0 && t > 0 ? (o / t).toFixed(1) : `n/a (added: official ${o.toFixed(1)}, testrelay ${t.toFixed(1)})`
  }
  console.log(`official / testrelay, added over bare: runner CPU ×${ratio('cpu')}, start-up ×${ratio('startup')}, memory ×${ratio('rss')}`)
}

// The bulk binding call alone: classify + map + filter + queue per result.
const { Session } = createRequire(import.meta.url)('../index.js')
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
const samples = []
for (let round = 0; round < 5; round++) {
  const session = new Session({ options: { mode: 'report', report: { connection: { local: { path: join(work, 'bulk') } } }, statusMapping: { invalid: 'failed' }, testops: { statusFilter: ['skipped'] } } }, { instance: `bench-${round}` }, Date.now())
  const t0 = process.hrtime.bigint()
  session.addResults(Date.now(), results)
  samples.push(Number(process.hrtime.bigint() - t0) / N / 1000)
}
samples.sort((a, b) => a - b)
console.log(`bulk addResults: ${samples[2].toFixed(2)} µs per result (median of 5 × ${N}; min ${samples[0].toFixed(2)}, max ${samples[4].toFixed(2)})`)
if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true })
