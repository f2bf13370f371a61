import TestrelayReporter from './playwright.js'
export default TestrelayReporter
