// The live deployment page: a run's event stream (live, or replayed at a speed) drawn as nodes by
// state and by phase over time, a per-node (or per-rack) phase timeline, downloads in progress
// and data received per network, link and server utilisation, and failures with their reasons.
import { control, getJson, openEvents, param, seconds, status } from './lib/api.js';
import { addPngButtons, lineDataset, makeChart, phaseColour, scheduleUpdate, seriesColour, STATE_COLOURS } from './lib/charts.js';
import { ganttRows, LiveModel, phaseCounts, racksPerRow, STATES } from './lib/live-model.js';
import { esc, pageHeader } from './lib/page.js';

pageHeader('live deployment');

const canvas = (name) => document.querySelector(`canvas[data-chart="${name}"]`);
let runId = param('run');
let info = null;
let model = null;
let socket = null;
let names = [];

function showInfo(extra = '') {
  const p = info.progress;
  document.getElementById('run-info').innerHTML = [
    info.real ? `<span><b>${esc(info.id)}</b> ${esc(info.scenario)} (wall-clock time since the deployment began)</span>` : `<span><b>${esc(info.id)}</b> ${esc(info.scenario)} (seed ${esc(info.seed)})</span>`,
    info.real?.note ? `<span class="badge failed">${esc(info.real.note)}</span>` : '',
    `<span class="badge ${info.state}">${info.state}</span>`,
    `<span>${info.real ? 'time' : 'simulated time'} <b id="sim-time">${seconds(model?.t ?? p.t)}</b></span>`,
    `<span>deployed <b>${model ? model.counts.deployed : p.deployed}</b> / ${info.nodes}</span>`,
    `<span>failed <b>${model ? model.failures.length : p.failed}</b></span>`,
    `<span>events <b id="event-count">${model?.events ?? 0}</b></span>`,
    info.summary ? `<span>makespan <b>${seconds(info.summary.makespan)}</b></span>` : '',
    extra,
  ].join('');
  // A real deployment is stopped where it runs, never from here.
  document.getElementById('stop').disabled = info.state !== 'running' || Boolean(info.real);
}

function ganttMode() {
  const select = document.getElementById('gantt-mode');
  const racks = Math.ceil(info.nodes / info.nodesPerRack);
  const group = racksPerRow(racks);
  const options = [`<option value="racks">all ${racks} racks (mean per ${group === 1 ? 'rack' : `${group} racks`})</option>`];
  if (info.nodes <= 200) options.push('<option value="nodes">all nodes</option>');
  for (let r = 0; r < racks; r++) options.push(`<option value="rack-${r}">rack ${r} (its nodes)</option>`);
  select.innerHTML = options.join('');
  select.value = info.nodes <= 200 ? 'nodes' : 'racks';
  select.addEventListener('change', () => render());
}

function makeCharts() {
  makeChart('states', canvas('states'), {
    kind: 'line', title: 'Nodes by state', x: 'simulated time (s)', y: 'nodes',
    datasets: STATES.map((s) => lineDataset(s, model.stateSeries[s], STATE_COLOURS[s], { stepped: 'after' })),
  });
  makeChart('phases', canvas('phases'), { kind: 'line', title: 'Nodes by phase', x: 'simulated time (s)', y: 'nodes' });
  makeChart('gantt', canvas('gantt'), {
    kind: 'bar', title: 'Phase timeline', x: 'simulated time (s)', y: '',
    options: { indexAxis: 'y', scales: { y: { type: 'category', beginAtZero: false, ticks: { autoSkip: true } } }, plugins: { legend: { position: 'bottom' } } },
  });
  makeChart('downloads', canvas('downloads'), { kind: 'line', title: 'Downloads in progress by network', x: 'simulated time (s)', y: 'downloads' });
  makeChart('received', canvas('received'), { kind: 'line', title: 'Data received by network (cumulative)', x: 'simulated time (s)', y: 'GB' });
  makeChart('servers', canvas('servers'), {
    kind: 'bar', title: 'Server load: peak in service and limit', x: 'requests', y: '',
    options: { indexAxis: 'y', scales: { x: { type: 'linear' }, y: { type: 'category' } } },
  });
  makeChart('utilisation', canvas('utilisation'), { kind: 'line', title: 'Link utilisation by kind', x: 'simulated time (s)', y: '%' });
  makeChart('links', canvas('links'), {
    kind: 'bar', title: 'Peak link utilisation by kind', x: '', y: '%',
    options: { scales: { x: { type: 'category' }, y: { max: 100 } } },
  });
}

