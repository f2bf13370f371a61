// The preview page: a thin host of the testrelay core (WASM). It reads the dropped file and
// the form, asks the core what a reporter would decide, and draws the answer. Every decision
// (readers, classification, mapping, filter, links, batches, matching) is the core's.
import { drawDonut, drawTimeline } from './charts.js';

// The core, compiled to WASM, in two builds: without the session (the smaller module the page
// loads first) and with it, loaded when the person ticks "Session plan" (the choice is kept in
// this browser, so the next visit loads only the build it needs). A trap in the core (a testrelay
// bug: a Rust panic aborts in WASM) leaves that instance unusable — its allocator and stack
// mid-call — so the page starts a fresh one. A glue module keeps its one instance for good: a
// fresh instance is a fresh import of the glue, its URL made unique (the .wasm file it loads is
// the same, from the cache).
const ENGINES = { core: './pkg-web/testrelay_wasm.js', session: './pkg-web-session/testrelay_wasm.js' };
const PLAN_CHOICE = 'testrelay-preview.session-plan';
const engines = {}; // build → { glue, starts, starting }

function startEngine(build) {
  const engine = (engines[build] ??= { glue: null, starts: 0, starting: null });
  engine.starts += 1;
  engine.glue = null;
  const url = engine.starts === 1 ? ENGINES[build] : `${ENGINES[build]}?start=${engine.starts}`;
  engine.starting = import(url).then(async (glue) => {
    await glue.default();
    engine.glue = glue;
  }).catch((e) => {
    // Not loaded (the server went away, a file is missing): the next preview starts it again,
    // under a new URL (the HTML standard long had browsers keep a failed import's answer for
    // its URL; the Chromium here asks again either way, measured).
    engine.starting = null;
    throw e;
  });
  return engine.starting;
}

/** The glue of `build`, started on first use (or again after a failed start). */
async function engine(build) {
  const started = engines[build];
  if (!started || started.starting === null) await startEngine(build);
  else if (started.glue === null) await started.starting;
  return engines[build].glue;
}

/** The build the form asks for: with the session when "Session plan" is ticked. */
const wantedBuild = () => ($('session-plan').checked ? 'session' : 'core');

const STATUSES = ['passed', 'failed', 'invalid', 'skipped', 'blocked'];
const MAX_ROWS = 500;
const $ = (id) => document.getElementById(id);

const state = { report: null, cases: null, preview: null };

