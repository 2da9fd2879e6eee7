/**
 * IpmiPower against a real IPMI 2.0 BMC: OpenIPMI's ipmi_sim on 127.0.0.1, through ipmitool. The
 * chassis_control fixture records what the BMC did, so every assertion is about the chassis, not
 * about what ipmitool printed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployTwinError, ErrorCodes } from '../../../src/errors.ts';
import { IpmiPower } from '../../../src/real/power/ipmi-power.ts';
import type { IpmiTarget } from '../../../src/real/power/ipmitool-argv.ts';
import type { IpmitoolTrace } from '../../../src/real/power/ipmitool-runner.ts';
import { freeUdpPort, PASSWORD, startSimBmc, USER, type SimBmc } from './ipmi-sim.ts';

let bmc: SimBmc;
let port: number;
const traces: IpmitoolTrace[] = [];

function power(targets: Record<string, Partial<IpmiTarget>>, extra: ConstructorParameters<typeof IpmiPower>[1] = {}): IpmiPower {
  return new IpmiPower((node) => (node in targets ? ({ address: '127.0.0.1', port, user: USER, password: PASSWORD, ...targets[node] } as IpmiTarget) : undefined), {
    pollInterval: 0.2,
    trace: (t) => traces.push(t),
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<DeployTwinError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeployTwinError) return e;
    throw e;
  }
  throw new Error('expected the command to fail');
}

/** Command lines of the running ipmitool processes that talk to `address`, as `ps` would show them. */
function ipmitoolsFor(address: string): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    })
    .filter((cmd) => cmd.startsWith('ipmitool ') && cmd.includes(` ${address} `));
}

beforeAll(async () => {
  port = await freeUdpPort();
  bmc = await startSimBmc('127.0.0.1', port);
});

afterAll(async () => {
  await bmc?.stop();
});