function render() {
  const { charts } = window.dashboard;
  const samples = model.samples;
  if (samples.length > 0) {
    const phases = [...new Set(samples.flatMap((s) => Object.keys(s.phases)))];
    charts.phases.data.datasets = phases.map((p, i) => lineDataset(p, samples.map((s) => ({ x: s.t, y: s.phases[p] ?? 0 })), phaseColour(p, i)));
  } else {
    // While the twin simulates, counted from the phases streamed so far (samples come at the end).
    const counts = phaseCounts(model, model.t);
    // Exact counts that change at phase starts and ends: drawn as steps.
    charts.phases.data.datasets = model.phaseNames.filter((p) => counts[p]).map((p, i) => lineDataset(p, counts[p], phaseColour(p, i), { stepped: 'after' }));
  }
  const networks = [...new Set(samples.flatMap((s) => Object.keys(s.downloads)))];
  charts.downloads.data.datasets = networks.map((n, i) => lineDataset(n, samples.map((s) => ({ x: s.t, y: s.downloads[n] ?? 0 })), seriesColour(i)));
  charts.received.data.datasets = networks.map((n, i) => {
    // Sample k's throughput is the mean over [t, t + interval): the total is received at its end.
    let bytes = 0;
    const points = [{ x: 0, y: 0 }];
    for (const s of samples) points.push({ x: s.t + s.interval, y: (bytes += (s.throughput[n] ?? 0) * s.interval) / 1e9 });
    return lineDataset(n, points, seriesColour(i));
  });
  const kinds = [...new Set(model.loads.flatMap((l) => Object.keys(l.utilisation)))].sort();
  charts.utilisation.data.datasets = kinds.map((k, i) => lineDataset(k, model.loads.map((l) => ({ x: l.t, y: 100 * (l.utilisation[k] ?? 0) })), seriesColour(i)));
  const mode = document.getElementById('gantt-mode').value;
  const group = racksPerRow(Math.ceil(info.nodes / info.nodesPerRack));
  const { labels, rows } = ganttRows(model, { perRack: mode === 'racks', now: model.t, rack: mode.startsWith('rack-') ? Number(mode.slice(5)) : null, group });
  charts.gantt.data.labels = labels;
  charts.gantt.data.datasets = model.phaseNames.map((p, i) => ({ label: p, data: rows.map((r) => r[p] ?? null), backgroundColor: phaseColour(p, i), grouped: false, barPercentage: 0.9, categoryPercentage: 1 }));
  document.getElementById('gantt-note').textContent =
    mode === 'racks' ? `One row per ${group === 1 ? 'rack' : `${group} racks`}: each phase from its mean start to its mean end over their nodes. Pick a rack to see its nodes.` : 'One row per node: each phase from its start to its end (open phases end at the current time).';
  for (const name of ['states', 'phases', 'gantt', 'downloads', 'received', 'utilisation']) scheduleUpdate(charts[name]);
  const f = model.failures;
  document.getElementById('failure-count').textContent = String(f.length);
  document.getElementById('failures').innerHTML = f.slice(0, 500).map((x) => `<tr><td>${esc(model.nameOf(x.node))}</td><td class="num">${seconds(x.t)}</td><td>${esc(x.reason)}</td></tr>`).join('');
  showInfo();
}

/** Services as the servers table and chart show them: relays' services of a kind folded into one row, unused ones left out. */
function serverRows(services) {
  const rows = services.filter((s) => !s.name.startsWith('relay'));
  for (const kind of ['http', 'rsync', 'nfs']) {
    const relays = services.filter((s) => s.name.startsWith('relay') && s.kind === kind && s.served + s.refused > 0);
    if (relays.length === 0) continue;
    rows.push({
      name: `relay#.${kind} x${relays.length}`,
      kind,
      peak: Math.max(...relays.map((s) => s.peak)),
      limit: relays[0].limit,
      served: relays.reduce((a, s) => a + s.served, 0),
      refused: relays.reduce((a, s) => a + s.refused, 0),
    });
  }
  return rows;
}

