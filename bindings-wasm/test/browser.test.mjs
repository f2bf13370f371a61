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
const fixture = (name) => readFileSync(join(here, 'fixtures', name));

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

test('a dropped results file shows verdicts, rules, links, batches and charts', async () => {
  await drop('results.json', 'application/json', fixture('results.json'));
  await page.waitForFunction(() => document.body.dataset.previewMs !== undefined);
  assert.match(await text('#state'), /results\.json: 8 tests previewed/);
  assert.equal(await total('Tests'), '8');
  assert.equal(await total('Run status at completion'), 'failed');
  const rows = page.locator('#tests tbody tr');
  assert.equal(await rows.count(), 8);
  const cart = rows.filter({ hasText: 'Cart total is right' });
  assert.equal(await cart.locator('.badge').innerText(), 'failed');
  assert.match(await cart.locator('td').nth(2).innerText(), /matcher/i);
  assert.equal(
    await cart.locator('a').getAttribute('href'),
    'https://app.qase.io/run/DEMO/dashboard/1?source=logs&search=DEMO-42',
  );
  const checkout = rows.filter({ hasText: 'Checkout page loads' });
  assert.equal(await checkout.locator('.badge').innerText(), 'invalid');
  assert.equal(await checkout.locator('a').count(), 0);
  assert.match(await text('#batches'), /^1 upload of at most 200 results: 8$/);
  assert.ok((await page.locator('#donut circle.arc').count()) >= 3, 'donut has arcs');
  assert.ok((await page.locator('#timeline path.bar').count()) >= 2, 'timeline has bars');
  assert.match(await text('.axis'), /0 s\s+3\.5 s/);
});

test('mapping, filter and batch size from the form change the plan', async () => {
  await page.fill('#mapping', 'invalid=failed');
  await page.fill('#filter', 'skipped');
  await page.fill('#batch-size', '3');
  const rows = page.locator('#tests tbody tr');
  const checkout = rows.filter({ hasText: 'Checkout page loads' });
  assert.equal(await checkout.locator('.badge').innerText(), 'failed');
  assert.match(await checkout.locator('td').nth(3).innerText(), /mapped invalid → failed/);
  assert.equal(await checkout.locator('a').count(), 1, 'a mapped failure gets a link');
  const skipped = rows.filter({ hasText: 'Pay with card' });
  assert.equal(await skipped.locator('.badge').innerText(), 'filtered');
  assert.equal(await total('Dropped by filter'), '2'); // the skip and the expected failure
  assert.match(await text('#batches'), /^2 uploads of at most 3 results: 3, 3$/);
  await page.screenshot({ path: join(artifacts, 'preview.png'), fullPage: true });
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

test('a file that is no report is a clear error', async () => {
  await page.setInputFiles('#report-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.waitForFunction(() => document.getElementById('state').classList.contains('error'));
  assert.match(await text('#state'), /notes\.txt: MALFORMED_REPORT/);
});

test('10,000 tests: previewed and drawn (time printed, not asserted)', async () => {
  const results = JSON.parse(fixture('results.json'));
  const many = Array.from({ length: 10_000 }, (_, i) => ({
    ...results[i % results.length],
    title: `test ${i}`,
    started_at: 1763780000000 + i * 50,
  }));
  await page.evaluate(() => delete document.body.dataset.previewMs);
  await page.setInputFiles('#report-file', {
    name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(many)),
  });
  await page.waitForFunction(() => document.body.dataset.previewMs !== undefined);
  assert.equal(await total('Tests'), '10000');
  assert.equal(await page.locator('#tests tbody tr').count(), 500);
  assert.match(await text('#shown'), /first 500 of 10,000/);
  const { previewMs, previewParts } = await page.evaluate(() => ({ ...document.body.dataset }));
  console.log(`preview of 10,000 tests: ${previewMs} ms (${previewParts} ms)`);
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
  assert.ok(site.requests.includes('/pkg-web/testrelay_wasm_bg.wasm'), 'the .wasm came from the local server');
});

mkdirSync(artifacts, { recursive: true });
