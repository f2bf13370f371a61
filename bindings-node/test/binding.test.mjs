// The napi binding's own contract: coded errors, both entry points, shapes per docs/api.md.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as esm from '../index.mjs'

const t = createRequire(import.meta.url)('../index.js')

const coded = (code) => (e) => e instanceof Error && e.code === code

test('ESM and CommonJS entry points expose the same functions', () => {
  for (const name of ['classify', 'pipeline', 'planBatches', 'resolveConfig', 'runStatus', 'configurationProduct']) {
    assert.equal(typeof t[name], 'function', name)
    assert.equal(esm[name], t[name], name)
  }
})

test('a wrong shape is an Error with code INVALID_INPUT, never a crash', () => {
  assert.throws(() => t.classify({ framework: 'playwright', runner_status: 42 }), coded('INVALID_INPUT'))
  assert.throws(() => t.planBatches(-1, 3), coded('INVALID_INPUT'))
  assert.throws(() => t.planBatches(10, 2.5), coded('INVALID_INPUT'))
  assert.throws(() => t.runStatus('passed'), coded('INVALID_INPUT'))
  assert.throws(() => t.pipeline({ statuses: ['nope'] }), coded('INVALID_INPUT'))
  assert.throws(() => t.configurationProduct({ OS: 'linux' }), coded('INVALID_INPUT'))
  assert.throws(() => t.resolveConfig({ env: { QASE_MODE: 3 } }), coded('INVALID_INPUT'))
})

test('classify reads snake_case data and returns the verdict shape', () => {
  const verdict = t.classify({
    framework: 'playwright',
    runner_status: 'failed',
    error: { type: 'TypeError', chain: ['TypeError'], message: 'x is undefined', matcher: false },
  })
  assert.equal(verdict.status, 'invalid')
  assert.equal(typeof verdict.rule, 'string')
  assert.equal(typeof verdict.evidence, 'string')
  const matcher = t.classify({ framework: 'playwright', runner_status: 'failed', error: { type: 'Error', matcher: true } })
  assert.equal(matcher.status, 'failed')
})

test('invalid configuration entries are warnings with codes, not errors', () => {
  const { mapping, warnings } = t.parseStatusMappingEnv('invalid=failed, bogus=passed')
  assert.deepEqual(mapping, { invalid: 'failed' })
  assert.equal(warnings.length, 1)
  assert.equal(warnings[0].level, 'warning')
  assert.equal(typeof warnings[0].code, 'string')
  const batches = t.planBatches(500, 450)
  assert.deepEqual(batches.batches, [200, 200, 50])
  assert.equal(batches.warnings.length, 1)
})

test('resolveConfig never shows the token', () => {
  const { config } = t.resolveConfig({ env: { QASE_TESTOPS_API_TOKEN: 'secret-token-123', QASE_TESTOPS_PROJECT: 'DEMO' } })
  const text = JSON.stringify(config)
  assert.ok(!text.includes('secret-token-123'), text)
  assert.ok(text.includes('***'), text)
})

test('configurationProduct keeps group order and value order', () => {
  assert.deepEqual(t.configurationProduct({ OS: ['linux', 'mac'], Browser: ['chromium'] }), [
    { OS: 'linux', Browser: 'chromium' },
    { OS: 'mac', Browser: 'chromium' },
  ])
  assert.deepEqual(Object.keys(t.configurationProduct({ z: ['1'], a: ['2'] })[0]), ['z', 'a'])
})
