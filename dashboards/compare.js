// The compare page: two runs (twin vs twin), or a run and an uploaded CSV or journal, on the
// same axes of the KiERA figures and the completion CDF.
import { getJson, param, seconds, status } from './lib/api.js';
import { addPngButtons } from './lib/charts.js';
import { drawFigures } from './lib/figure-charts.js';
import { parseUpload } from './lib/figures.js';
import { esc, pageHeader } from './lib/page.js';

pageHeader('compare');

const results = new Map();
let upload = null;

async function resultOf(id) {
  // A real run's result grows while it runs: fetched again each time.
  if (!results.has(id) || results.get(id).real) results.set(id, await getJson(`/api/runs/${encodeURIComponent(id)}/result`));
  return results.get(id);
}

function mean(points) {
  return points.length === 0 ? NaN : points.reduce((a, p) => a + p.y, 0) / points.length;
}

async function draw() {
  const a = document.getElementById('a').value;
  const b = document.getElementById('b').value;
  if (!a) return status('no finished run to compare: start one on the Runs page', 'error');
  const ra = await resultOf(a);
  const label = (r, id) => (r.real ? `${r.scenario} ${id} (measured)` : `${r.scenario} ${id} seed ${r.seed}`);
  const series = [{ label: `A: ${label(ra, a)}`, records: ra.records, nodes: ra.nodes }];
  if (upload) series.push({ label: `B: ${upload.name}`, records: upload.records, nodes: new Set(upload.records.map((r) => r.node)).size });
  else if (b) {
    const rb = await resultOf(b);
    series.push({ label: `B: ${label(rb, b)}`, records: rb.records, nodes: rb.nodes });
  }
  const computed = drawFigures(series);
  document.getElementById('table').innerHTML = computed
    .map((c, i) => `<tr><td>${esc(c.label)}</td><td class="num">${series[i].nodes}</td><td class="num">${seconds(mean(c.initrd))}</td><td class="num">${seconds(mean(c.rootfs))}</td>
      <td class="num">${seconds(mean(c.deployment))}</td><td class="num">${seconds(c.completion.at(-1)?.x)}</td></tr>`)
    .join('');
  status(`comparing ${series.map((s) => s.label).join(' and ')}`, 'ok');
}

async function main() {
  const { runs } = await getJson('/api/runs');
  // Real runs (serve --real) compare while they run: their records so far.
  const finished = runs.filter((r) => r.state === 'finished' || r.real);
  const options = finished.map((r) => `<option value="${esc(r.id)}">${esc(r.id)}: ${esc(r.scenario)} ${esc(Object.entries(r.overrides).map(([k, v]) => `${k}=${v}`).join(' '))} seed ${esc(r.seed)}</option>`).join('');
  const a = document.getElementById('a');
  const b = document.getElementById('b');
  a.innerHTML = options;
  b.innerHTML = `<option value="">(none)</option>${options}`;
  a.value = param('a') ?? finished[finished.length - 1]?.id ?? '';
  b.value = param('b') ?? finished.find((r) => r.id !== a.value)?.id ?? '';
  for (const select of [a, b]) {
    select.addEventListener('change', () => {
      if (select === b) upload = null;
      history.replaceState(null, '', `?a=${encodeURIComponent(a.value)}&b=${encodeURIComponent(b.value)}`);
      draw().catch((e) => status(e.message, 'error'));
    });
  }
  document.getElementById('upload').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      const names = a.value ? (await resultOf(a.value)).names : [];
      upload = { name: file.name, records: parseUpload(await file.text(), names) };
      await draw();
    } catch (err) {
      status(`${file.name}: ${err.message}`, 'error');
    }
  });
  addPngButtons('compare');
  await draw();
}

main().catch((e) => status(e.message, 'error'));