describe('IpmiPower on ipmi_sim', () => {
  const p = () => power({ n01: {}, wrongpw: { password: 'not-the-password' }, nouser: { user: 'nobody' }, viewer: { user: 'viewer', privilege: 'USER' } });

  it('power on/off/status change the chassis the BMC controls, and are idempotent', async () => {
    const ipmi = p();
    await ipmi.powerOff('n01');
    expect(bmc.chassis().power).toBe('0');
    expect(await ipmi.powerStatus('n01')).toBe('off');
    await ipmi.powerOn('n01');
    expect(bmc.chassis().power).toBe('1');
    expect(await ipmi.powerStatus('n01')).toBe('on');
    await ipmi.powerOn('n01');
    expect(bmc.chassis().power).toBe('1');
  });

  it('a power cycle turns power off, then on again, and resolves once it is on', async () => {
    const ipmi = p();
    await ipmi.powerOn('n01');
    const before = bmc.log().length;
    await ipmi.powerCycle('n01');
    expect(bmc.log().slice(before)).toEqual(['set power 0', 'set power 1']);
    expect(bmc.chassis().power).toBe('1');
    // A cycle of a node that is off just powers it on.
    await ipmi.powerOff('n01');
    const mark = bmc.log().length;
    await ipmi.powerCycle('n01');
    expect(bmc.log().slice(mark)).toEqual(['set power 1']);
  });

  it('soft-off reaches the chassis as an ACPI shutdown, and is a no-op on a node that is off', async () => {
    const ipmi = p();
    await ipmi.powerOn('n01');
    await ipmi.softOff('n01');
    expect(bmc.log().at(-1)).toBe('set shutdown 1');
    expect(await ipmi.powerStatus('n01')).toBe('off');
    const mark = bmc.log().length;
    await ipmi.softOff('n01');
    expect(bmc.log().length).toBe(mark);
  });

  it('bootdev pxe/disk reach the chassis once and persistent; persistence is seen on the wire (ipmi_sim gives chassis_control the device only)', async () => {
    const ipmi = p();
    await ipmi.setBootDevice('n01', 'pxe', false);
    expect(bmc.chassis().boot).toBe('pxe');
    await ipmi.setBootDevice('n01', 'disk', true);
    expect(bmc.chassis().boot).toBe('default');
    // ipmi_sim hands chassis_control the device selector only (bmc_chassis.c drops the valid and
    // persistent bits of boot flags byte 1), so the request trace (-vv) is where persistence shows.
    const wire: IpmitoolTrace[] = [];
    const verbose = power({ n01: {} }, { verbosity: 2, trace: (t) => wire.push(t) });
    await verbose.setBootDevice('n01', 'pxe', true);
    expect(bmc.chassis().boot).toBe('pxe');
    expect(wire[0].stderr).toMatch(/command : 0x08\s*\n>>\s+data\s+: 0x05 0xc0 0x04/);
    await verbose.setBootDevice('n01', 'pxe', false);
    expect(wire[1].stderr).toMatch(/command : 0x08\s*\n>>\s+data\s+: 0x05 0x80 0x04/);
  });

  it('a wrong password or user is a fatal auth error; a user-level account a fatal privilege error', async () => {
    const ipmi = p();
    const pw = await failure(ipmi.powerStatus('wrongpw'));
    expect([pw.code, pw.kind]).toEqual([ErrorCodes.IPMI_AUTH_FAILED, 'fatal']);
    expect(pw.message).toMatch(/RAKP 2 HMAC is invalid/);
    const user = await failure(ipmi.powerStatus('nouser'));
    expect([user.code, user.kind]).toEqual([ErrorCodes.IPMI_AUTH_FAILED, 'fatal']);
    // ipmi_sim grants an ADMINISTRATOR session even to a user whose limit is "user", so the
    // viewer asks for a USER session (-L USER); chassis control then needs more.
    const viewer = await failure(ipmi.powerOn('viewer'));
    expect([viewer.code, viewer.kind]).toEqual([ErrorCodes.IPMI_INSUFFICIENT_PRIVILEGE, 'fatal']);
  });

  it('an address where nothing answers fails with the retryable timeout, within the -N/-R budget', async () => {
    const ipmi = power({ dead: { address: '127.0.0.9' } }, { retransmit: 1, retries: 1 });
    const started = performance.now();
    const e = await failure(ipmi.powerStatus('dead'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.IPMI_TIMEOUT, 'retryable']);
    expect((performance.now() - started) / 1000).toBeLessThan(5);
  });

  it('an aborted call rejects with the signal reason at once and leaves no ipmitool behind', async () => {
    const ipmi = power({ dead: { address: '127.0.0.8' } }, { retransmit: 1, retries: 3 });
    const controller = new AbortController();
    const pending = ipmi.powerStatus('dead', controller.signal);
    await new Promise((r) => setTimeout(r, 200));
    expect(ipmitoolsFor('127.0.0.8').length).toBe(1);
    const reason = new Error('deployment cancelled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await new Promise((r) => setTimeout(r, 100));
    expect(ipmitoolsFor('127.0.0.8')).toEqual([]);
  });

  it('an unknown node is a usage error, before anything runs', async () => {
    const e = await failure(p().powerOn('ghost'));
    expect([e.code, e.kind]).toEqual([ErrorCodes.POWER_UNKNOWN_NODE, 'usage']);
  });

  it('never shows the password: not in the argv `ps` sees, nor in errors or traces', async () => {
    const ipmi = power({ dead: { address: '127.0.0.9' } }, { retransmit: 1, retries: 1 });
    const pending = failure(ipmi.powerStatus('dead'));
    await new Promise((r) => setTimeout(r, 300));
    const seen = ipmitoolsFor('127.0.0.9');
    expect(seen.length).toBeGreaterThan(0);
    for (const cmd of seen) expect(cmd).not.toContain(PASSWORD);
    const errors = [await pending, await failure(p().powerStatus('wrongpw'))];
    for (const e of errors) expect(JSON.stringify({ m: e.message, d: e.details, s: e.stack })).not.toContain(PASSWORD);
    expect(traces.length).toBeGreaterThan(0);
    expect(JSON.stringify(traces)).not.toContain(PASSWORD);
  });
});
