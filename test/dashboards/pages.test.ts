/**
 * The dashboards in a real browser (headless Chromium): each page loads with no console error and
 * draws its charts from real twin runs (the chart data is checked against the runs' results), the
 * live page updates over the WebSocket while the twin simulates, and a control request without
 * the token is refused. One screenshot per page goes to .cache/screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/server/run.ts';
import { toCsv } from '../../src/twin/report.ts';
import { ended, testServer } from '../server/server-helpers.ts';
import { inkOf, launch, watchedPage, type Browser } from './browser.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../.cache/screenshots/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

interface ChartData {
  labels: unknown[];
  datasets: Array<{ label: string; data: unknown[] }>;
}
interface Point {
  x: number;
  y: number;
}

let server: Awaited<ReturnType<typeof testServer>>;
let browser: Browser;
let base: Run;
let wave100: Run;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await testServer({ sweepsDir: FIXTURES });
  browser = await launch();
  base = await server.registry.start('kiera-nurion-169', {});
  await ended(base);
  wave100 = await server.registry.start('kiera-nurion-169', { wave: 100 });
  await ended(wave100);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function chart(page: Page, name: string): Promise<ChartData> {
  return page.evaluate((n) => {
    const c = (window as unknown as { dashboard: { charts: Record<string, { data: ChartData }> } }).dashboard.charts[n];
    return JSON.parse(JSON.stringify({ labels: c.data.labels ?? [], datasets: c.data.datasets.map((d) => ({ label: d.label, data: d.data })) }));
  }, name);
}

async function open(path: string, withToken = true) {
  const w = await watchedPage(browser.context);
  await w.page.goto(`${server.url}/${path}${withToken ? `#token=${server.token}` : ''}`);
  return w;
}

const statusIsOk = (page: Page) => page.waitForFunction(() => document.querySelector('#status')?.classList.contains('ok'), null, { timeout: 60_000 });

/** initrd, rootfs, deployment (rootfs end - initrd start) and completion of every node, from a result. */
function expectedFigures(run: Run) {
  const records = run.result!.records;
  const phase = (p: string) => records.filter((r) => r.phase === p).map((r) => ({ x: r.node, y: r.end - r.start })).sort((a, b) => a.x - b.x);
  const initrdStart = new Map(records.filter((r) => r.phase === 'initrd').map((r) => [r.node, r.start]));
  const deployment = records.filter((r) => r.phase === 'rootfs').map((r) => ({ x: r.node, y: r.end - initrdStart.get(r.node)! }));
  return { initrd: phase('initrd'), rootfs: phase('rootfs'), deployment };
}

