/**
 * The status endpoint over real HTTP on 127.0.0.1: what a node may send, what it gets back, and
 * that the NodeEvents side and the journal see exactly the accepted reports.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, Journal, JournalEntry } from '../../../src/ports/index.ts';
import { WallClock } from '../../../src/real/clock.ts';
import { StatusServer } from '../../../src/real/events/status-server.ts';
import { newDeploymentToken } from '../../../src/real/events/token.ts';
import { MemoryJournal } from '../../../src/twin/ports/memory-journal.ts';

const token = newDeploymentToken();
const wall = new WallClock();
/** Arrival times the test sets; waits still run on the wall clock. */
const clock: Clock & { t: number } = { t: 1000, now() { return this.t; }, sleep: (s, signal) => wall.sleep(s, signal) };

/** A journal that can be told to fail or to be slow, around the twin's in-memory one. */
class TestJournal implements Journal {
  readonly inner = new MemoryJournal(clock);
  failing = false;
  delay = 0;
  async append(entry: Parameters<Journal['append']>[0]): Promise<JournalEntry> {
    if (this.delay > 0) await wall.sleep(this.delay);
    if (this.failing) throw new Error('disk full');
    return this.inner.append(entry);
  }
  entries(after?: number): Promise<JournalEntry[]> {
    return this.inner.entries(after);
  }
}

let journal = new TestJournal();
const server = await StatusServer.start({ token, nodes: 'cn[001-004],login1', clock, journal: { append: (e) => journal.append(e), entries: (a) => journal.entries(a) } });
afterAll(() => server.close());
beforeEach(() => {
  journal = new TestJournal();
  for (const n of ['cn001', 'cn002', 'cn003', 'cn004', 'login1']) server.forget(n);
});

