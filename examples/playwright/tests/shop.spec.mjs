// Tests that need no browser: they exercise a tiny in-memory shop.
import { test, expect } from '@playwright/test'

const cart = () => {
  const items = []
  return { add: (name, price) => items.push({ name, price }), total: () => items.reduce((s, i) => s + i.price, 0), items }
}

test.describe('Cart', () => {
  test('adds items (Qase ID: 1)', () => {
    const c = cart()
    c.add('tea', 3)
    c.add('cake', 4)
    expect(c.total()).toBe(7)
  })

  test('applies a discount', { annotation: { type: 'QaseID', description: '2,3' } }, () => {
    const c = cart()
    c.add('tea', 10)
    expect(c.total() * 0.9).toBe(8) // a real assertion failure → failed
  })

  test('reads a missing price', () => {
    const c = cart()
    expect(c.items[0].price).toBe(0) // TypeError → invalid, mapped to failed by statusMapping
  })
})

test.describe('Checkout', () => {
  test.describe.configure({ retries: 1 })

  test('is flaky once', ({}, testInfo) => {
    expect(testInfo.retry).toBe(1) // fails first, passes on retry: both attempts reported
  })

  test('pays by card', () => {
    test.skip(true, 'payment sandbox is down')
  })

  test('refuses an empty cart', () => {
    test.fail() // expected to fail, and fails → skipped
    expect(cart().total()).toBeGreaterThan(0)
  })
})