describe('dashboards in Chromium', () => {
  it('runs page: lists the runs and scenarios; starting a run opens its live page, which updates over the WebSocket as the twin simulates', async () => {
    const { page, errors } = await open('index.html');
    await page.waitForFunction(() => document.querySelectorAll('#runs tr').length >= 2);
    expect(await page.locator('#scenario option').count()).toBeGreaterThan(10);
    await page.screenshot({ path: `${SCREENSHOTS}runs.png`, fullPage: true });
    await page.selectOption('#scenario', 'kiera-nurion-169');
    await page.fill('#wave', '120');
    // ~900 simulated seconds at 100 s/s (~9 s): the page connects while the twin is still simulating.
    await page.fill('#pace', '100');
    await page.click('#start button[type=submit]');
    await page.waitForURL(/live\.html\?run=run-\d+/);
    await page.waitForFunction(() => (window as unknown as { dashboard?: { stream?: { ended: boolean } } }).dashboard?.stream?.ended === true, null, { timeout: 120_000 });
    const stream = await page.evaluate(() => (window as unknown as { dashboard: { stream: unknown } }).dashboard.stream);
    // Connected while the twin was simulating, and got several batches before the end.
    expect(stream).toMatchObject({ mode: 'live', stateAtHello: 'running', ended: true });
    expect((stream as { batches: number }).batches).toBeGreaterThan(2);
    const states = await chart(page, 'states');
    const deployed = states.datasets.find((d) => d.label === 'deployed')!.data as Point[];
    expect(deployed[deployed.length - 1].y).toBe(169);
    // The count rose in steps over simulated time, not all at once at the end.
    expect(new Set(deployed.map((p) => p.y)).size).toBeGreaterThan(10);
    const id = new URL(page.url()).searchParams.get('run')!;
    expect(server.registry.get(id)!.spec.names).toHaveLength(169);
    expect(server.registry.get(id)!.spec.overrides).toEqual({ wave: 120 });
    expect(server.registry.get(id)!.spec.pace).toBe(100);
    expect(errors).toEqual([]);
  });

  it('live page of a finished run: nodes by state and phase, timeline, downloads and data per network, link and server utilisation', async () => {
    const { page, errors } = await open(`live.html?run=${base.id}`);
    await page.waitForFunction(() => (window as unknown as { dashboard?: { stream?: { ended: boolean } } }).dashboard?.stream?.ended === true, null, { timeout: 60_000 });
    const phases = await chart(page, 'phases');
    expect(phases.datasets.map((d) => d.label)).toEqual(expect.arrayContaining(['post', 'initrd', 'rootfs']));
    for (const d of phases.datasets) expect(d.data).toHaveLength(201);
    const gantt = await chart(page, 'gantt');
    expect(gantt.labels).toHaveLength(169);
    expect(gantt.labels[0]).toBe('node001');
    const initrd = gantt.datasets.find((d) => d.label === 'initrd')!.data as Array<[number, number]>;
    const rec = base.result!.records.find((r) => r.node === 0 && r.phase === 'initrd')!;
    expect(initrd[0]).toEqual([rec.start, rec.end]);
    const downloads = await chart(page, 'downloads');
    expect(downloads.datasets.map((d) => d.label).sort()).toEqual(['ethernet', 'opa']);
    expect(Math.max(...(downloads.datasets.find((d) => d.label === 'opa')!.data as Point[]).map((p) => p.y))).toBeGreaterThan(10);
    // Data received ends at every byte downloaded: 169 rootfs images of 2 GB on OPA.
    const received = (await chart(page, 'received')).datasets.find((d) => d.label === 'opa')!.data as Point[];
    expect(received[received.length - 1].y).toBeCloseTo(169 * 2, 6);
    // Measured in the twin: the rootfs downloads load the OPA server NIC (7.2 Gb/s) past half at some point.
    const utilisation = await chart(page, 'utilisation');
    const opaNic = utilisation.datasets.find((d) => d.label === 'opa.server.nic:up')?.data as Point[];
    expect(utilisation.datasets.map((d) => d.label)).toContain('opa.server.nic:up');
    expect(Math.max(...opaNic.map((p) => p.y))).toBeGreaterThan(50);
    expect(Math.max(...opaNic.map((p) => p.y))).toBeLessThanOrEqual(100 + 1e-6);
    const links = await chart(page, 'links');
    expect(links.labels.length).toBeGreaterThan(3);
    expect(links.datasets[0].data.every((v) => typeof v === 'number' && v >= 0 && v <= 100)).toBe(true);
    expect(await page.locator('#services tr').count()).toBe(base.result!.services.length);
    const servers = await chart(page, 'servers');
    expect(servers.labels).toEqual(base.result!.services.map((x) => x.name));
    expect(servers.datasets[0].data).toEqual(base.result!.services.map((x) => x.peak));
    for (const name of ['states', 'phases', 'gantt', 'downloads', 'received', 'links', 'servers']) expect(await inkOf(page, name), name).toBeGreaterThan(2000);
    // Per rack: 13 rows.
    await page.selectOption('#gantt-mode', 'racks');
    await page.waitForFunction(() => (window as unknown as { dashboard: { charts: { gantt: { data: { labels: unknown[] } } } } }).dashboard.charts.gantt.data.labels.length === 13);
    // Export: the trace link downloads the Chrome trace of the run.
    const [trace] = await Promise.all([page.waitForEvent('download'), page.click('#trace')]);
    expect(trace.suggestedFilename()).toBe(`${base.id}.trace.json`);
    const traceJson = JSON.parse(readFileSync((await trace.path())!, 'utf8')) as { traceEvents: Array<{ ph: string }> };
    expect(traceJson.traceEvents.filter((e) => e.ph === 'X')).toHaveLength(base.result!.records.length);
    await page.selectOption('#gantt-mode', 'nodes');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}live.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('live page replays a finished run at a speed factor', async () => {
    const { page, errors } = await open(`live.html?run=${base.id}&speed=20000`);
    await page.waitForFunction(() => (window as unknown as { dashboard?: { stream?: { ended: boolean } } }).dashboard?.stream?.ended === true, null, { timeout: 60_000 });
    const stream = await page.evaluate(() => (window as unknown as { dashboard: { stream: { mode: string; batches: number }; model: { events: number } } }).dashboard);
    expect(stream.stream.mode).toBe('replay');
    expect(stream.model.events).toBe(base.events.length);
    expect(errors).toEqual([]);
  });

  it('figures page: KiERA Fig. 3, 4, 5 per node and the completion CDF, equal to the run\'s records', async () => {
    const { page, errors } = await open(`figures.html?run=${base.id}`);
    await statusIsOk(page);
    const expected = expectedFigures(base);
    for (const name of ['initrd', 'rootfs', 'deployment'] as const) {
      const c = await chart(page, name);
      expect(c.datasets).toHaveLength(1);
      expect(c.datasets[0].data).toHaveLength(169);
      const got = c.datasets[0].data as Point[];
      got.forEach((p, i) => {
        expect(p.x).toBe(expected[name][i].x);
        expect(p.y).toBeCloseTo(expected[name][i].y, 9);
      });
      expect(await inkOf(page, name)).toBeGreaterThan(2000);
    }
    const cdf = (await chart(page, 'cdf')).datasets[0].data as Point[];
    expect(cdf[cdf.length - 1]).toEqual({ x: base.result!.makespan, y: 1 });
    // Export: each figure's PNG button saves it as a PNG file.
    expect(await page.locator('button.png').count()).toBe(4);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button.png').first().click()]);
    expect(download.suggestedFilename()).toBe(`${base.id}-initrd.png`);
    const png = readFileSync((await download.path())!);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(5000);
    await page.screenshot({ path: `${SCREENSHOTS}figures.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('compare page: two runs on the same axes, then a run against an uploaded CSV and journal', async () => {
    const { page, errors } = await open(`compare.html?a=${base.id}&b=${wave100.id}`);
    await statusIsOk(page);
    for (const name of ['initrd', 'rootfs', 'deployment', 'cdf']) {
      const c = await chart(page, name);
      expect(c.datasets.map((d) => d.label)).toEqual([expect.stringContaining(`A: kiera-nurion-169 ${base.id}`), expect.stringContaining(`B: kiera-nurion-169 ${wave100.id}`)]);
      if (name === 'cdf') expect((c.datasets[1].data as Point[]).at(-1)).toEqual({ x: wave100.result!.makespan, y: 1 });
      else expect(c.datasets[1].data).toHaveLength(169);
    }
    const rootfsB = (await chart(page, 'rootfs')).datasets[1].data as Point[];
    expect(rootfsB.map((p) => p.y)).toEqual(expectedFigures(wave100).rootfs.map((p) => p.y));
    await page.screenshot({ path: `${SCREENSHOTS}compare.png`, fullPage: true });

    // B from a `simulate --csv` file: the same points as the run it was written from.
    await page.setInputFiles('#upload', { name: 'wave100.csv', mimeType: 'text/csv', buffer: Buffer.from(toCsv(wave100.result!)) });
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('wave100.csv'));
    const fromCsv = (await chart(page, 'rootfs')).datasets[1];
    expect(fromCsv.label).toBe('B: wave100.csv');
    expect(fromCsv.data).toEqual(rootfsB);

    // B from a twin journal: no phase reports, so only the completion CDF (power-on to deployed).
    const journal = base.journal.map((e) => JSON.stringify(e) + '\n').join('');
    await page.setInputFiles('#upload', { name: 'run.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(journal) });
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('run.jsonl'));
    expect((await chart(page, 'initrd')).datasets[1].data).toHaveLength(0);
    const cdfB = (await chart(page, 'cdf')).datasets[1].data as Point[];
    expect(cdfB[cdfB.length - 1].y).toBe(1);
    const lastDeployed = Math.max(...base.journal.filter((e) => e.type === 'node.state' && (e.data as { state: string }).state === 'deployed').map((e) => e.at));
    expect(cdfB[cdfB.length - 1].x).toBe(lastDeployed);
    expect(errors).toEqual([]);
  });

  it('sweep page: heatmap of the fixture with the recommended point marked, makespan against the lower bound, best points', async () => {
    const { page, errors } = await open('sweep.html?name=sweep-kiera');
    await statusIsOk(page);
    const cells = await page.evaluate(
      () => (window as unknown as { dashboard: { charts: { heatmap: { options: { plugins: { heatmap: { cells: Array<{ value: number; row: { point: number } }> } } } } } } }).dashboard.charts.heatmap.options.plugins.heatmap.cells.map((c) => [c.row.point, c.value]),
    );
    expect(cells).toHaveLength(9);
    const heatmap = await chart(page, 'heatmap');
    // Recommended: the fixture's best point by `deploytwin sweep`'s order, point 3 (relays 0, wave 169).
    expect(heatmap.datasets[1].label).toBe('recommended: wave=169, relays=0');
    const bound = await chart(page, 'bound');
    expect(bound.datasets.filter((d) => d.label.endsWith('lower bound'))).toHaveLength(3);
    const lb = bound.datasets.find((d) => d.label === 'relays=0: lower bound')!.data as Point[];
    expect(lb.map((p) => p.y)).toEqual([653.5629447900695, 653.5629447900695, 653.5629447900695]);
    expect(await page.locator('#best tr').count()).toBe(9);
    expect(await page.locator('#best tr').first().textContent()).toMatch(/^3 ★/);
    for (const name of ['heatmap', 'bound']) expect(await inkOf(page, name)).toBeGreaterThan(2000);
    await page.screenshot({ path: `${SCREENSHOTS}sweep.png`, fullPage: true });
    expect(errors).toEqual([]);
    // A file that is not a sweep is refused with a message, not drawn.
    await page.setInputFiles('#upload', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ rows: [{ parameters: { wave: 1 }, makespan: { mean: 1 } }] })) });
    await page.waitForFunction(() => document.querySelector('#status')?.classList.contains('error'));
    expect(await page.textContent('#status')).toMatch(/bad\.json: sweep row 1: "makespan\.p50" must be a number/);
  });

  it('a control request without the token is refused, and the page says so', async () => {
    const long = await server.registry.start('kiera-13000', {});
    try {
      const { page, errors } = await open(`live.html?run=${long.id}`, false);
      await page.waitForFunction(() => (window as unknown as { dashboard?: { stream?: { stateAtHello: string | null } } }).dashboard?.stream?.stateAtHello === 'running');
      await page.click('#stop');
      await page.waitForFunction(() => document.querySelector('#status')?.classList.contains('error'));
      expect(await page.textContent('#status')).toMatch(/cannot stop.*DT_SERVER_UNAUTHORIZED/);
      expect(long.state).toBe('running');
      // The browser logs the refused request (401) as a console error: the only one.
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/401/);
      // With the token typed in, the same button stops the run.
      await page.fill('#token', server.token);
      await page.press('#token', 'Enter');
      await page.click('#stop');
      await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'run stopped');
      expect(long.state).toBe('stopped');
    } finally {
      await long.stop();
    }
  });
});
