// The conformance runner for Node: every vector file in tests/vectors/, then
// ../shared/vectors/ when present, then each folder of TESTRELAY_VECTORS (colon-separated).
// A case passes when every key of `expected` equals the output; an unknown op fails.
// Runs against the napi module, or the WASM build with TESTRELAY_TARGET=wasm.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { binding as t, target } from './binding.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

function vectorDirs() {
  const dirs = [join(root, 'tests/vectors')]
  const shared = join(root, '../shared/vectors')
  if (existsSync(shared)) dirs.push(shared)
  for (const d of (process.env.TESTRELAY_VECTORS ?? '').split(':')) if (d) dirs.push(d)
  return dirs
}

const warningsOf = (list) => list.filter((w) => w.level === 'warning').length

// The resolved config flattened to dotted keys (`testops.batch.size`); `statusMapping` stays
// an object.
function flatten(prefix, value, out) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && prefix !== 'statusMapping') {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out)
  } else {
    out[prefix] = value
  }
  return out
}

// An import op's output: each result projected to the keys vectors pin (status after
// classify with the default policy), the warning count, or the error code.
function imported(read) {
  let out
  try {
    out = read()
  } catch (e) {
    if (e.code === undefined) throw e
    return { error: e.code }
  }
  const results = out.results.map((r) => ({
    title: r.title,
    suite: r.suite,
    status: t.classify(r.outcome).status,
    attempt: r.attempt,
    duration: r.duration,
    testops_ids: r.testops_ids,
    phase: r.outcome.phase,
    error_type: r.outcome.error?.type ?? null,
    error_message: r.outcome.error?.message ?? null,
    errors: r.outcome.errors.length,
    fields: r.fields,
  }))
  return { results, count: results.length, warnings: warningsOf(out.warnings) }
}

