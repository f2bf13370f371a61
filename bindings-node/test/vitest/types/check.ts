// Type-checked by test/e2e-vitest.test.mjs: vitest.d.ts as a project that installed testrelay
// sees it (types/node_modules/testrelay links to the package), with Vitest's own types.
import { test, expect } from 'vitest'
import type { Reporter } from 'vitest/reporters'
import TestrelayVitestReporter, { qase, withQase } from './node_modules/testrelay/vitest.js'

export const reporter: Reporter = new TestrelayVitestReporter({ testops: { project: 'DEMO' } })

test(qase([1, 2], 'logs in'), () => {})
test('chains', withQase(({ qase, task }) => {
  qase.id(8).fields({ severity: 'major', retries: 2 }).parameters({ Browser: 'firefox' }).ignore()
  expect(task.meta.qaseId).toBe(8)
}))
test('binds a task', ({ task }) => {
  qase.with(task).title('Renamed').suite('Auth\tLogin').comment('why')
})
test('meta keys are typed', { meta: { qaseId: 7, qaseFields: { layer: 'unit' } } }, () => {})
// @ts-expect-error: a case id is a number or a string
test('a wrong meta value', { meta: { qaseId: true } }, () => {})
// @ts-expect-error: fields are an object of values
withQase(({ qase }) => qase.fields('severity'))
