// The Node launch helper: start, talk to, fault and stop a real fake-qase server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeQase } from './fake_qase.mjs';

const token = 'node-helper-token';

const createRun = (url, as = token) =>
  fetch(`${url}/v1/run/DEMO`, {
    method: 'POST',
    headers: { Token: as, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'from node' }),
  });

test('start, state, faults, reset and stop', async () => {
  const server = await startFakeQase({ token, seed: 9 });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual((await server.state()).runs, []);
    const created = await createRun(server.url);
    assert.equal(created.status, 200);
    const { result } = await created.json();
    const state = await server.state();
    assert.deepEqual(state.runs.map((r) => [r.id, r.title]), [[result.id, 'from node']]);
    assert.equal(state.seed, 9);

    await server.setFaults({ create_run: { rate_limit: { requests: [1], retry_after: 4 } } });
    const limited = await createRun(server.url);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '4');
    assert.deepEqual((await server.state()).requests.map((r) => r.status), [200, 429]);

    const shared = await server.createRun('DEMO', { title: 'shared' });
    assert.equal(shared, result.id + 1);
    assert.deepEqual((await server.state()).runs.map((r) => r.title), ['from node', 'shared']);

    await server.reset();
    assert.deepEqual((await server.state()).requests, []);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('faults given at start are installed', async () => {
  const server = await startFakeQase({ token, faults: { upload: { drop: { requests: [2] } } } });
  try {
    assert.deepEqual((await server.state()).faults.upload.drop.requests, [2]);
  } finally {
    await server.stop();
  }
});

test('an invalid fault config is refused with the field name', async () => {
  const server = await startFakeQase({ token });
  try {
    await assert.rejects(server.setFaults({ upload: { error: { status: 404 } } }), /upload\.error\.status/);
  } finally {
    await server.stop();
  }
});

test('named clients get their own faults', async () => {
  const server = await startFakeQase({
    token,
    clients: { job2: 'job2-token' },
    faults: { clients: { job2: { create_run: { error: { requests: [1], status: 500 } } } } },
  });
  try {
    assert.equal((await createRun(server.url)).status, 200);
    assert.equal((await createRun(server.url, 'job2-token')).status, 500);
    const log = (await server.state()).requests.map((r) => [r.client, r.status]);
    assert.deepEqual(log, [['default', 200], ['job2', 500]]);
  } finally {
    await server.stop();
  }
});

test('invalid faults at start are refused and leave no server', async () => {
  await assert.rejects(startFakeQase({ token, faults: { upload: { drop: { probability: 2 } } } }), /probability/);
});

test('a missing binary is a clear error', async () => {
  await assert.rejects(startFakeQase({ binary: '/nonexistent/fake-qase' }), /cannot start/);
});
