// Tests that need no browser, one per status the core decides: the expected statuses are in
// npm.test.mjs. Two fail on purpose.
import { test, expect } from '@playwright/test'

test('passes (Qase ID: 1)', () => {
  expect(1 + 1).toBe(2)
})

test('fails an assertion', () => {
  expect(1 + 1).toBe(3)
})

test('breaks with a TypeError', () => {
  const cart = undefined
  cart.total()
})

test('is skipped', () => {
  test.skip(true, 'not today')
})