// One op on one input; the output is compared with `expected` key by key.
const ops = {
  classify: (input) => t.classify(input, input.policy ?? null),
  status_mapping: (input) => {
    const parsed = typeof input.env === 'string' ? t.parseStatusMappingEnv(input.env) : t.parseStatusMappingJson(input.json ?? null)
    return { mapping: parsed.mapping, warnings: warningsOf(parsed.warnings), notes: parsed.warnings.length - warningsOf(parsed.warnings) }
  },
  status_filter: (input) => {
    const parsed = typeof input.env === 'string' ? t.parseStatusFilterEnv(input.env) : t.parseStatusFilterJson(input.json ?? null)
    return { filter: parsed.filter, warnings: warningsOf(parsed.warnings) }
  },
  pipeline: (input) => {
    const out = t.pipeline(input)
    if (warningsOf(out.warnings) > 0) throw new Error(`pipeline vector has an invalid mapping/filter: ${JSON.stringify(out.warnings)}`)
    return out
  },
  batches: (input) => {
    const out = t.planBatches(input.batch_size, input.results)
    return { batches: out.batches, warnings: out.warnings.length }
  },
  failure_links: (input) => ({ links: t.failureLinks(input) }),
  run_status: (input) => ({ status: t.runStatus(input.results, input.custom ?? null) }),
  config: (input) => {
    const { config, warnings } = t.resolveConfig(input)
    const out = flatten('', config, {})
    out.warnings = warningsOf(warnings)
    out.warning_keys = warnings.filter((w) => w.level === 'warning').map((w) => w.key)
    out.codes = warnings.map((w) => w.code)
    return out
  },
  signature: (input) => {
    const params = Object.fromEntries(input.params ?? [])
    if (input.flavour === 'js') return { signature: t.jsSignature(input.ids ?? [], input.suites, params) }
    if (input.flavour === 'python') return { signature: t.pythonSignature(input.ids ?? [], input.node_id, params) }
    throw new Error(`unknown flavour ${input.flavour}`)
  },
  case_ids: (input) => {
    const got = t.caseIds(input.title, input.testops_ids ?? null)
    return { ids: got.ids, title: got.title, warnings: warningsOf(got.warnings) }
  },
  match: (input) => {
    const index = new t.CaseIndex(input.cases)
    const settings = input.settings ?? {}
    const decision = index.matchResult(input.result, settings)
    return { ...decision, display_title: index.displayTitle(input.result, decision, settings), warnings: t.matchSettingsWarnings(settings).length }
  },
  match_plan: (input) => new t.CaseIndex(input.cases).plan(input.results, input.settings ?? {}),
  run_stats: (input) => t.runStats(input.cases, input.custom ?? null),
  estimate: (input) => t.estimate(input.case_ids, input.history ?? null),
  assign: (input) => ({ assignments: t.assign(input.case_ids, input.members, input.mode ?? null, input.estimates ?? null) }),
  clone_run: (input) => ({ cases: t.cloneRun(input.cases, input.keep) }),
  retest: (input) => ({ cases: t.retest(input.cases, input.statuses) }),
  qs_resolve: (input) => ({ case_ids: t.qsResolve(input.snapshot, input.query_plans) }),
  qs_validate: (input) => {
    const errors = t.qsValidate(input.request, input.existing_titles ?? null)
    return { codes: errors.map((e) => e.code), plans: errors.map((e) => e.plan) }
  },
  qs_membership: (input) => {
    const run = t.qsCreateRun(input.type, input.query_plans, input.created_from)
    return { ...t.qsMembership(run, input.current), created: run.case_ids }
  },
  qs_status_counts: (input) => t.qsStatusCounts(input.statuses),
  completion: (input) => {
    const d = t.decideCompletion({ run_id: input.run_id, receipts: input.receipts, expected_jobs: input.expected_jobs ?? [] })
    return {
      complete: d.complete,
      short: Object.fromEntries(d.jobs.map((j) => [j.job, j.short_by])),
      never_reported: Object.fromEntries(d.jobs.map((j) => [j.job, j.never_reported])),
      missing_jobs: d.missing_jobs,
      lines: d.lines,
    }
  },
  import_junit: (input) => imported(() => t.importJunit(input.xml)),
  import_playwright_json: (input) => imported(() => t.importPlaywrightJson(typeof input.text === 'string' ? input.text : JSON.stringify(input.report))),
  read_result: (input) => {
    const read = t.readResult(input.result)
    return {
      runner_status: read.outcome.runner_status,
      phase: read.outcome.phase,
      expected_status: read.outcome.expected_status,
      strict: read.outcome.strict,
      error_type: read.outcome.error?.type ?? null,
      errors: read.outcome.errors.length,
      message: read.message,
      status: t.classify(read.outcome).status,
    }
  },
  read_playwright: (input) => {
    const { ignored = false, warnings = [], ...read } = t.readResult(input.result)
    return { ...read, params: Object.entries(read.params), signature_path: read.signature_path ?? null, ignored, warnings: warnings.map((w) => `${w.key}: ${w.message}`), status: t.classify(read.outcome).status }
  },
  config_files: (input) => ({ candidates: t.configFileCandidates(input.dirs) }),
  job_name: (input) => ({ name: t.jobName(input) }),
  receipt_file: (input) => {
    const file = t.receiptFile(input)
    return { name: file.name, body: JSON.parse(file.body) }
  },
  complete_run_plan: (input) => t.completeRunPlan(input),
  complete_run_exit: (input) => ({ exit_code: t.completeRunExit(input.receipt) }),
  end_wait_bound: (input) => ({ bound_ms: t.endWaitBoundMs(input.upload_deadline_ms) }),
  configurations: (input) => {
    const combinations = t.configurationProduct(input.groups)
    return { count: combinations.length, combinations }
  },
}

const counts = new Map()
let files = 0

for (const dir of vectorDirs()) {
  if (!existsSync(dir)) {
    // tests/vectors/ may not exist yet; a folder named in TESTRELAY_VECTORS must.
    if (dir !== join(root, 'tests/vectors')) test(`${dir}`, () => assert.fail(`${dir}: not a readable folder`))
    continue
  }
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, name)
    files += 1
    const file = JSON.parse(readFileSync(path, 'utf8'))
    test(`${target}: ${path} (${file.op})`, () => {
      const run = ops[file.op]
      assert.ok(run, `unknown op \`${file.op}\``)
      assert.ok(Array.isArray(file.cases), 'no cases')
      const failures = []
      for (const c of file.cases) {
        counts.set(file.op, (counts.get(file.op) ?? 0) + 1)
        let actual
        try {
          actual = run(c.input)
        } catch (e) {
          if (e.code !== undefined && 'error' in c.expected) actual = { error: e.code }
          else { failures.push(`${c.name}: ${e.code ?? ''} ${e.message}`); continue }
        }
        for (const [key, want] of Object.entries(c.expected)) {
          if (!isDeepStrictEqual(actual[key], want)) {
            failures.push(`${c.name}: \`${key}\` expected ${JSON.stringify(want)}, got ${JSON.stringify(actual[key])}`)
          }
        }
      }
      assert.deepEqual(failures, [], `${failures.length} vector failures in ${path}`)
    })
  }
}

test('vector files were found', () => assert.ok(files > 0, 'no vector files found'))

after(() => {
  for (const [op, n] of [...counts].sort()) console.log(`vectors (${target}): ${op}: ${n} cases`)
})
