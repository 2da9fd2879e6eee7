// The sweep page: a `deploytwin sweep` result as a heatmap of makespan over two parameters with
// the recommended point marked, the makespan against the lower bound along one parameter, and
// the best points. Files come from the server (serve --sweeps DIR) or are uploaded.
import { getJson, param, seconds, status } from './lib/api.js';
import { addPngButtons, lineDataset, makeChart, seriesColour } from './lib/charts.js';
import { heatmapPlugin, indexAxis } from './lib/heatmap.js';
import { esc, pageHeader } from './lib/page.js';
import { heatmapCells, METRICS, metricOf, parseSweep, valuesOf } from './lib/sweep-data.js';

pageHeader('sweep');

let sweep = null;
const $ = (id) => document.getElementById(id);

function fillSelect(select, values, chosen) {
  select.innerHTML = values.map((v) => `<option>${esc(v)}</option>`).join('');
  select.value = chosen;
}

function drawHeatmap(x, y, metric) {
  const { xs, ys, cells } = heatmapCells(sweep, x, y, metric);
  const rec = sweep.recommended;
  // In the cell's corner, so the cell's value stays readable.
  const star = { x: xs.indexOf(rec.parameters[x]) + 0.36, y: ys.indexOf(rec.parameters[y]) + 0.3 };
  const values = cells.map((c) => c.value);
  const range = metric === 'ratio' ? `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}` : `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)} s`;
  makeChart('heatmap', document.querySelector('canvas[data-chart="heatmap"]'), {
    kind: 'scatter', title: `${sweep.title}: makespan ${metric === 'ratio' ? 'mean / lower bound' : metric} (pale ${range} dark)`, x, y,
    plugins: [heatmapPlugin],
    datasets: [
      { label: 'points', data: cells.map((c) => ({ x: c.i, y: c.j, row: c.row, value: c.value })), pointRadius: 0, pointHitRadius: 25, backgroundColor: 'transparent' },
      { label: `recommended: ${x}=${rec.parameters[x]}, ${y}=${rec.parameters[y]}`, data: [star], pointStyle: 'star', pointRadius: 10, borderWidth: 3, borderColor: '#000', backgroundColor: '#000' },
    ],
    options: {
      scales: { x: indexAxis(x, xs), y: indexAxis(y, ys) },
      plugins: {
        heatmap: { cells },
        legend: { position: 'bottom', labels: { filter: (item) => item.datasetIndex !== 0 } },
        tooltip: { callbacks: { label: (c) => (c.raw.row ? `${x}=${c.raw.row.parameters[x]} ${y}=${c.raw.row.parameters[y]}: mean ${seconds(c.raw.row.makespan.mean)}, p95 ${seconds(c.raw.row.makespan.p95)}, bound ${seconds(c.raw.row.lowerBound)}` : c.dataset.label) } },
      },
    },
  });
}

function drawBound(x, y) {
  const others = sweep.parameters.filter((p) => p !== x && p !== y);
  const rows = sweep.rows.filter((r) => others.every((p) => r.parameters[p] === sweep.recommended.parameters[p]));
  const xs = valuesOf(rows, x);
  const numeric = xs.every((v) => typeof v === 'number');
  const datasets = [];
  valuesOf(rows, y).forEach((yv, i) => {
    const line = rows.filter((r) => r.parameters[y] === yv).sort((a, b) => xs.indexOf(a.parameters[x]) - xs.indexOf(b.parameters[x]));
    const at = (r) => (numeric ? r.parameters[x] : xs.indexOf(r.parameters[x]));
    datasets.push(lineDataset(`${y}=${yv}: mean makespan`, line.map((r) => ({ x: at(r), y: r.makespan.mean })), seriesColour(i), { pointRadius: 3 }));
    datasets.push(lineDataset(`${y}=${yv}: lower bound`, line.map((r) => ({ x: at(r), y: r.lowerBound })), seriesColour(i), { borderDash: [6, 4], pointRadius: 0 }));
  });
  const rec = sweep.recommended;
  datasets.push({ label: 'recommended', data: [{ x: numeric ? rec.parameters[x] : xs.indexOf(rec.parameters[x]), y: rec.makespan.mean }], pointStyle: 'star', pointRadius: 12, borderWidth: 3, borderColor: '#000', showLine: false });
  makeChart('bound', document.querySelector('canvas[data-chart="bound"]'), {
    kind: 'line', title: 'Makespan and lower bound', x, y: 'seconds', datasets,
    options: numeric ? {} : { scales: { x: indexAxis(x, xs) } },
  });
}

