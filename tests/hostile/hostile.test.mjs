// Hostile input across the JS bindings: every case of cases.mjs against the napi module and
// the WASM build (bindings-wasm/pkg-node), each in its own child process with a generous
// timeout (a hang or a crash fails the case by name; speed is never asserted), and a napi
// Session fed hostile results that must account for every result.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CASES, KNOWN } from './cases.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const TIMEOUT_MS = 120_000 // a hang, not a speed limit
const targets = (process.env.HOSTILE_TARGETS ?? 'napi,wasm').split(',')

function runCase(target, which) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', join(here, 'run-case.mjs'), target, String(which)], { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 })
  if (r.error?.code === 'ETIMEDOUT') return `hung (killed after ${TIMEOUT_MS / 1000} s)`
  if (r.status !== 0) return `crashed: exit ${r.status} signal ${r.signal}\n${r.stderr.slice(-2000)}`
  const last = r.stdout.trim().split('\n').pop()
  return JSON.parse(last).problem
}

for (const target of targets) {
  test(`${target}: the binding is built`, () => {
    const path = target === 'wasm' ? join(here, '../../bindings-wasm/pkg-node/package.json') : join(here, '../../bindings-node/index.js')
    assert.ok(existsSync(path), `${path} (run scripts/setup and the binding's build first)`)
  })
  CASES.forEach(([name], i) => {
    const todo = KNOWN[target]?.[name]
    test(`${target}: ${name}`, todo ? { todo } : {}, () => assert.equal(runCase(target, i), null))
  })
}

if (targets.includes('napi')) {
  test('napi: a session fed hostile results accounts for every accepted result, refuses the rest with INVALID_INPUT', () => {
    assert.equal(runCase('napi', 'session'), null)
  })
}

if (targets.includes('wasm')) {
  test('wasm: a preview of hostile results and a report with hostile names shows every test', () => {
    assert.equal(runCase('wasm', 'preview'), null)
  })
}