async function showResult() {
  if (info.state !== 'finished') return;
  const result = await getJson(`/api/runs/${encodeURIComponent(runId)}/result`);
  const kinds = new Map();
  for (const l of result.links) {
    const kind = l.name.replace(/\d+/g, '#');
    const k = kinds.get(kind) ?? { max: 0, sum: 0, n: 0 };
    k.max = Math.max(k.max, l.peakUtilisation);
    k.sum += l.peakUtilisation;
    k.n++;
    kinds.set(kind, k);
  }
  const chart = window.dashboard.charts.links;
  chart.data.labels = [...kinds.keys()];
  chart.data.datasets = [
    { label: 'highest peak', data: [...kinds.values()].map((k) => k.max * 100), backgroundColor: seriesColour(3) },
    { label: 'mean peak', data: [...kinds.values()].map((k) => (k.sum / k.n) * 100), backgroundColor: seriesColour(0) },
  ];
  chart.update('none');
  const servers = serverRows(result.services);
  const bars = window.dashboard.charts.servers;
  bars.data.labels = servers.map((s) => s.name);
  bars.data.datasets = [
    { label: 'peak in service', data: servers.map((s) => s.peak), backgroundColor: seriesColour(1) },
    { label: 'limit', data: servers.map((s) => s.limit ?? null), backgroundColor: seriesColour(7) },
  ];
  bars.update('none');
  document.getElementById('services').innerHTML = servers
    .map((s) => `<tr><td>${esc(s.name)}</td><td class="num">${s.peak}</td><td class="num">${s.limit ?? '-'}</td><td class="num">${s.served}</td><td class="num">${s.refused}</td></tr>`)
    .join('');
}

/** Node names again, once a real run has nodes the page did not know (one request at a time). */
let naming = null;
function refreshNames() {
  naming ??= getJson(`/api/runs/${encodeURIComponent(runId)}/nodes`)
    .then((n) => {
      names = n.names;
      if (model) model.names = names;
    })
    .catch((e) => status(e.message, 'error'))
    .finally(() => (naming = null));
}

function connect(speed) {
  socket?.close();
  model = new LiveModel({ nodes: info.nodes, nodesPerRack: info.nodesPerRack, names });
  // What the stream did, for the browser tests: the run's state at hello, batches before the end.
  const stream = { mode: null, stateAtHello: null, batches: 0, ended: false };
  Object.assign(window.dashboard, { model, stream });
  makeCharts();
  const live = info.real ? 'live: following the real deployment\'s journal' : 'live: the twin is simulating';
  status(speed ? `replaying at ${speed}x` : info.state === 'running' ? live : 'loading the recorded run');
  socket = openEvents(runId, {
    speed,
    hello: (m) => {
      stream.mode = m.mode;
      stream.stateAtHello = m.run.state;
      info = m.run;
      showInfo();
    },
    events: (batch) => {
      stream.batches++;
      model.apply(batch);
      if (model.nodes > names.length) refreshNames();
      render();
    },
    end: async (run) => {
      info = run;
      render();
      status(`run ${run.state}${run.error ? `: ${run.error.message}` : ''}${speed ? ' (replay done)' : ''}`, run.state === 'failed' ? 'error' : 'ok');
      await showResult().catch((e) => status(e.message, 'error'));
      stream.ended = true;
    },
    error: (text) => status(text, 'error'),
  });
}

document.getElementById('stop').addEventListener('click', async () => {
  try {
    const answer = await control('DELETE', `/api/runs/${encodeURIComponent(runId)}`);
    info = answer.run;
    showInfo();
    status(answer.stopped ? 'run stopped' : `run already ${answer.run.state}`, 'ok');
  } catch (e) {
    status(`cannot stop: ${e.message}`, 'error');
  }
});
document.getElementById('replay').addEventListener('click', () => connect(Number(document.getElementById('speed').value) || 10));
document.getElementById('live').addEventListener('click', () => connect(null));

async function main() {
  if (!runId) {
    const { runs } = await getJson('/api/runs');
    if (runs.length === 0) return status('no run yet: start one on the Runs page', 'error');
    runId = runs[runs.length - 1].id;
  }
  info = await getJson(`/api/runs/${encodeURIComponent(runId)}`);
  names = (await getJson(`/api/runs/${encodeURIComponent(runId)}/nodes`)).names;
  document.getElementById('trace').href = `/api/runs/${encodeURIComponent(runId)}/trace`;
  document.getElementById('trace').download = `${runId}.trace.json`;
  ganttMode();
  addPngButtons(runId);
  const speed = Number(param('speed')) || null;
  connect(speed);
}

main().catch((e) => status(e.message, 'error'));
