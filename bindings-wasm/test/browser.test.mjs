// The preview page in real headless Chromium (Debian's, driven by playwright-core): serve
// dist/ locally, drop and pick reports, assert what the page shows, prove that no request
// left for anywhere but the local server, and keep a screenshot in test-artifacts/.
// Build first: bash bindings-wasm/build.sh
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const artifacts = join(pkg, 'test-artifacts');
const repoFixture = (name) => readFileSync(join(pkg, '..', 'tests', 'fixtures', name));

let site; // the page's server
let elsewhere; // a second local server standing in for "the internet": nothing may reach it
let context;
let page;
const profile = mkdtempSync(join(tmpdir(), 'testrelay-chromium-'));
const seen = [];

before(async () => {
  site = await serve(join(pkg, 'dist'));
  elsewhere = await serve(join(pkg, 'dist'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  context.on('request', (r) => seen.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(site.url);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await context?.close();
  await site?.close();
  await elsewhere?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Drops a file on the drop zone the way a person's drag and drop does. */
async function drop(name, mimeType, buffer) {
  const transfer = await page.evaluateHandle(({ name, mimeType, bytes }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
    return dt;
  }, { name, mimeType, bytes: [...buffer] });
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: transfer });
}

const text = (selector) => page.locator(selector).innerText();
const total = (key) => page.locator(`#totals dd[data-key="${key}"]`).innerText();

const rows = () => page.locator('#tests tbody tr');
const row = (title) => rows().filter({ has: page.locator('.title', { hasText: new RegExp(`^${title}$`) }) });

test('a dropped JUnit report shows verdicts, rules, links, batches and charts', async () => {
  await drop('surefire.xml', 'text/xml', repoFixture('junit/surefire.xml'));
  await page.waitForFunction(() => document.body.dataset.previewMs !== undefined);
  assert.match(await text('#state'), /surefire\.xml: 11 tests previewed/);
  assert.equal(await total('Tests'), '11');
  assert.equal(await total('Run status at completion'), 'failed');
  assert.equal(await rows().count(), 11);
  const total_ = row('computesTotal');
  assert.equal(await total_.locator('.badge').innerText(), 'failed');
  assert.match(await total_.locator('td').nth(2).innerText(), /junit\.failure/);
  assert.deepEqual(await total_.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), [
    'https://app.qase.io/run/DEMO/dashboard/1?source=logs&search=DEMO-12',
    'https://app.qase.io/run/DEMO/dashboard/1?source=logs&search=DEMO-13',
  ]);
  const prices = row('loadsPrices');
  assert.equal(await prices.locator('.badge').innerText(), 'invalid');
  assert.equal(await prices.locator('a').count(), 0);
  assert.match(await text('#batches'), /^1 upload of at most 200 results: 11$/);
  assert.ok((await page.locator('#donut circle.arc').count()) >= 4, 'donut has an arc per status');
  assert.ok((await page.locator('#timeline path.bar').count()) >= 4, 'timeline has bars per status');
});

test('mapping, filter and batch size from the form change the plan', async () => {
  await page.fill('#mapping', 'invalid=failed');
  await page.fill('#filter', 'skipped');
  await page.fill('#batch-size', '3');
  const prices = row('loadsPrices');
  assert.equal(await prices.locator('.badge').innerText(), 'failed');
  assert.match(await prices.locator('td').nth(3).innerText(), /mapped invalid → failed/);
  assert.equal(await prices.locator('a').count(), 1, 'a mapped failure gets a link');
  assert.equal(await row('refund').locator('.badge').innerText(), 'filtered');
  assert.equal(await total('Dropped by filter'), '1');
  assert.equal(await total('Changed by mapping'), '3');
  assert.match(await text('#batches'), /^4 uploads of at most 3 results: 3, 3, 3, 1$/);
});

test('a repository snapshot shows the matching plan', async () => {
  const snapshot = [
    { id: 12, title: 'computesTotal', suite: ['com.example.shop.CartTest'] },
    { id: 30, title: 'addsItem', suite: ['com.example.shop.CartTest'] },
  ];
  await page.setInputFiles('#snapshot-file', {
    name: 'cases.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(snapshot)),
  });
  await page.waitForSelector('#matching-section:not([hidden])');
  assert.match(await text('#snapshot-state'), /cases\.json: 2 cases/);
  assert.match(await text('#matching'), /^link 2 · create 2 \(2 new cases\) · update 0 · caseless 6$/);
  assert.match(await row('addsItem').locator('td').nth(4).innerText(), /linked to 30 by title and suite/);
  assert.match(await row('computesTotal').locator('td').nth(4).innerText(), /linked to 12 by id/);
  assert.match(await row('parsesLargeOrder').locator('td').nth(4).innerText(), /create a case/);
  assert.match(await row('loadsPrices').locator('td').nth(4).innerText(), /caseless: status not created/);
  assert.equal(await row('refund').locator('td').nth(4).innerText(), '', 'a filtered test is not matched');
});

test('bad settings show warnings with codes, not a crash', async () => {
  await page.fill('#mapping', 'invalid:failed');
  await page.fill('#batch-size', '500');
  const warnings = await text('#warnings');
  assert.match(warnings, /INVALID_MAPPING_ENTRY/);
  assert.match(warnings, /BATCH_SIZE_CLAMPED/);
  await page.fill('#mapping', '');
  await page.fill('#filter', '');
  await page.fill('#batch-size', '200');
});

const steps = (action) => page.locator(`#session-steps li[data-action="${action}"]`);

const wasmOf = (build) => `/${build}/testrelay_wasm_bg.wasm`;

test('the session plan: the real session over the results, every request answered with success', async () => {
  // Off at first: offered, and its build of the core not loaded.
  assert.ok(await page.locator('#session-section').isVisible());
  assert.ok(await page.locator('#session-off').isVisible());
  assert.ok(await page.locator('#session-on').isHidden());
  assert.deepEqual(site.requests.filter((r) => r.endsWith('.wasm')), [wasmOf('pkg-web')]);
  await page.check('#session-plan');
  await page.waitForSelector('#session-on:not([hidden])');
  assert.ok(await page.locator('#session-off').isHidden());
  assert.deepEqual(site.requests.filter((r) => r.endsWith('.wasm')), [wasmOf('pkg-web'), wasmOf('pkg-web-session')]);

  await page.fill('#batch-size', '2');
  await page.waitForFunction(() => /^6 upload batches/.test(document.getElementById('session-end').textContent));
  assert.ok(await page.locator('#session-section').isVisible());
  // 11 tests, computesTotal with two case ids: 12 payload results, 6 uploads of 2.
  assert.equal(await steps('create_run').count(), 1);
  assert.match(await steps('create_run').innerText(), /^create run → run 1 \(placeholder id\) POST \/v1\/run\/DEMO$/);
  assert.equal(await steps('upload_results').count(), 6);
  for (const item of await steps('upload_results').all()) {
    assert.match(await item.innerText(), /^upload 2 results \([\d,]+ bytes\) POST \/v2\/DEMO\/run\/1\/results$/);
  }
  assert.equal(await steps('complete_run').count(), 1);
  assert.equal(await text('#session-end'), '6 upload batches; run completed.');
  const log = await text('#session-log');
  assert.match(log, /\[info\] created run 1/);
  assert.match(log, /See why this test failed: https:\/\/app\.qase\.io\/run\/DEMO\/dashboard\/1\?source=logs&search=DEMO-12/);
  assert.match(log, /\[info\] testrelay: 12 results delivered to run 1; run completed/);
  assert.equal(await page.locator('#session-receipt dd[data-key="Acknowledged"]').innerText(), '12');

  await page.uncheck('#run-complete');
  await page.waitForFunction(() => /left open/.test(document.getElementById('session-end').textContent));
  assert.equal(await steps('complete_run').count(), 0);
  assert.equal(await text('#session-end'), '6 upload batches; run left open: completion is off (testops.run.complete: false).');
  assert.match(await text('#session-log'), /12 results delivered to run 1; run left open/);

  await page.check('#run-complete');
  await page.fill('#run-id', '77');
  await page.waitForSelector('#session-steps li[data-action="check_run"]');
  assert.equal(await steps('create_run').count(), 0);
  assert.match(await steps('check_run').innerText(), /^reuse configured run 77 .* GET \/v1\/run\/DEMO\/77$/);
  // A single job given a run by id completes it (SPEC §5), as the official reporters do.
  assert.equal(await steps('complete_run').count(), 1, 'a configured run is completed by the one job');
  assert.match(await text('#session-end'), /; run completed\.$/);

  await page.fill('#run-id', '');
  await page.fill('#batch-size', '200');
  await page.waitForFunction(() => /^1 upload batch;/.test(document.getElementById('session-end').textContent));
  assert.equal(await steps('upload_results').count(), 1);
  assert.ok(!(await page.content()).toLowerCase().includes('token'), 'no token anywhere on the page');
  await page.screenshot({ path: join(artifacts, 'preview.png'), fullPage: true });
  // The top of the page down to the session plan's receipt, for the README (docs/preview.png
  // is a copy of it).
  await page.screenshot({ path: join(artifacts, 'preview-top.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1560 } });
});

test('the session plan choice is kept: the next visit loads only the build with the session', async () => {
  const again = await context.newPage();
  const wasm = [];
  again.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(new URL(r.url()).pathname));
  try {
    await again.goto(site.url);
    await again.waitForSelector('body[data-ready="true"]');
    assert.ok(await again.locator('#session-plan').isChecked());
    await again.setInputFiles('#report-file', { name: 'surefire.xml', mimeType: 'text/xml', buffer: repoFixture('junit/surefire.xml') });
    await again.waitForSelector('#session-on:not([hidden])');
    assert.equal(await again.locator('#session-steps li[data-action="upload_results"]').count(), 1);
    assert.deepEqual(wasm, [wasmOf('pkg-web-session')]);
    // Unticked: no plan, the plan offered again, and the choice kept off for the next visit.
    await again.uncheck('#session-plan');
    await again.waitForSelector('#session-off:not([hidden])');
    assert.ok(await again.locator('#session-on').isHidden());
    assert.deepEqual(wasm, [wasmOf('pkg-web-session'), wasmOf('pkg-web')]);
    assert.equal(await again.evaluate(() => localStorage.getItem('testrelay-preview.session-plan')), 'off');
  } finally {
    await again.close();
  }
  // The first page is unticked too, as a person who turns the plan off leaves it.
  await page.uncheck('#session-plan');
  await page.waitForSelector('#session-off:not([hidden])');
});

test('a picked Playwright JSON report: case ids from titles, retries as attempts', async () => {
  await page.setInputFiles('#report-file', {
    name: 'report.json', mimeType: 'application/json', buffer: repoFixture('playwright/report.json'),
  });
  await page.waitForFunction(() => /report\.json: /.test(document.getElementById('state').textContent));
  assert.match(await text('#state'), /report\.json: 11 tests previewed/);
  const item = row('adds an item');
  assert.equal(await item.count(), 1, 'the (Qase ID: 7) marker is removed from the title');
  assert.match(await item.locator('.ids').innerText(), /case 7/);
  assert.equal(await row('times out').count(), 2, 'one row per attempt');
  assert.match(await row('times out').first().locator('td').nth(2).innerText(), /runner\.timed_out_or_interrupted/);
});

test('a file that is no report is a clear error', async () => {
  await page.setInputFiles('#report-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.waitForFunction(() => document.getElementById('state').classList.contains('error'));
  assert.match(await text('#state'), /notes\.txt: MALFORMED_REPORT/);
  assert.ok(await page.locator('#output').isHidden());
});

test('10,000 tests in a JUnit report: previewed and drawn (time printed, not asserted)', async () => {
  const kinds = ['', '<failure message="expected 1"/>', '<error message="boom"/>', '<skipped/>', ''];
  const cases = Array.from({ length: 10_000 }, (_, i) =>
    `<testcase classname="suite${i % 40}" name="test ${i}" time="0.${(i * 37) % 1000}">${kinds[i % kinds.length]}</testcase>`);
  const xml = `<?xml version="1.0"?>\n<testsuite name="big" tests="10000">\n${cases.join('\n')}\n</testsuite>\n`;
  await page.evaluate(() => delete document.body.dataset.previewMs);
  await page.setInputFiles('#report-file', { name: 'big.xml', mimeType: 'text/xml', buffer: Buffer.from(xml) });
  await page.waitForFunction(() => document.body.dataset.previewMs !== undefined);
  assert.equal(await total('Tests'), '10000');
  assert.equal(await rows().count(), 500);
  assert.match(await text('#shown'), /first 500 of 10,000/);
  assert.match(await text('#batches'), /^50 uploads of at most 200 results/);
  const { previewMs, previewParts } = await page.evaluate(() => ({ ...document.body.dataset }));
  console.log(`preview of 10,000 tests: ${previewMs} ms (${previewParts} ms)`);
});

test('a trap in the core (a testrelay bug) is said, and the page works on with a fresh instance', async () => {
  // A second page whose first engine traps in previewReport, as a Rust panic does in WASM (it
  // aborts: WebAssembly.RuntimeError "unreachable"). The restarted engine (the glue imported
  // anew, with a query) is the real one.
  const second = await context.newPage();
  const glue = readFileSync(join(pkg, 'dist', 'pkg-web', 'testrelay_wasm.js'), 'utf8');
  const entry = glue.indexOf('export function previewReport(');
  assert.ok(entry >= 0, 'the glue exports previewReport');
  const body = glue.indexOf('{', entry) + 1;
  const trapping = `${glue.slice(0, body)}\n    throw new WebAssembly.RuntimeError('unreachable');${glue.slice(body)}`;
  let trapped = 0;
  await second.route('**/pkg-web/testrelay_wasm.js*', (route) => {
    if (new URL(route.request().url()).search !== '') return route.continue();
    trapped += 1;
    return route.fulfill({ contentType: 'text/javascript', body: trapping });
  });
  try {
    await second.goto(site.url);
    await second.waitForSelector('body[data-ready="true"]');
    await second.setInputFiles('#report-file', { name: 'surefire.xml', mimeType: 'text/xml', buffer: repoFixture('junit/surefire.xml') });
    await second.waitForFunction(() => document.getElementById('state').classList.contains('error'));
    assert.match(await second.locator('#state').innerText(), /surefire\.xml: testrelay stopped on an internal error \(a bug in testrelay: unreachable\); it was restarted/);
    assert.ok(await second.locator('#output').isHidden());
    // The same file again, now through the fresh instance.
    await second.setInputFiles('#report-file', { name: 'surefire.xml', mimeType: 'text/xml', buffer: repoFixture('junit/surefire.xml') });
    await second.waitForFunction(() => document.body.dataset.previewMs !== undefined);
    assert.match(await second.locator('#state').innerText(), /surefire\.xml: 11 tests previewed/);
    assert.equal(trapped, 1);
  } finally {
    await second.close();
  }
});

test('a core that did not load is said, and the next report loads it again', async () => {
  const third = await context.newPage();
  const glues = [];
  await third.route('**/pkg-web/testrelay_wasm.js*', (route) => {
    glues.push(new URL(route.request().url()).search);
    return glues.length === 1 ? route.fulfill({ status: 404, body: '' }) : route.continue();
  });
  try {
    await third.goto(site.url);
    await third.waitForSelector('body[data-ready="true"]');
    assert.match(await third.locator('#state').innerText(), /^The testrelay core did not load \(.+\); a dropped report tries again\.$/);
    await third.setInputFiles('#report-file', { name: 'surefire.xml', mimeType: 'text/xml', buffer: repoFixture('junit/surefire.xml') });
    await third.waitForFunction(() => document.body.dataset.previewMs !== undefined);
    assert.match(await third.locator('#state').innerText(), /surefire\.xml: 11 tests previewed/);
    assert.deepEqual(glues, ['', '?start=2'], 'the second start asks under a new URL');
  } finally {
    await third.close();
  }
});

test('the page asked nothing of anyone but its own server, and the CSP blocks the rest', async () => {
  const blocked = await page.evaluate(async (url) => {
    try {
      await fetch(url);
      return false;
    } catch {
      return true;
    }
  }, `${elsewhere.url}leak`);
  assert.ok(blocked, 'fetch to another origin must fail');
  assert.deepEqual(elsewhere.requests, [], 'nothing reached the other server');
  // Only the deliberate, blocked probe may show up as an attempt; no other foreign request.
  const foreign = seen.filter((u) => !u.startsWith(site.url) && u !== `${elsewhere.url}leak`);
  assert.deepEqual(foreign, []);
  for (const build of ['pkg-web', 'pkg-web-session']) {
    assert.ok(site.requests.includes(wasmOf(build)), `${build}'s .wasm came from the local server`);
  }
});

mkdirSync(artifacts, { recursive: true });
