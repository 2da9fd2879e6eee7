/**
 * A real deployment (`serve --real`) in headless Chromium: the live page follows its journal
 * while it is written (state counts, per-node timeline, failures), the figures page draws the
 * KiERA figures from its phase reports, and the compare page sets a twin run against it; no
 * console error on any. The store is written as `real deploy` writes it (test/server/real-journal.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealRun } from '../../src/server/real-run.ts';
import type { Run } from '../../src/server/run.ts';
import { deployNode, failNode, fakeSite, phaseSeconds, type FakeSite } from '../server/real-journal.ts';
import { ended, testServer } from '../server/server-helpers.ts';
import { launch, watchedPage, type Browser } from './browser.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../.cache/screenshots/', import.meta.url));
const NAMES = ['cn1', 'cn2', 'cn3', 'cn4'];

interface Point {
  x: number;
  y: number;
}
type Dashboard = {
  dashboard?: {
    stream?: { mode: string; stateAtHello: string; batches: number; ended: boolean };
    model?: { counts: Record<string, number> };
    charts: Record<string, { data: { labels?: unknown[]; datasets: Array<{ label: string; data: unknown[] }> } }>;
  };
};

let server: Awaited<ReturnType<typeof testServer>>;
let browser: Browser;
let dir: string;
let site: FakeSite;
let real: RealRun;
let twin: Run;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'deploytwin-real-pages-'));
  server = await testServer({ warmWorker: false });
  browser = await launch();
  twin = await server.registry.start('dash-small', {});
  await ended(twin);
  site = await fakeSite(dir, NAMES);
  await deployNode(site, 'cn1', 0, 4);
  real = server.registry.follow(site.file, { pollMs: 50, quietSeconds: 0.5 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

function chart(page: Page, name: string) {
  return page.evaluate((n) => {
    const c = (window as unknown as Dashboard).dashboard!.charts[n];
    return JSON.parse(JSON.stringify({ labels: c.data.labels ?? [], datasets: c.data.datasets.map((d) => ({ label: d.label, data: d.data })) })) as { labels: unknown[]; datasets: Array<{ label: string; data: unknown[] }> };
  }, name);
}

const open = async (path: string) => {
  const w = await watchedPage(browser.context);
  await w.page.goto(`${server.url}/${path}`);
  return w;
};

describe('a real deployment in the dashboards', () => {
  it('live page: follows the journal as nodes deploy and one fails, then ends with the run', async () => {
    const { page, errors } = await open(`live.html?run=${real.id}`);
    await page.waitForFunction(() => (window as unknown as Dashboard).dashboard?.model?.counts.deployed === 1, null, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as Dashboard).dashboard!.stream!.stateAtHello)).toBe('running');
    expect(await page.locator('#stop').isDisabled()).toBe(true);
    await deployNode(site, 'cn2', 1, 4);
    // The page shows cn2 deployed before the rest is written: it is following, not loading at the end.
    await page.waitForFunction(() => (window as unknown as Dashboard).dashboard?.model?.counts.deployed === 2, null, { timeout: 30_000 });
    await failNode(site, 'cn3', 4);
    await deployNode(site, 'cn4', 3, 4);
    await page.waitForFunction(() => (window as unknown as Dashboard).dashboard?.stream?.ended === true, null, { timeout: 30_000 });
    expect(real.state).toBe('finished');

    const states = await chart(page, 'states');
    const last = (label: string) => (states.datasets.find((d) => d.label === label)!.data as Point[]).at(-1)!.y;
    expect([last('deployed'), last('failed'), last('pending')]).toEqual([3, 1, 0]);
    const gantt = await chart(page, 'gantt');
    expect(gantt.labels).toEqual(NAMES);
    const initrd = gantt.datasets.find((d) => d.label === 'initrd')!.data as Array<[number, number] | null>;
    const records = real.finished.records;
    const at = (node: number, phase: string) => {
      const i = Array.from(records.node).findIndex((n, k) => n === node && records.phases[records.phase[k]] === phase);
      return [records.start[i], records.end[i]];
    };
    expect(initrd[3]).toEqual(at(3, 'initrd'));
    expect(initrd[3]![1] - initrd[3]![0]).toBe(phaseSeconds(3).initrd);
    expect(gantt.datasets.map((d) => d.label)).toEqual(expect.arrayContaining(['dhcp', 'kernel', 'rootfs', 'mounted', 'booted', 'initrd:failed']));
    expect(await page.locator('#failures tr').count()).toBe(1);
    expect(await page.locator('#failures tr td').first().textContent()).toBe('cn3');
    expect(await page.locator('#failures').textContent()).toContain('initrd: checksum mismatch');
    await page.screenshot({ path: `${SCREENSHOTS}real-live.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('figures page: initrd, rootfs and deployment time per node from the nodes\' reports', async () => {
    const { page, errors } = await open(`figures.html?run=${real.id}`);
    await page.waitForFunction(() => document.querySelector('#status')?.classList.contains('ok'), null, { timeout: 30_000 });
    const deployed = [0, 1, 3];
    const initrd = (await chart(page, 'initrd')).datasets[0].data as Point[];
    expect(initrd).toEqual(deployed.map((n) => ({ x: n, y: phaseSeconds(n).initrd })));
    const rootfs = (await chart(page, 'rootfs')).datasets[0].data as Point[];
    expect(rootfs).toEqual(deployed.map((n) => ({ x: n, y: phaseSeconds(n).rootfs })));
    const deployment = (await chart(page, 'deployment')).datasets[0].data as Point[];
    expect(deployment).toEqual(deployed.map((n) => ({ x: n, y: phaseSeconds(n).initrd + phaseSeconds(n).rootfs })));
    expect((await chart(page, 'cdf')).datasets[0].data.at(-1)).toEqual({ x: real.info().summary!.makespan - 0.5, y: 1 });
    expect(await page.locator('#run-info').textContent()).toContain('1 failed');
    await page.screenshot({ path: `${SCREENSHOTS}real-figures.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('compare page: a twin run against the real one on the same axes', async () => {
    const { page, errors } = await open(`compare.html?a=${twin.id}&b=${real.id}`);
    await page.waitForFunction(() => document.querySelector('#status')?.classList.contains('ok'), null, { timeout: 30_000 });
    const rootfs = await chart(page, 'rootfs');
    expect(rootfs.datasets.map((d) => d.label)).toEqual([expect.stringContaining(`A: dash-small ${twin.id}`), expect.stringContaining(`${real.id} (measured)`)]);
    expect(rootfs.datasets[0].data).toHaveLength(12);
    expect((rootfs.datasets[1].data as Point[]).map((p) => p.y)).toEqual([0, 1, 3].map((n) => phaseSeconds(n).rootfs));
    expect(errors).toEqual([]);
  });
});
