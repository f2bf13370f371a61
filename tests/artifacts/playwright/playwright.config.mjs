// The configuration a user writes: the reporter by its package name, no options, no token, so
// testrelay runs in report mode and writes the local report (build/qase-report).
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  reporter: [['testrelay/playwright']],
})
