// The fixture suite of test/e2e-vitest.test.mjs and the demo (scripts/demo.d/35-vitest.sh),
// reported through testrelay/vitest. A project that installed testrelay from npm writes
// `['testrelay/vitest', options]`; this one names the file, as the package's `exports` are
// not involved.
import { fileURLToPath } from 'node:url'

const reporter = fileURLToPath(new URL('../../vitest.js', import.meta.url))

export default {
  test: {
    include: ['tests/**/*.test.js'],
    reporters: ['default', [reporter, {}]],
  },
}
