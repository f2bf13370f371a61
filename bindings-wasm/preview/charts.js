// SVG charts of the preview: a donut of statuses and a timeline of durations. Built with DOM
// calls (no innerHTML, no inline styles) so the page's CSP holds.
const SVG = 'http://www.w3.org/2000/svg';

export function svgEl(name, attrs = {}, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A donut of `slices` = [{name, value}], one arc per non-empty slice, the total in the middle. */
export function drawDonut(svg, slices, total) {
  svg.replaceChildren();
  const r = 45;
  const c = 2 * Math.PI * r;
  const sum = slices.reduce((s, x) => s + x.value, 0);
  svg.append(svgEl('circle', { cx: 60, cy: 60, r, class: 'ring' }));
  let offset = 0;
  for (const { name, value } of slices) {
    if (value === 0) continue;
    const len = (value / sum) * c;
    const arc = svgEl('circle', {
      cx: 60, cy: 60, r,
      class: `arc s-${name}`,
      'stroke-dasharray': `${len} ${c - len}`,
      'stroke-dashoffset': -offset,
      transform: 'rotate(-90 60 60)',
    });
    arc.append(svgEl('title', {}, `${name}: ${value}`));
    svg.append(arc);
    offset += len;
  }
  svg.append(svgEl('text', { x: 60, y: 58, class: 'donut-total' }, total.toLocaleString('en')));
  svg.append(svgEl('text', { x: 60, y: 74, class: 'donut-label' }, 'tests'));
}

/**
 * Each test as a bar from its start for its duration, in lanes (a test goes to the first lane
 * free at its start). Tests without a start follow each other in one lane. At most `maxLanes`.
 * One path per status keeps the drawing cheap for 10,000 tests. Returns the span in ms.
 */
export function drawTimeline(svg, tests, maxLanes = 24) {
  svg.replaceChildren();
  const timed = [];
  let cursor = 0;
  for (const t of tests) {
    const duration = t.duration ?? 0;
    const start = t.started_at ?? cursor;
    cursor = Math.max(cursor, start + duration);
    timed.push({ start, duration, status: t.reported ?? 'filtered' });
  }
  if (timed.length === 0) return 0;
  timed.sort((a, b) => a.start - b.start);
  const t0 = timed[0].start;
  const end = timed.reduce((m, x) => Math.max(m, x.start + x.duration), t0);
  const span = Math.max(1, end - t0);
  const width = 1000;
  const laneHeight = 10;
  const laneEnds = [];
  const paths = {};
  for (const x of timed) {
    let lane = laneEnds.findIndex((e) => e <= x.start);
    if (lane === -1) lane = laneEnds.length < maxLanes ? laneEnds.length : maxLanes - 1;
    laneEnds[lane] = Math.max(laneEnds[lane] ?? 0, x.start + x.duration);
    const left = ((x.start - t0) / span) * width;
    const w = Math.max(0.5, (x.duration / span) * width);
    (paths[x.status] ??= []).push(`M${left.toFixed(2)} ${lane * laneHeight + 1}h${w.toFixed(2)}v${laneHeight - 2}h${(-w).toFixed(2)}z`);
  }
  svg.setAttribute('viewBox', `0 0 ${width} ${laneEnds.length * laneHeight}`);
  // A fixed height per lane (CSSOM, allowed by the CSP), so one lane stays a thin strip.
  svg.style.height = `${Math.max(24, laneEnds.length * 14)}px`;
  for (const [status, parts] of Object.entries(paths)) {
    const path = svgEl('path', { d: parts.join(''), class: `bar s-${status}` });
    path.append(svgEl('title', {}, `${status}: ${parts.length}`));
    svg.append(path);
  }
  return span;
}