const get = (query: string) => fetch(`${server.url}/status?${query}`);
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/status`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

const hardware = { cpus: 68, memoryBytes: 103079215104, disks: [{ name: 'sda', bytes: 480103981056 }], gpus: [], pciDevices: ['8086:24f0'], macs: ['52:54:00:00:00:01'] };

describe('status endpoint: accepted reports', () => {
  it('takes a GET report, stamps its arrival time, journals it, then delivers it', async () => {
    clock.t = 1234.5;
    const res = await get(`node=cn001&phase=kernel&boot=3&token=${token}`);
    expect([res.status, await res.json()]).toEqual([200, { accepted: true, repeat: false }]);
    const report = await server.waitFor('cn001', 'kernel', { since: 0, timeout: 1 });
    expect(report).toEqual({ node: 'cn001', phase: 'kernel', at: 1234.5, boot: 3 });
    expect(await journal.entries()).toEqual([{ seq: 1, at: 1234.5, type: 'phase.report', node: 'cn001', data: { phase: 'kernel', boot: 3 } }]);
  });

  it('builds the URL a boot script completes with the phase name', async () => {
    const prefix = server.statusUrl('cn002', 7);
    expect(prefix).toBe(`${server.url}/status?node=cn002&boot=7&token=${token}&phase=`);
    expect((await fetch(`${prefix}initrd`)).status).toBe(200);
    expect(server.history('cn002')).toEqual([{ node: 'cn002', phase: 'initrd', at: clock.t, boot: 7 }]);
  });

  it('takes a POST report with a hardware report, token in the body or as a bearer header', async () => {
    expect((await post({ node: 'cn001', phase: 'booted', boot: 1, token, hardware })).status).toBe(200);
    expect((await post({ node: 'cn002', phase: 'failed', boot: 1, detail: 'mount: no such device' }, { authorization: `Bearer ${token}` })).status).toBe(200);
    // Whatever Content-Type the node's tool sends (busybox wget --post-data: form-urlencoded).
    expect((await post({ node: 'cn003', phase: 'dhcp', token }, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    expect((await server.waitFor('cn001', 'booted', { since: 0, timeout: 1 })).hardware).toEqual(hardware);
    expect(await server.waitFor('cn002', 'booted', { since: 0, timeout: 1 })).toMatchObject({ phase: 'failed', detail: 'mount: no such device' });
    expect((await journal.entries())[0].data).toEqual({ phase: 'booted', boot: 1, hardware });
  });

  it('answers a repeat (same node, phase, boot) with 200 and delivers and journals it once', async () => {
    const before = server.counters.repeats;
    for (let i = 0; i < 3; i++) expect(await (await get(`node=cn001&phase=dhcp&boot=1&token=${token}`)).json()).toEqual({ accepted: i === 0, repeat: i > 0 });
    expect((await get(`node=cn001&phase=dhcp&boot=2&token=${token}`)).status).toBe(200); // a new boot is news
    expect(server.history('cn001').map((r) => r.boot)).toEqual([1, 2]);
    expect((await journal.entries()).length).toBe(2);
    expect(server.counters.repeats - before).toBe(2);
  });

  it('takes one of several identical reports arriving together, even while the journal is slow', async () => {
    journal.delay = 0.05;
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(`node=cn004&phase=rootfs&boot=1&token=${token}`).then((r) => r.json())));
    expect(answers.filter((a) => (a as { accepted: boolean }).accepted)).toHaveLength(1);
    expect((await journal.entries()).length).toBe(1);
    expect(server.history('cn004')).toHaveLength(1);
  });

  it('asks the node to retry (503, Retry-After) when the journal fails, and delivers nothing', async () => {
    journal.failing = true;
    const res = await get(`node=cn003&phase=mounted&boot=1&token=${token}`);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await errorOf(res)).toMatchObject({ status: 503, code: 'DT_STATUS_JOURNAL_FAILED' });
    expect(server.history('cn003')).toEqual([]);
    journal.failing = false;
    expect((await get(`node=cn003&phase=mounted&boot=1&token=${token}`)).status).toBe(200);
    expect(server.history('cn003')).toHaveLength(1);
  });
});

describe('status endpoint: refused requests', () => {
  it('answers 401 without the right token, telling nothing else', async () => {
    for (const res of [
      await get('node=cn001&phase=dhcp'),
      await get('node=cn001&phase=dhcp&token=wrong'),
      await get(`node=nobody&phase=nothing&token=${token}x`),
      await post({ node: 'cn001', phase: 'dhcp' }),
      await post({ node: 'cn001', phase: 'dhcp' }, { authorization: 'Bearer nope' }),
    ]) {
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(await errorOf(res)).toMatchObject({ status: 401, code: 'DT_STATUS_UNAUTHORIZED' });
    }
    expect(server.history('cn001')).toEqual([]);
  });

  it('answers 400 with a clear message for an unknown node or phase and bad fields', async () => {
    const cases: Array<[Promise<Response>, string, string]> = [
      [get(`node=cn999&phase=dhcp&token=${token}`), 'DT_STATUS_UNKNOWN_NODE', 'unknown node "cn999"'],
      [get(`node=cn001&phase=reboot&token=${token}`), 'DT_STATUS_UNKNOWN_PHASE', 'unknown phase "reboot": expected one of dhcp, bootloader, kernel, initrd, rootfs, mounted, booted, failed'],
      [get(`node=cn001&token=${token}`), 'DT_STATUS_BAD_REQUEST', '"phase" is required'],
      [get(`phase=dhcp&token=${token}`), 'DT_STATUS_BAD_REQUEST', '"node" is required'],
      [get(`node=cn001&phase=dhcp&boot=-1&token=${token}`), 'DT_STATUS_BAD_REQUEST', '"boot" must be a whole number'],
      [get(`node=cn001&phase=dhcp&phase=kernel&token=${token}`), 'DT_STATUS_BAD_REQUEST', '"phase" is given more than once'],
      [get(`node=cn001&phase=dhcp&colour=red&token=${token}`), 'DT_STATUS_BAD_REQUEST', 'unknown query parameter "colour"'],
      [post(`{"node":"cn001","phase":`, { authorization: `Bearer ${token}` }), 'DT_STATUS_BAD_JSON', 'not JSON'],
      [post({ node: 'cn001', phase: 'booted', token, boot: '1' }), 'DT_STATUS_BAD_REQUEST', 'boot must be integer'],
      [post({ node: 'cn001', phase: 'booted', token, hardware: { ...hardware, macs: ['zz'] } }), 'DT_STATUS_BAD_REQUEST', 'hardware.macs.0 must match pattern'],
      [post({ node: 'cn001', phase: 'booted', token, hardware: { cpus: 1 } }), 'DT_STATUS_BAD_REQUEST', "hardware must have required property 'memoryBytes'"],
      [post({ node: 'cn001', phase: 'booted', token, colour: 'red' }), 'DT_STATUS_BAD_REQUEST', 'must NOT have additional properties ("colour")'],
      [post({ node: 'login2', phase: 'booted', token }), 'DT_STATUS_UNKNOWN_NODE', 'unknown node "login2"'],
    ];
    for (const [res, code, words] of cases) {
      const e = await errorOf(await res);
      expect(e).toMatchObject({ status: 400, code });
      expect(e.message).toContain(words);
    }
    expect(await journal.entries()).toEqual([]);
  });

  it('answers 413 for a body over the limit and 404 elsewhere, in the same error shape', async () => {
    expect(await errorOf(await post({ node: 'cn001', phase: 'booted', token, detail: 'x'.repeat(2 * 1024 * 1024) }))).toMatchObject({ status: 413, code: 'DT_STATUS_BODY_TOO_LARGE' });
    expect(await errorOf(await fetch(`${server.url}/status/extra`))).toMatchObject({ status: 404 });
  });

  it('refuses to start with a weak token', async () => {
    await expect(StatusServer.start({ token: 'short', nodes: [] })).rejects.toMatchObject({ code: 'DT_STATUS_WEAK_TOKEN' });
    await expect(StatusServer.start({ token: 'has spaces and is long enough', nodes: [] })).rejects.toMatchObject({ code: 'DT_STATUS_WEAK_TOKEN' });
  });
});
