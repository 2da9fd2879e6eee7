// The runs page: start a twin run of a scenario (with the plan's knobs overridden), list runs,
// open their dashboards, stop them.
import { control, getJson, seconds, status } from './lib/api.js';
import { esc, pageHeader } from './lib/page.js';

pageHeader('runs');

async function loadScenarios() {
  const { scenarios } = await getJson('/api/scenarios');
  const select = document.getElementById('scenario');
  select.innerHTML = scenarios.map((s) => `<option${s === 'kiera-nurion-169' ? ' selected' : ''}>${esc(s)}</option>`).join('');
}

function overridesText(run) {
  if (run.real) return run.real.note ?? 'real deployment (read-only)';
  return [...Object.entries(run.overrides).filter(([k]) => k !== 'seed'), ['seed', run.seed]].map(([k, v]) => `${k}=${v}`).join(' ');
}

async function refresh() {
  const { runs } = await getJson('/api/runs');
  document.getElementById('runs').innerHTML = runs
    .slice()
    .reverse()
    .map((r) => {
      const id = encodeURIComponent(r.id);
      const views = `<a href="live.html?run=${id}">live</a> · <a href="figures.html?run=${id}">figures</a> · <a href="compare.html?a=${id}">compare</a> · <a href="/api/runs/${id}/trace" download="${id}.trace.json">trace</a>`;
      const stop = r.state === 'running' && !r.real ? `<button class="danger" data-stop="${esc(r.id)}">stop</button>` : '';
      return `<tr><td>${esc(r.id)}</td><td>${esc(r.scenario)}</td><td>${esc(overridesText(r))}</td>
        <td><span class="badge ${r.state}">${r.state}</span></td><td class="num">${r.nodes}</td><td class="num">${r.progress.deployed}</td>
        <td class="num">${r.progress.failed}</td><td class="num">${r.summary ? seconds(r.summary.makespan) : '-'}</td><td>${views}</td><td>${stop}</td></tr>`;
    })
    .join('');
  return runs;
}

document.getElementById('runs').addEventListener('click', async (e) => {
  const id = e.target.dataset?.stop;
  if (!id) return;
  try {
    await control('DELETE', `/api/runs/${encodeURIComponent(id)}`);
    status(`${id} stopped`, 'ok');
  } catch (err) {
    status(`cannot stop ${id}: ${err.message}`, 'error');
  }
  await refresh();
});

document.getElementById('start').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.target;
  const overrides = {};
  if (form.wave.value) overrides.wave = Number(form.wave.value);
  if (form.relays.value !== '') overrides.relays = Number(form.relays.value);
  if (form.seed.value) overrides.seed = form.seed.value;
  try {
    status('starting...');
    const body = { scenario: form.scenario.value, overrides };
    // Held to a pace the run can be watched live; without one a 169-node twin ends in a second.
    if (form.pace.value) body.pace = Number(form.pace.value);
    const run = await control('POST', '/api/runs', body);
    location.href = `live.html?run=${encodeURIComponent(run.id)}`;
  } catch (err) {
    status(`cannot start: ${err.message}`, 'error');
  }
});

await loadScenarios();
await refresh();
status('ready');
setInterval(() => refresh().catch((err) => status(err.message, 'error')), 2000);
