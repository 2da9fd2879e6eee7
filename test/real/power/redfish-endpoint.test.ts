/**
 * RedfishPower against the twin's Redfish endpoint over real HTTP on 127.0.0.1: every Power
 * operation reaches the BMC model, sessions and basic auth, auth failure, lost commands as a
 * retryable timeout, a 400 with the service's extended info, and per-system serialisation.
 * The endpoint runs the model 100 times faster than real time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployTwinError, ErrorCodes } from '../../../src/errors.ts';
import { constant } from '../../../src/models/sampler.ts';
import { RedfishPower, type RedfishTarget } from '../../../src/real/power/redfish-power.ts';
import { startRedfishEndpoint, type RedfishEndpoint } from '../../../src/twin/redfish/redfish-endpoint.ts';

const account = { user: 'operator', password: 'R3dfish-pass' };
let bmc: RedfishEndpoint;
const open: Array<{ close(): Promise<void> }> = [];

async function failure(p: Promise<unknown>): Promise<DeployTwinError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeployTwinError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

function client(base: RedfishEndpoint, change: Partial<RedfishTarget> = {}, timeout = 2): RedfishPower {
  const power = new RedfishPower((node) => (node.startsWith('ghost') ? undefined : { url: base.url, ...account, systemId: node, ...change }), { timeout, pollInterval: 0.01 });
  open.push(power);
  return power;
}

async function getSystem(base: RedfishEndpoint, id: string): Promise<{ PowerState: string; Boot: Record<string, string> }> {
  const res = await fetch(`${base.url}/redfish/v1/Systems/${id}`, { headers: { Authorization: `Basic ${Buffer.from(`${account.user}:${account.password}`).toString('base64')}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { PowerState: string; Boot: Record<string, string> };
}

beforeAll(async () => {
  bmc = await startRedfishEndpoint({ ...account, systems: ['n1', 'n2'], timeScale: 0.01, bmc: { softOffDelay: constant(5) } });
  open.push(bmc);
});

afterAll(async () => {
  for (const o of open.reverse()) await o.close();
});

describe('RedfishPower on the twin Redfish endpoint', () => {
  it('power on, off and status reach the BMC model, and are idempotent', async () => {
    const rf = client(bmc);
    expect(await rf.powerStatus('n1')).toBe('off');
    await rf.powerOn('n1');
    expect(bmc.power('n1')).toBe('on');
    expect(await rf.powerStatus('n1')).toBe('on');
    const served = bmc.commands.length;
    await rf.powerOn('n1');
    // Already on: the client read the system and sent no Reset.
    expect(bmc.commands.slice(served).map((c) => c.command)).toEqual(['getBootDevice']);
    await rf.powerOff('n1');
    expect(bmc.power('n1')).toBe('off');
    expect(bmc.power('n2')).toBe('off');
  });

  it('soft-off is accepted, and the model powers off after its ACPI delay', async () => {
    const rf = client(bmc);
    await rf.powerOn('n1');
    await rf.softOff('n1');
    expect(bmc.commands.at(-1)?.command).toBe('softOff');
    for (let i = 0; i < 100 && (await rf.powerStatus('n1')) === 'on'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(bmc.power('n1')).toBe('off');
  });

  it('a power cycle goes through the model and resolves with power on; from off it powers on', async () => {
    const rf = client(bmc);
    const of2 = (from: number) => bmc.commands.slice(from).filter((c) => c.node === 1).map((c) => c.command);
    await rf.powerOn('n2');
    let mark = bmc.commands.length;
    await rf.powerCycle('n2');
    // Read the system, cycle, read it again to see power back on.
    expect(of2(mark)).toEqual(['getBootDevice', 'powerCycle', 'getBootDevice']);
    expect(bmc.power('n2')).toBe('on');
    await rf.powerOff('n2');
    mark = bmc.commands.length;
    await rf.powerCycle('n2');
    expect(of2(mark)).toEqual(['getBootDevice', 'powerOn']);
    expect(bmc.power('n2')).toBe('on');
  });

  it('sets the boot device once or persistently (PATCH Boot), as the system then reports it', async () => {
    const rf = client(bmc);
    await rf.setBootDevice('n1', 'pxe', false);
    expect((await getSystem(bmc, 'n1')).Boot).toMatchObject({ BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once' });
    await rf.setBootDevice('n1', 'disk', true);
    expect((await getSystem(bmc, 'n1')).Boot).toMatchObject({ BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Continuous' });
    await rf.setBootDevice('n1', 'pxe', true);
    expect((await getSystem(bmc, 'n1')).Boot).toMatchObject({ BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Continuous' });
  });

  it('one session serves every request; close() logs out. Basic auth works too', async () => {
    const before = bmc.sessions().length;
    const rf = new RedfishPower(() => ({ url: bmc.url, ...account, systemId: 'n1' }), { timeout: 2 });
    await Promise.all([rf.powerStatus('n1'), rf.powerStatus('n1'), rf.powerStatus('n1')]);
    expect(bmc.sessions().length).toBe(before + 1);
    await rf.close();
    expect(bmc.sessions().length).toBe(before);
    expect(await client(bmc, { auth: 'basic' }).powerStatus('n1')).toMatch(/^(on|off)$/);
    expect(bmc.sessions().length).toBe(before);
  });

  it('commands for one system never overlap at the BMC; two systems run side by side', async () => {
    const rf = client(bmc);
    const from = bmc.commands.length;
    await Promise.all([rf.powerOn('n1'), rf.powerStatus('n1'), rf.setBootDevice('n1', 'pxe', false), rf.powerOn('n2'), rf.powerStatus('n2')]);
    const served = bmc.commands.slice(from);
    for (const node of [0, 1]) {
      const mine = served.filter((c) => c.node === node).sort((a, b) => a.start - b.start);
      for (let i = 1; i < mine.length; i++) expect(mine[i].start).toBeGreaterThanOrEqual(mine[i - 1].end);
    }
    // The client's own lanes kept each system to one request at a time, so the BMC queued nothing.
    expect(served.every((c) => c.start === c.requested)).toBe(true);
    expect(rf.gate.peak).toBe(2);
  });

  it('a wrong password is a fatal auth error, with session and with basic auth', async () => {
    for (const auth of ['session', 'basic'] as const) {
      const e = await failure(client(bmc, { password: 'wrong', auth }).powerStatus('n1'));
      expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_AUTH_FAILED, 'fatal']);
      expect(e.message).not.toContain('wrong');
    }
  });

  it('a boot target the system refuses is a fatal 400 that shows the service message', async () => {
    const hddOnly = await startRedfishEndpoint({ ...account, timeScale: 0.01, bootTargets: ['Hdd'] });
    open.push(hddOnly);
    const e = await failure(client(hddOnly, { systemId: undefined }).setBootDevice('x', 'pxe', false));
    expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_BAD_REQUEST, 'fatal']);
    expect(e.message).toMatch(/"Pxe" for the property BootSourceOverrideTarget is not in the list.*PropertyValueNotInList/);
  });

  it('a BMC that loses every command leaves the client to its timeout: retryable', async () => {
    const lossy = await startRedfishEndpoint({ ...account, timeScale: 0.01, bmc: { failureRate: 1 } });
    open.push(lossy);
    const e = await failure(client(lossy, { systemId: '1' }, 0.5).powerOn('x'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_TIMEOUT, 'retryable']);
    expect(lossy.power('1')).toBe('off');
  });

  it('an unknown node, or a service with several systems and no systemId, is a usage error', async () => {
    expect((await failure(client(bmc).powerOn('ghost'))).code).toBe(ErrorCodes.POWER_UNKNOWN_NODE);
    const e = await failure(client(bmc, { systemId: undefined }).powerOn('n1'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.REDFISH_BAD_TARGET, 'usage']);
  });
});
