// Preview of a 10,000-test JUnit report through the WASM build (bindings-wasm/pkg-node,
// previewReport: parse + classify + map + filter + batch plan + the session plan, which a
// project turns on as it does on the page; one crossing), median of 5, ms.
// Prints the number only. (The page's drawing is timed by bindings-wasm/test/browser.test.mjs.)
import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const tr = createRequire(import.meta.url)(join(root, 'bindings-wasm/pkg-node'))
const cases = Array.from({ length: 10_000 }, (_, i) =>
  i % 10 === 0
    ? `<testcase classname="suite.s${i % 50}" name="case ${i}" time="0.0${i % 9}"><failure message="expected ${i}">trace</failure></testcase>`
    : `<testcase classname="suite.s${i % 50}" name="case ${i}" time="0.0${i % 9}"/>`)
const xml = `<?xml version="1.0"?>\n<testsuite name="big" tests="10000">\n${cases.join('\n')}\n</testsuite>\n`
const samples = []
for (let i = 0; i < 5; i++) {
  const t0 = performance.now()
  const p = tr.previewReport(xml, { app: 'https://app.qase.io', project: 'DEMO' })
  samples.push(performance.now() - t0)
  if (p.tests.length !== 10_000) throw new Error(`previewed ${p.tests.length} tests`)
  if (!p.session || p.session.receipt.results_seen !== 10_000) throw new Error('no session plan over every test')
}
samples.sort((a, b) => a - b)
console.log(samples[2].toFixed(1))