function drawTable() {
  const params = sweep.parameters;
  $('best-head').innerHTML = `<tr><th>#</th>${params.map((p) => `<th>${esc(p)}</th>`).join('')}<th class="num">mean</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">lower bound</th><th class="num">x bound</th><th>bound by</th></tr>`;
  $('best').innerHTML = sweep.ranked
    .slice(0, 12)
    .map((r) => `<tr${r === sweep.recommended ? ' style="font-weight:600"' : ''}><td>${r.point}${r === sweep.recommended ? ' ★' : ''}</td>${params.map((p) => `<td>${esc(r.parameters[p])}</td>`).join('')}
      ${['mean', 'p50', 'p95', 'p99'].map((m) => `<td class="num">${metricOf(r, m).toFixed(0)}</td>`).join('')}<td class="num">${r.lowerBound.toFixed(0)}</td><td class="num">${r.ratio.toFixed(2)}</td><td>${esc(r.boundBy)}</td></tr>`)
    .join('');
}

function draw() {
  const x = $('x').value;
  const y = $('y').value;
  if (x === y) return status('pick two different parameters for x and y', 'error');
  drawHeatmap(x, y, $('metric').value);
  drawBound(x, y);
  drawTable();
  const rec = sweep.recommended;
  $('sweep-note').textContent = `${sweep.rows.length} points over ${sweep.parameters.join(', ')}. Recommended: point ${rec.point} (${Object.entries(rec.parameters).map(([k, v]) => `${k}=${v}`).join(', ')}): mean ${seconds(rec.makespan.mean)}, p95 ${seconds(rec.makespan.p95)}, lower bound ${seconds(rec.lowerBound)}.`;
  status('ready', 'ok');
}

/** Shows a sweep file's JSON. */
function show(data) {
  sweep = parseSweep(data);
  if (sweep.parameters.length < 2) throw new Error(`the heatmap needs two swept parameters; this sweep has ${sweep.parameters.join(', ') || 'none'}`);
  // The first --set varies slowest: it reads best down the y axis.
  fillSelect($('x'), sweep.parameters, sweep.parameters[1]);
  fillSelect($('y'), sweep.parameters, sweep.parameters[0]);
  fillSelect($('metric'), METRICS, 'mean');
  draw();
}

for (const id of ['x', 'y', 'metric']) $(id).addEventListener('change', () => sweep && draw());
$('upload').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  try {
    show(JSON.parse(await file.text()));
  } catch (err) {
    status(`${file.name}: ${err.message}`, 'error');
  }
});
$('name').addEventListener('change', () => load($('name').value).catch((e) => status(e.message, 'error')));

async function load(name) {
  history.replaceState(null, '', `?name=${encodeURIComponent(name)}`);
  show(await getJson(`/api/sweeps/${encodeURIComponent(name)}`));
}

async function main() {
  addPngButtons('sweep');
  const { sweeps, dir } = await getJson('/api/sweeps');
  $('name').innerHTML = sweeps.map((s) => `<option>${esc(s)}</option>`).join('');
  const name = param('name') ?? sweeps[0];
  if (!name) return status(dir ? `no *.json in ${dir}: upload a file` : 'no sweep directory (serve --sweeps DIR): upload a file', 'info');
  $('name').value = name;
  await load(name);
}

main().catch((e) => status(e.message, 'error'));
