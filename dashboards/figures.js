// The figures page: KiERA's three per-node figures and the completion-time CDF of one run.
import { getJson, param, seconds, status } from './lib/api.js';
import { addPngButtons } from './lib/charts.js';
import { drawFigures } from './lib/figure-charts.js';
import { esc, pageHeader } from './lib/page.js';

pageHeader('figures');

async function show(runId) {
  status(`loading ${runId}...`);
  const result = await getJson(`/api/runs/${encodeURIComponent(runId)}/result`);
  const label = result.real ? `${result.scenario} (${runId}, measured)` : `${result.scenario} (${runId}, seed ${result.seed})`;
  const [computed] = drawFigures([{ label, records: result.records }]);
  document.getElementById('run-info').innerHTML = `<span>${result.nodes} nodes</span><span>makespan <b>${seconds(result.makespan)}</b></span>
    <span>${computed.initrd.length} initrd, ${computed.rootfs.length} rootfs downloads</span><span>${result.failures.length} failed</span>`;
  status(computed.initrd.length === 0 ? `${esc(result.scenario)} has no initrd/rootfs phases: only the CDF applies` : 'ready', 'ok');
}

async function main() {
  const { runs } = await getJson('/api/runs');
  // A real run's figures grow as its nodes report: it is listed while it runs.
  const finished = runs.filter((r) => r.state === 'finished' || r.real);
  const select = document.getElementById('run');
  select.innerHTML = finished.map((r) => `<option value="${esc(r.id)}">${esc(r.id)}: ${esc(r.scenario)}${r.real ? ` (${r.state})` : ` seed ${esc(r.seed)}`}</option>`).join('');
  const runId = param('run') ?? finished[finished.length - 1]?.id;
  if (!runId) return status('no finished run yet: start one on the Runs page', 'error');
  select.value = runId;
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?run=${encodeURIComponent(select.value)}`);
    show(select.value).catch((e) => status(e.message, 'error'));
  });
  addPngButtons(runId);
  await show(runId);
}

main().catch((e) => status(e.message, 'error'));
