// Errors cross as JS Errors with a stable `code`, the shape of the Node binding; data crosses
// as plain objects with `null` for absent values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const tr = createRequire(import.meta.url)('../pkg-node');

const throwsCode = (fn, code) =>
  assert.throws(fn, (e) => e instanceof Error && e.code === code && e.message.length > 0);

test('a value of the wrong shape is INVALID_INPUT', () => {
  throwsCode(() => tr.classify('not an outcome', null), 'INVALID_INPUT');
  throwsCode(() => tr.planBatches('ten', 10), 'INVALID_INPUT');
  throwsCode(() => tr.pipeline({ statuses: ['nope'] }), 'INVALID_INPUT');
  throwsCode(() => tr.failureLinks({ app: 'a' }), 'INVALID_INPUT');
});

test('absent values are null and maps are plain objects', () => {
  const out = tr.pipeline({ mapping: { invalid: 'failed' }, filter: ['failed'], statuses: ['invalid'] });
  assert.deepEqual(out.statuses, [null]);
  const parsed = tr.parseStatusMappingEnv('invalid=failed');
  assert.equal(Object.getPrototypeOf(parsed.mapping), Object.prototype);
  assert.deepEqual(parsed.mapping, { invalid: 'failed' });
});

test('bad settings in a preview are warnings with codes, never a throw', () => {
  const p = tr.preview(
    [{ title: 't', outcome: { framework: 'junit-xml', element: 'error' } }],
    { mapping: 'invalid:failed', batch_size: 0 },
  );
  const codes = p.warnings.map((w) => w.code);
  assert.ok(codes.includes('INVALID_MAPPING_ENTRY'));
  assert.ok(codes.includes('BATCH_SIZE_CLAMPED'));
  assert.equal(p.tests[0].status, 'invalid');
  assert.equal(p.tests[0].started_at, null);
});
