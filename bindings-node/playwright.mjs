import TestrelayReporter from './playwright.js'
export default TestrelayReporter
export const qase = TestrelayReporter.qase
