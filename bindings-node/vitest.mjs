// ESM entry point of `testrelay/vitest`: the same reporter and helpers as vitest.js (CommonJS).
import TestrelayVitestReporter from './vitest.js'
export default TestrelayVitestReporter
export { TestrelayVitestReporter }
export const { qase, withQase } = TestrelayVitestReporter
