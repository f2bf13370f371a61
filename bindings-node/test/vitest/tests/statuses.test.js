// Every kind of outcome Vitest has; test/e2e-vitest.test.mjs checks the status the core gives each.
import { describe, test, expect, beforeEach, afterEach, beforeAll, afterAll } from 'vitest'

test('passes', () => {
  expect(1 + 1).toBe(2)
})

test('fails on expect', () => {
  expect(1 + 1).toBe(3)
})

test('throws a TypeError', () => {
  null.property
})

test('throws a string', () => {
  throw 'not an error object'
})

test.skip('is skipped', () => {})

test.todo('is todo')

test.fails('expected to fail and fails', () => {
  expect(1).toBe(2)
})

test.fails('expected to fail but passes', () => {
  expect(1).toBe(1)
})

let calls = 0
test('flaky', { retry: 1 }, () => {
  calls += 1
  expect(calls).toBe(2)
})

test('linked by title (Qase ID: 7)', () => {})

describe('outer', () => {
  describe('inner', () => {
    test('nested', () => {})
  })
})

// Assertions in hooks: only the phase makes their tests invalid rather than failed.
describe('with a failing beforeEach', () => {
  beforeEach(() => {})
  describe('inside', () => {
    beforeEach(() => {
      expect('setup').toBe('ready')
    })
    test('never runs its body', () => {})
  })
})

describe('with a flaky beforeEach', () => {
  let setups = 0
  beforeEach(() => {
    setups += 1
    expect(setups).toBe(2)
  })
  test('passes on retry', { retry: 1 }, () => {})
})

describe('with a failing afterEach', () => {
  beforeEach(() => {})
  afterEach(() => {
    expect('teardown').toBe('clean')
  })
  test('body passed', () => {})
})

describe('with a failing beforeAll', () => {
  beforeAll(() => {
    expect('suite setup').toBe('ready')
  })
  test('never runs either', () => {})
})

describe('with a failing afterAll', () => {
  afterAll(() => {
    expect('suite teardown').toBe('clean')
  })
  test('runs first', () => {})
  test('runs last', () => {})
})
