// What a test says about itself, every way testrelay/vitest reads it.
import { test, expect } from 'vitest'
import { qase, withQase } from '../../../vitest.mjs'

test(qase([21, 22], 'linked to two cases'), () => {})

test('linked by qase id', withQase(({ qase }) => {
  qase.id(8).fields({ severity: 'critical', layer: 'unit' })
}))

test('has parameters', withQase(({ qase }) => {
  qase.parameters({ Browser: 'firefox', Width: 1280 }).groupParameters({ Username: 'user1' })
}))

test('commented failure', withQase(({ qase }) => {
  qase.comment('known to be slow')
  expect('slow').toBe('fast')
}))

test(qase(9, 'renamed'), ({ task }) => {
  qase.with(task).title('Renamed by qase')
})

test('has its own suite', { meta: { qaseSuite: 'Custom\tSuite' } }, () => {})

test('is ignored', withQase(({ qase }) => {
  qase.ignore()
  throw new Error('never reported')
}))

test('annotated', async ({ annotate }) => {
  await annotate('11', 'QaseID')
  await annotate('Qase Fields: {"priority":"high"}')
})
