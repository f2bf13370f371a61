// Shared by the secrets and soak tests: generates a no-browser Playwright suite and a pytest
// suite of N trivial tests in a temp dir, runs each through its testrelay reporter (the real
// `testrelay/playwright` reporter, the real pytest plugin) against its own fake-qase server,
// and collects everything the run left behind: output, files, receipt, server state.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeQase } from '../server/client/fake_qase.mjs'
import { tempDir } from '../temp-dirs.mjs'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const NODE_PKG = join(ROOT, 'bindings-node')
const PYTHON = process.env.VENV ? join(process.env.VENV, 'bin', 'python') : join(ROOT, '.venv', 'bin', 'python')
const WORK = process.env.TESTRELAY_WORK ?? tmpdir()

/** A fresh folder for one reporter run (removed when every test of the file passed). */
export function workDir(prefix) {
  return tempDir(`${prefix}-`, WORK)
}

/** N Playwright tests (files of 500, `test()` in a loop: no page, no browser). */
export function playwrightSuite(dir, n) {
  const suite = join(dir, 'suite')
  mkdirSync(join(suite, 'tests'), { recursive: true })
  symlinkSync(join(NODE_PKG, 'node_modules'), join(suite, 'node_modules'))
  for (let f = 0; f * 500 < n; f++) {
    const count = Math.min(500, n - f * 500)
    writeFileSync(
      join(suite, 'tests', `s${f}.spec.mjs`),
      `import { test, expect } from '@playwright/test'\n` +
        `for (let i = 0; i < ${count}; i++) test(\`case ${f}-\${i}\`, () => { expect(i + 1).toBe(i + 1) })\n`,
    )
  }
  writeFileSync(
    join(suite, 'playwright.config.mjs'),
    `export default { testDir: './tests', outputDir: ${JSON.stringify(join(dir, 'pw-output'))}, workers: 2, fullyParallel: true, ` +
      `reporter: [[${JSON.stringify(join(NODE_PKG, 'playwright.js'))}]] }\n`,
  )
  return suite
}

/** N pytest tests (one parametrized test) and a conftest that saves the plugin's receipt. */
export function pytestSuite(dir, n) {
  const suite = join(dir, 'suite')
  mkdirSync(suite, { recursive: true })
  writeFileSync(join(suite, 'test_many.py'), `import pytest\n\n\n@pytest.mark.parametrize("i", range(${n}))\ndef test_case(i):\n    assert i + 1 > i\n`)
  // The plugin keeps its receipt on its host; saved after the session for the test to compare.
  writeFileSync(
    join(suite, 'conftest.py'),
    `import json, os\n\n\ndef pytest_unconfigure(config):\n` +
      `    plugin = config.pluginmanager.get_plugin("testrelay-reporter")\n` +
      `    host = getattr(plugin, "host", None)\n` +
      `    with open(os.environ["PROOF_RECEIPT"], "w") as f:\n` +
      `        json.dump(getattr(host, "receipt", None), f)\n`,
  )
  return suite
}

function spawnCollect(cmd, args, opts, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, opts)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

function reporterEnv(server, dir, extra) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('QASE_') && !k.startsWith('PYTEST_')))
  return {
    ...clean,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    FORCE_COLOR: '0',
    QASE_MODE: 'testops',
    QASE_TESTOPS_API_TOKEN: server.token,
    QASE_TESTOPS_API_HOST: server.url,
    QASE_TESTOPS_PROJECT: 'DEMO',
    QASE_REPORT_CONNECTION_PATH: join(dir, 'fallback'),
    TESTRELAY_RECEIPTS_DIR: join(dir, 'receipts'),
    PROOF_RECEIPT: join(dir, 'receipts', 'pytest-receipt.json'),
    ...extra,
  }
}

/**
 * Runs `n` tests of `runner` ('playwright' | 'pytest') against a fresh fake-qase with `faults`
 * installed (`midRun(server)` is called once, `midRunAfterMs` after the start, e.g. to install an
 * outage). Returns {out, code, receipt, state, dir, elapsedMs}.
 */
export async function runReporter(runner, { n, token, faults = {}, seed = 1, env = {}, timeoutMs = 600_000, midRun, midRunAfterMs = 0 }) {
  const dir = workDir(`proof-${runner}`)
  mkdirSync(join(dir, 'receipts'), { recursive: true })
  const server = await startFakeQase({ token, projects: ['DEMO'], faults, seed })
  try {
    const suite = runner === 'playwright' ? playwrightSuite(dir, n) : pytestSuite(dir, n)
    const opts = { cwd: suite, env: reporterEnv(server, dir, env) }
    const started = performance.now()
    let timer
    if (midRun) timer = setTimeout(() => midRun(server).catch(() => {}), midRunAfterMs)
    const res =
      runner === 'playwright'
        ? await spawnCollect(process.execPath, [join(NODE_PKG, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'playwright.config.mjs'], opts, timeoutMs)
        : await spawnCollect(PYTHON, ['-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-rN'], opts, timeoutMs)
    clearTimeout(timer)
    const elapsedMs = performance.now() - started
    const state = await server.state()
    const receipt = readReceipt(join(dir, 'receipts'), runner)
    return { out: res.stdout + res.stderr, code: res.code, signal: res.signal, receipt, state, dir, elapsedMs }
  } finally {
    await server.stop()
  }
}

function readReceipt(receipts, runner) {
  if (!existsSync(receipts)) return null
  const files = readdirSync(receipts).filter((f) => f.endsWith('.json'))
  const mine = runner === 'pytest' ? files.filter((f) => f === 'pytest-receipt.json') : files.filter((f) => f !== 'pytest-receipt.json')
  if (mine.length !== 1) return null
  return JSON.parse(readFileSync(join(receipts, mine[0]), 'utf8'))
}

/** Every regular file under `dir` (not following the node_modules symlink). */
export function filesUnder(dir) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isSymbolicLink()) continue
    if (entry.isDirectory()) out.push(...filesUnder(p))
    else if (entry.isFile()) out.push(p)
  }
  return out
}

/** The fallback's result payloads (Qase report layout: results/<id>.json). */
export function fallbackResults(dir) {
  const results = join(dir, 'fallback', 'results')
  if (!existsSync(results) || !statSync(results).isDirectory()) return []
  return readdirSync(results).map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')))
}
