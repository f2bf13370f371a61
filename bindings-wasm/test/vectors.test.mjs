// The conformance vectors against the WASM build (bindings-wasm/pkg-node/), same rules as the
// Rust runner: tests/vectors/, then ../shared/vectors/ when present, then each folder of
// TESTRELAY_VECTORS; a case passes when every key of `expected` equals the output; an unknown
// op fails. Build first: bash bindings-wasm/build.sh
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tr = createRequire(import.meta.url)(join(root, 'bindings-wasm/pkg-node'));

const countWarnings = (ws) => ws.filter((w) => w.level === 'warning').length;

/** Dotted keys (`testops.batchSize`); `statusMapping` stays an object, as in the Rust runner. */
function flatten(prefix, value, out) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && prefix !== 'statusMapping') {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

const ops = {
  classify: (input) => tr.classify(input, input.policy ?? null),
  status_mapping: (input) => {
    const { mapping, warnings } =
      typeof input.env === 'string' ? tr.parseStatusMappingEnv(input.env) : tr.parseStatusMappingJson(input.json);
    return { mapping, warnings: countWarnings(warnings), notes: warnings.length - countWarnings(warnings) };
  },
  status_filter: (input) => {
    const { filter, warnings } =
      typeof input.env === 'string' ? tr.parseStatusFilterEnv(input.env) : tr.parseStatusFilterJson(input.json);
    return { filter, warnings: countWarnings(warnings) };
  },
  pipeline: (input) => {
    const out = tr.pipeline(input);
    if (countWarnings(out.warnings) > 0) throw new Error(`invalid mapping/filter: ${JSON.stringify(out.warnings)}`);
    return out;
  },
  batches: (input) => {
    const { batches, warnings } = tr.planBatches(input.batch_size, input.results);
    return { batches, warnings: warnings.length };
  },
  failure_links: (input) => ({ links: tr.failureLinks(input) }),
  run_status: (input) => ({ status: tr.runStatus(input.results, input.custom ?? null) }),
  configurations: (input) => {
    const combinations = tr.configurationProduct(input.groups);
    return { count: combinations.length, combinations };
  },
  signature: (input) => {
    const params = Object.fromEntries(input.params ?? []);
    if (input.flavour === 'js') return { signature: tr.jsSignature(input.ids ?? [], input.suites, params) };
    if (input.flavour === 'python') return { signature: tr.pythonSignature(input.ids ?? [], input.node_id, params) };
    throw new Error(`unknown flavour ${input.flavour}`);
  },
  case_ids: (input) => {
    const got = tr.caseIds(input.title, input.testops_ids ?? null);
    return { ids: got.ids, title: got.title, warnings: countWarnings(got.warnings) };
  },
  match: (input) => {
    const index = new tr.CaseIndex(input.cases);
    const settings = input.settings ?? {};
    const decision = index.matchResult(input.result, settings);
    const title = index.displayTitle(input.result, decision, settings);
    return { ...decision, display_title: title, warnings: tr.matchSettingsWarnings(settings).length };
  },
  match_plan: (input) => new tr.CaseIndex(input.cases).plan(input.results, input.settings ?? {}),
  run_stats: (input) => tr.runStats(input.cases, input.custom ?? null),
  estimate: (input) => tr.estimate(input.case_ids, input.history ?? null),
  assign: (input) => ({ assignments: tr.assign(input.case_ids, input.members, input.mode ?? null, input.estimates ?? null) }),
  clone_run: (input) => ({ cases: tr.cloneRun(input.cases, input.keep) }),
  retest: (input) => ({ cases: tr.retest(input.cases, input.statuses) }),
  qs_resolve: (input) => ({ case_ids: tr.qsResolve(input.snapshot, input.query_plans) }),
  qs_validate: (input) => {
    const errors = tr.qsValidate(input.request, input.existing_titles ?? null);
    return { codes: errors.map((e) => e.code), plans: errors.map((e) => e.plan) };
  },
  qs_membership: (input) => {
    const run = tr.qsCreateRun(input.type, input.query_plans, input.created_from);
    return { ...tr.qsMembership(run, input.current), created: run.case_ids };
  },
  qs_status_counts: (input) => tr.qsStatusCounts(input.statuses),
  completion: (input) => {
    const d = tr.decideCompletion(input);
    const byJob = (key) => Object.fromEntries(d.jobs.map((j) => [j.job, j[key]]));
    return { ...d, short: byJob('short_by'), never_reported: byJob('never_reported') };
  },
  config: (input) => {
    const { config, warnings } = tr.resolveConfig(input);
    const real = warnings.filter((w) => w.level === 'warning');
    return {
      ...flatten('', config, {}),
      warnings: real.length,
      warning_keys: real.map((w) => w.key),
      codes: warnings.map((w) => w.code),
    };
  },
};

function vectorDirs() {
  const dirs = [join(root, 'tests/vectors')];
  const shared = join(root, '../shared/vectors');
  if (existsSync(shared)) dirs.push(shared);
  for (const d of (process.env.TESTRELAY_VECTORS ?? '').split(':')) if (d) dirs.push(d);
  return dirs.filter((d, i) => i > 0 || existsSync(d));
}

test('conformance vectors (WASM build)', () => {
  const counts = {};
  const failures = [];
  let files = 0;
  for (const dir of vectorDirs()) {
    const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    for (const name of names) {
      files += 1;
      const file = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      for (const c of file.cases) {
        counts[file.op] = (counts[file.op] ?? 0) + 1;
        const where = `${join(dir, name)} / ${c.name}`;
        const run = ops[file.op];
        if (!run) {
          failures.push(`${where}: unknown op \`${file.op}\``);
          continue;
        }
        let actual;
        try {
          actual = run(c.input);
        } catch (e) {
          // A vector may expect an error: compared by code, never by message.
          if (e.code !== undefined && 'error' in c.expected) actual = { error: e.code };
          else {
            failures.push(`${where}: threw ${e.code ?? ''} ${e.message}`);
            continue;
          }
        }
        for (const [key, want] of Object.entries(c.expected)) {
          try {
            assert.deepStrictEqual(actual[key], want);
          } catch {
            failures.push(`${where}: \`${key}\` expected ${JSON.stringify(want)}, got ${JSON.stringify(actual[key])}`);
          }
        }
      }
    }
  }
  for (const [op, n] of Object.entries(counts).sort()) console.log(`vectors: ${op}: ${n} cases`);
  assert.ok(files > 0, 'no vector files found');
  assert.deepEqual(failures, [], `${failures.length} vector failures`);
});
