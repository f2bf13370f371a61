// A small Playwright suite reported through testrelay (report mode: no server, no token).
// The reporter is loaded from this repository's bindings-node; in a project it would be
// `['testrelay/playwright', { ... }]`.
import { defineConfig } from '@playwright/test'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  testDir: './tests',
  outputDir: process.env.DEMO_PW_OUTPUT ?? 'test-results',
  reporter: [
    ['list'],
    [
      fileURLToPath(new URL('../../bindings-node/playwright.js', import.meta.url)),
      {
        report: { connection: { local: { path: process.env.DEMO_REPORT_DIR ?? 'demo-report' } } },
        statusMapping: { invalid: 'failed' },
      },
    ],
  ],
})