function el(name, attrs = {}, ...children) {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function say(text, kind = '') {
  $('state').textContent = text;
  $('state').className = `state ${kind}`;
}

/** The form as preview settings; empty fields are null. */
function settings() {
  const text = (id) => $(id).value.trim() || null;
  const number = (id) => ($(id).value.trim() === '' ? null : Number($(id).value));
  const mapping = text('mapping');
  return {
    mapping: mapping && mapping.startsWith('{') ? JSON.parse(mapping) : mapping,
    filter: text('filter'),
    batch_size: number('batch-size'),
    app: text('app'),
    project: text('project'),
    run_id: number('run-id'),
    run_complete: $('run-complete').checked,
    batch_bytes: number('batch-bytes'),
    cases: state.cases,
    matching: { auto_create: $('auto-create').checked, create_from: $('create-from').value },
  };
}

function renderTotals(p) {
  const rows = [
    ['Tests', p.tests.length],
    ['Reported', p.tests.length - p.filtered],
    ['Changed by mapping', p.mapped],
    ['Dropped by filter', p.filtered],
    ['Run status at completion', p.run_status],
  ];
  $('totals').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-key': k }, String(v))]));
  const slices = STATUSES.map((name) => ({ name, value: p.counts[name] }));
  slices.push({ name: 'filtered', value: p.filtered });
  drawDonut($('donut'), slices, p.tests.length);
  const legend = slices.filter((s) => s.value > 0).map((s) => el('li', { class: `s-${s.name}` }, `${s.name} ${s.value}`));
  $('totals').append(el('dt', {}, 'Statuses'), el('dd', {}, el('ul', { class: 'legend' }, ...legend)));
}

function renderWarnings(warnings) {
  const items = warnings.map((w) => el('li', { class: w.level }, `${w.code} (${w.key}): ${w.message}`));
  $('warnings').replaceChildren(...(items.length ? [el('h2', {}, 'Warnings'), el('ul', {}, ...items)] : []));
}

function renderBatches(p) {
  const n = p.batches.length;
  const sizes = n > 12 ? `${p.batches.slice(0, 12).join(', ')}, …` : p.batches.join(', ');
  $('batches').textContent = n === 0
    ? 'Nothing to upload.'
    : `${n} upload${n === 1 ? '' : 's'} of at most ${p.batch_size} results: ${sizes}`;
}

const MAX_STEPS = 40;
const MAX_LOG_LINES = 300;
const plural = (n, one, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** One request or file write of the session, as a list item. */
function stepItem(s, plan) {
  const where = el('code', {}, ` ${[s.method, s.path].filter(Boolean).join(' ')}`);
  const bytes = plural(s.bytes, 'byte');
  const label = {
    create_run: () => `create run → run ${plan.receipt.run_id} (placeholder id)`,
    check_run: () => `reuse configured run ${plan.receipt.run_id ?? ''} (checked: exists and open)`,
    upload_attachment: () => 'upload attachment',
    upload_results: () => `upload ${plural(s.results, 'result')} (${bytes})`,
    complete_run: () => 'complete run',
    save_fallback: () => `save ${plural(s.results, 'file')} to the fallback report (${bytes})`,
    write_report: () => `write ${plural(s.results, 'file')} to the local report (${bytes})`,
  }[s.action] ?? (() => s.action.replaceAll('_', ' '));
  return el('li', { 'data-action': s.action }, label(), where);
}

/** The session plan, or — from the build without the session — the offer of it, when the
 * settings allow one (app and project; with them the build with the session always plans). */
function renderSession(p, { app, project }) {
  const plan = p.session;
  $('session-section').hidden = plan === null && (app === null || project === null);
  $('session-off').hidden = plan !== null;
  $('session-on').hidden = plan === null;
  if (plan === null) return;
  const items = plan.steps.slice(0, MAX_STEPS).map((s) => stepItem(s, plan));
  if (plan.steps.length > MAX_STEPS) items.push(el('li', { class: 'more' }, `… ${plural(plan.steps.length - MAX_STEPS, 'more step')}`));
  $('session-steps').replaceChildren(...items);
  const uploads = plural(plan.uploads.length, 'upload batch', 'upload batches');
  $('session-end').textContent = plan.left_open === null
    ? `${uploads}; run completed.`
    : `${uploads}; run left open: ${plan.left_open}.`;
  $('session-end').className = plan.left_open === null ? 'completed' : 'open';
  const lines = plan.log.slice(0, MAX_LOG_LINES).map((l) => el('div', { class: l.level }, `[${l.level}] ${l.message}`));
  if (plan.log.length > MAX_LOG_LINES) lines.push(el('div', {}, `… ${plural(plan.log.length - MAX_LOG_LINES, 'more line')}`));
  $('session-log').replaceChildren(...lines);
  const r = plan.receipt;
  const rows = [
    ['Run', `${r.run_id}${r.run_created ? ' (created, placeholder id)' : ' (configured)'}`],
    ['Results seen', r.results_seen], ['Filtered', r.filtered], ['Sent', r.sent],
    ['Acknowledged', r.acknowledged], ['In fallback', r.in_fallback], ['Completed', r.completed ? 'yes' : 'no'],
    ['Summary', r.summary],
  ];
  $('session-receipt').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-key': k }, String(v))]));
}

function testRow(t) {
  const where = t.suite.length ? el('div', { class: 'suite' }, t.suite.join(' › ')) : '';
  const ids = t.case_ids.length ? el('div', { class: 'ids' }, `case ${t.case_ids.join(', ')}`) : '';
  let change = 'unchanged';
  if (t.mapped) change = `mapped ${t.status} → ${t.reported ?? '(mapped, then filtered)'}`;
  if (t.filtered) change = t.mapped ? `mapped, then dropped by filter` : `dropped by filter (${t.status})`;
  const links = t.links.map((href) => el('div', {}, el('a', { href, rel: 'noreferrer', target: '_blank' }, href)));
  return el('tr', { class: t.filtered ? 'filtered' : '' },
    el('td', {}, el('div', { class: 'title' }, t.title), where, ids),
    el('td', {}, el('span', { class: `badge s-${t.reported ?? 'filtered'}` }, t.reported ?? 'filtered')),
    el('td', {}, el('code', {}, t.rule), el('div', { class: 'evidence' }, t.evidence)),
    el('td', {}, change),
    el('td', {}, caseCell(t.matching)),
    el('td', {}, ...links));
}

function renderTests() {
  const p = state.preview;
  const show = $('show').value;
  const needle = $('search').value.trim().toLowerCase();
  const rows = [];
  let matching = 0;
  for (const t of p.tests) {
    if (show && (t.reported ?? 'filtered') !== show) continue;
    if (needle && !t.title.toLowerCase().includes(needle)) continue;
    matching += 1;
    if (rows.length < MAX_ROWS) rows.push(testRow(t));
  }
  $('tests').tBodies[0].replaceChildren(...rows);
  $('shown').textContent = rows.length < matching
    ? `showing the first ${rows.length.toLocaleString('en')} of ${matching.toLocaleString('en')}`
    : `${matching.toLocaleString('en')} shown`;
}

async function run() {
  if (!state.report) return;
  const build = wantedBuild();
  let started = performance.now();
  try {
    if (engines[build]?.glue == null) say('Loading the testrelay core…');
    const tr = await engine(build);
    started = performance.now();
    const asked = settings();
    const p = tr.previewReport(state.report.text, asked);
    const decided = performance.now();
    state.preview = p;
    renderTotals(p);
    renderWarnings(p.warnings);
    renderMatching(p);
    renderBatches(p);
    renderSession(p, asked);
    const span = drawTimeline($('timeline'), p.tests);
    $('timeline-end').textContent = `${(span / 1000).toFixed(1)} s`;
    renderTests();
    $('output').hidden = false;
    const done = performance.now();
    const ms = done - started;
    const parts = `read and decide ${Math.round(decided - started)}, draw ${Math.round(done - decided)}`;
    document.body.dataset.previewMs = ms.toFixed(1);
    document.body.dataset.previewParts = parts;
    say(`${state.report.name}: ${p.tests.length.toLocaleString('en')} tests previewed in ${Math.round(ms)} ms (${parts}).`, 'ok');
  } catch (e) {
    $('output').hidden = true;
    if (e instanceof WebAssembly.RuntimeError) {
      say(`${state.report.name}: testrelay stopped on an internal error (a bug in testrelay: ${e.message}); ` +
        'it was restarted, the page works on. Please report this with the file.', 'error');
      await startEngine(build);
      return;
    }
    say(`${state.report.name}: ${e.code ?? 'ERROR'}: ${e.message}`, 'error');
  }
}

async function load(file) {
  say(`Reading ${file.name}…`);
  state.report = { name: file.name, text: await file.text() };
  await run();
}

/** A repository snapshot: a JSON list of cases (`[{id, title, suite, …}]`). */
async function loadSnapshot(file) {
  try {
    state.cases = JSON.parse(await file.text());
    $('snapshot-state').textContent = `${file.name}: ${state.cases.length} cases.`;
  } catch (e) {
    state.cases = null;
    $('snapshot-state').textContent = `${file.name}: not JSON (${e.message}).`;
  }
  await run();
}

function renderMatching(p) {
  $('matching-section').hidden = p.matching === null;
  if (p.matching === null) return;
  const t = p.matching.totals;
  $('matching').textContent =
    `link ${t.link} · create ${t.create} (${t.new_cases} new case${t.new_cases === 1 ? '' : 's'}) · update ${t.update} · caseless ${t.caseless}`;
}

function caseCell(m) {
  if (!m) return '';
  if (m.decision === 'linked') return `linked to ${m.case_ids.join(', ')} by ${m.by === 'id' ? 'id' : 'title and suite'}`;
  if (m.decision === 'create') return `create a case (${m.unlinked.replaceAll('_', ' ')})`;
  return `caseless: ${m.reason.replaceAll('_', ' ')}`;
}

function wire() {
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer.files[0];
    if (file) load(file);
  });
  $('report-file').addEventListener('change', (e) => e.target.files[0] && load(e.target.files[0]));
  $('snapshot-file').addEventListener('change', (e) => e.target.files[0] && loadSnapshot(e.target.files[0]));
  $('settings').addEventListener('input', run);
  $('session-plan').addEventListener('change', (e) => localStorage.setItem(PLAN_CHOICE, e.target.checked ? 'on' : 'off'));
  $('settings').addEventListener('submit', (e) => e.preventDefault());
  $('show').append(...[...STATUSES, 'filtered'].map((s) => el('option', { value: s }, s)));
  $('show').addEventListener('change', renderTests);
  $('search').addEventListener('input', renderTests);
}

$('session-plan').checked = localStorage.getItem(PLAN_CHOICE) === 'on';
wire();
try {
  await startEngine(wantedBuild());
  say('Ready: drop a report.');
} catch (e) {
  say(`The testrelay core did not load (${e.message}); a dropped report tries again.`, 'error');
}
document.body.dataset.ready = 'true';
