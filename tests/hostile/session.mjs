// Nothing lost: a napi Session (report mode: files only, no HTTP) fed ordinary and hostile
// results — bulk and one by one — accounts for every accepted result in its receipt; a refused
// result is refused with INVALID_INPUT and changes nothing.

const outcome = (status) => ({ framework: 'playwright', runner_status: status, phase: 'call', expected_status: 'passed', strict: false, error: null, errors: [], element: null })
const result = (title, extra = {}) => ({
  title, suite: ['hostile'], testops_ids: null, node_id: null, outcome: outcome('passed'), started_at: 1_000, duration: 5,
  params: {}, param_groups: [], fields: {}, steps: [], attachments: [], message: null, attempt: 0, muted: false, thread: null, ...extra,
})
const deepSteps = (depth) => {
  let steps = []
  for (let i = 0; i < depth; i++) steps = [{ title: `s${i}`, status: 'passed', started_at: null, duration: null, expected: null, data: null, attachments: [], steps }]
  return steps
}

/** Results a session must take (odd but typed): each is counted. */
const ACCEPTED = [
  result('\u0000 NUL, \u202e bidi override, 🙂'),
  result('x'.repeat(4 * 1024 * 1024)),
  result('params', { params: { ['k'.repeat(10_000)]: 'v'.repeat(100_000) } }),
  result('50 steps deep', { steps: deepSteps(50) }),
  result('zero duration', { duration: 0, started_at: 0 }),
  result('huge ids', { testops_ids: [Number.MAX_SAFE_INTEGER] }),
]
/** Not valid UTF-16 (lone surrogates): taken (and counted) or refused with INVALID_INPUT. */
const EITHER = [
  ['lone high surrogate', result('a\uD800 lone high surrogate')],
  ['lone low surrogate', result('\uDC00 lone low surrogate')],
  ['lone surrogate in a param', result('params', { params: { k: 'v\uD800' } })],
]
/** Results a session must refuse with INVALID_INPUT (and keep nothing of). */
const REFUSED = [
  ['title a number', result(42)],
  ['outcome an array', result('o', { outcome: [1, 2] })],
  ['10k-deep steps', result('deep', { steps: deepSteps(10_000) })],
]
/** Taken (normalised and counted) or refused with INVALID_INPUT; never a crash or a bad payload. */
const NORMALISED = [
  ['NaN duration', result('nan', { duration: NaN })],
  ['negative duration', result('neg', { duration: -5 })],
  ['Infinity duration', result('inf', { duration: Infinity })],
  ['unknown runner status', result('enum', { outcome: outcome('exploded') })],
  ['negative case id', result('ids', { testops_ids: [-1] })],
]

function drain(session, now, files) {
  for (let i = 0; i < 1_000_000; i++) {
    const action = session.poll(now)
    if (action.action === 'finished') return action.receipt
    if (action.action === 'wait') {
      if (action.until == null) return null
      now = Math.max(now, action.until)
      continue
    }
    if (action.action === 'write_files') {
      files.push(...action.files)
      session.handle(now, { event: 'report_written', request_id: action.request_id })
    }
  }
  return null
}

export function sessionAccounts(binding) {
  const problems = []
  const dir = '/nonexistent-only-described'
  const session = new binding.Session({ options: { mode: 'report', report: { connection: { local: { path: dir } } } }, file: null, env: {}, cli: null }, { instance: 'hostile-1' }, 1_000)
  const files = []
  // Bulk: 1,000 ordinary results and the odd-but-valid ones in one call.
  const bulk = [...Array.from({ length: 1000 }, (_, i) => result(`ok ${i}`)), ...ACCEPTED]
  session.addResults(1_000, bulk)
  drain(session, 1_000, files)
  let accepted = bulk.length
  // A bulk call with one refused result is all or nothing: refused, nothing kept.
  for (const [name, bad] of [...REFUSED, ...NORMALISED]) {
    const feeds = [[2, () => session.addResults(1_001, [result(`bulk before ${name}`), bad])], [1, () => session.handle(1_001, { event: 'test_finished', result: bad })]]
    for (const [count, feed] of feeds) {
      try {
        feed()
        accepted += count // taken: it must then be counted like any other
        if (REFUSED.some(([n]) => n === name)) problems.push(`${name}: accepted (counted, but should have been refused with INVALID_INPUT)`)
      } catch (e) {
        if (!(e instanceof Error) || e.code !== 'INVALID_INPUT') problems.push(`${name}: ${e?.code} ${String(e?.message).slice(0, 200)}`)
      }
    }
  }
  for (const [name, odd] of EITHER) {
    try {
      session.handle(1_001, { event: 'test_finished', result: odd })
      accepted += 1
    } catch (e) {
      if (!(e instanceof Error) || e.code !== 'INVALID_INPUT') problems.push(`${name}: ${e?.code} ${String(e?.message).slice(0, 200)}`)
    }
  }
  session.handle(1_002, { event: 'test_finished', result: result('after the refusals') })
  accepted += 1
  session.handle(1_003, { event: 'all_tests_done' })
  const receipt = drain(session, 1_003, files)
  if (!receipt) return [...problems, 'the session did not finish'].join('; ')
  if (receipt.results_seen !== accepted) problems.push(`results_seen ${receipt.results_seen} != accepted ${accepted}`)
  if (receipt.reported + receipt.lost + receipt.acknowledged + receipt.in_fallback !== accepted) problems.push(`receipt does not account for ${accepted}: ${JSON.stringify(receipt)}`)
  if (receipt.lost !== 0) problems.push(`lost ${receipt.lost}`)
  for (const f of files.filter((f) => f.path.startsWith('results/'))) {
    const ex = JSON.parse(f.content).execution
    const d = ex.duration
    if ((d != null && !(Number.isInteger(d) && d >= 0)) || !['passed', 'failed', 'skipped', 'blocked', 'invalid'].includes(ex.status)) problems.push(`bad payload execution ${JSON.stringify(ex).slice(0, 200)}`)
  }
  const written = files.filter((f) => f.path.startsWith('results/')).length
  if (written !== accepted) problems.push(`${written} result files written for ${accepted} results`)
  return problems.length ? problems.join('; ') : null
}

/** Nothing lost in the WASM preview: every result of a list with odd-but-valid entries, and
 * every test case of a JUnit report with hostile names, comes out as one previewed test. */
export function previewAccounts(binding) {
  const problems = []
  const list = [...Array.from({ length: 1000 }, (_, i) => result(`ok ${i}`)), ...ACCEPTED]
  const p = binding.preview(list, null)
  if (p.tests.length !== list.length) problems.push(`preview: ${p.tests.length} tests for ${list.length} results`)
  const names = ['\uD800', '<&>', '"quoted"', 'x'.repeat(100_000), 'tab\tnew\nline', 'é漢字🙂']
  const cases = Array.from({ length: 600 }, (_, i) => `<testcase classname="c${i % 7}" name="${names[i % names.length].replace(/&(?!#)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')} ${i}" time="NaN"/>`)
  try {
    const r = binding.previewReport(`<testsuite name="s">${cases.join('')}</testsuite>`, null)
    if (r.tests.length !== cases.length) problems.push(`previewReport: ${r.tests.length} tests for ${cases.length} cases`)
  } catch (e) {
    problems.push(`previewReport refused: ${e?.code} ${String(e?.message).slice(0, 200)}`)
  }
  return problems.length ? problems.join('; ') : null
}
