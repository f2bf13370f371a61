// The host transcripts (tests/host-transcripts/, SPEC §13) through the Node host loop: the real
// `Host` of `testrelay/host` with a fake `fetch` that answers from the script. The Python host
// runs the same file (bindings-python/tests/test_host_transcripts.py); both must give the
// exact requests, files and lines the file states.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { tempDir } from '../../tests/temp-dirs.mjs'

const require = createRequire(import.meta.url)
const { Session } = require('../index.js')
const { Host } = require('../host.js')

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const TOKEN = 'tok-TRANSCRIPT-31f'
const BASE = 'http://qase.test'

/** What the fake server knows: which purpose a request has, by method and path. */
export function purposeOf(method, path) {
  if (/^\/v2\/[^/]+\/run\/\d+\/results$/.test(path)) return 'upload_results'
  if (/^\/v1\/run\/[^/]+\/\d+\/complete$/.test(path)) return 'complete_run'
  if (method === 'GET' && /^\/v1\/run\/[^/]+\/\d+$/.test(path)) return 'check_run'
  if (method === 'POST' && /^\/v1\/run\/[^/]+$/.test(path)) return 'create_run'
  if (/^\/v1\/attachment\//.test(path)) return 'upload_attachment'
  return 'unknown'
}

function filesUnder(dir) {
  if (!existsSync(dir)) return []
  const out = []
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else out.push(relative(dir, full).split('\\').join('/'))
    }
  }
  walk(dir)
  return out.sort()
}

async function runCase(c) {
  const report = tempDir('transcript-')
  const env = {
    QASE_TESTOPS_API_TOKEN: TOKEN, QASE_TESTOPS_PROJECT: 'DEMO', QASE_TESTOPS_API_HOST: BASE,
    QASE_REPORT_CONNECTION_PATH: report, ...c.env,
  }
  const queues = Object.fromEntries(Object.entries(c.answers).map(([k, v]) => [k, [...v]]))
  const requests = []
  const fetch = (url, init) => {
    const path = new URL(url).pathname
    const purpose = purposeOf(init.method, path)
    requests.push(`${init.method} ${path} ${purpose}`)
    assert.equal(init.headers.Token, TOKEN, 'the token is put in for its placeholder')
    assert.equal(init.redirect, 'manual')
    const answer = queues[purpose]?.shift() ?? { status: 500, body: 'no scripted answer' }
    if (answer.fail) return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: answer.fail } }))
    if (answer.hang) {
      return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)))
    }
    return Promise.resolve(new Response(answer.body || null, { status: answer.status, headers: answer.headers ?? {} }))
  }
  const lines = []
  const session = new Session({ options: null, file: null, env, cli: null }, { instance: 'transcript' }, Date.now())
  const host = new Host(session, { fetch, print: (level, message) => lines.push(message) })
  host.drain()
  host.addResults(c.results.map((title) => ({
    title, suite: ['transcript'], outcome: { framework: 'other', runner_status: 'passed' }, started_at: 1_795_320_406_000, duration: 1,
  })))
  if (c.interrupted) host.handle({ event: 'run_interrupted' })
  host.handle({ event: 'all_tests_done' })
  const receipt = await host.finished
  return { requests, lines: lines.map((l) => l.replaceAll(report, '{report}')), files: filesUnder(report), receipt }
}

const file = JSON.parse(readFileSync(join(root, 'tests/host-transcripts/transcripts.json'), 'utf8'))
for (const c of file.cases) {
  test(`host transcript: ${c.name}`, async () => {
    const got = await runCase(c)
    assert.deepEqual(got.requests, c.expected.requests, 'requests')
    assert.deepEqual(got.files, c.expected.files, 'files')
    assert.deepEqual(got.lines, c.expected.lines, 'lines')
    for (const [key, want] of Object.entries(c.expected.receipt)) assert.deepEqual(got.receipt[key], want, `receipt.${key}`)
    assert.ok(!JSON.stringify(got).includes(TOKEN), 'the token is in no line, file name or receipt')
  })
}
