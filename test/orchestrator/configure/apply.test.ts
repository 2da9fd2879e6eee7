import { describe, expect, it } from 'vitest';
import { DeployTwinError, ErrorCodes, UsageError } from '../../../src/errors.ts';
import { applyClusterPlan, planCluster, type ClusterPlan } from '../../../src/orchestrator/configure/index.ts';
import type { NodeRecord } from '../../../src/ports/index.ts';
import { CountingKeys, ed25519Line, fakePorts } from './fake-ports.ts';
import { kiera } from './fixtures.ts';

const plan = planCluster(kiera());

async function rejection(p: Promise<unknown>): Promise<DeployTwinError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeployTwinError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** The records a plan should leave in an empty inventory. */
const expectedRecords = (p: ClusterPlan): NodeRecord[] => p.nodes.map((n) => ({ ...n }));

describe('applyClusterPlan', () => {
  it('writes the networks, every node and a generated key, each journalled once', async () => {
    const ports = fakePorts();
    const keys = new CountingKeys();
    const result = await applyClusterPlan(plan, ports, keys);
    const generated = ed25519Line(new Uint8Array(32).fill(1), 'generated-1');
    expect(result).toEqual({
      networks: { written: 2, unchanged: 0 },
      nodes: { created: 169, updated: 0, unchanged: 0 },
      sshKey: { publicKey: generated.line, fingerprint: generated.fingerprint, written: true },
    });
    expect(await ports.inventory.networks()).toEqual([
      { name: 'ethernet', start: '10.0.0.1', prefixLength: 16 },
      { name: 'opa', start: '10.1.0.1', prefixLength: 16 },
    ]);
    expect(await ports.inventory.nodes()).toEqual(expectedRecords(plan));
    expect(ports.inventory.writes).toBe(2 + 169);
    const types = ports.journal.log.map((e) => e.type);
    expect(types.filter((t) => t === 'configure.network')).toHaveLength(2);
    expect(types.filter((t) => t === 'configure.node')).toHaveLength(169);
    expect(types.filter((t) => t === 'configure.ssh-key')).toHaveLength(1);
    expect(ports.journal.log.every((e) => e.at === 100)).toBe(true);
    expect(ports.journal.log[2]).toEqual({
      seq: 3,
      at: 100,
      type: 'configure.node',
      node: 'node001',
      data: { cluster: 'nurion', action: 'create', rack: 0, group: 'rack0', role: 'relay', bmc: '', addresses: { ethernet: '10.0.0.1', opa: '10.1.0.1' } },
    });
    expect(ports.journal.log[171].data).toEqual({ cluster: 'nurion', source: 'generated', publicKey: generated.line, fingerprint: generated.fingerprint });
    expect(keys.calls).toBe(1);
  });

  it('journals each write before making it', async () => {
    const ports = fakePorts();
    const trace: string[] = [];
    ports.journal.onAppend = (e) => trace.push(`journal ${e.node ?? e.data?.name ?? 'key'}`);
    const { putNode, putNetwork } = ports.inventory;
    ports.inventory.putNode = async (n) => {
      trace.push(`put ${n.name}`);
      await putNode.call(ports.inventory, n);
    };
    ports.inventory.putNetwork = async (n) => {
      trace.push(`put ${n.name}`);
      await putNetwork.call(ports.inventory, n);
    };
    await applyClusterPlan(planCluster(kiera({ nodes: 2, relays: undefined, networks: [{ name: 'eth', start: '10.0.0.1', prefixLength: 24, gateway: '10.0.0.254' }] })), ports, new CountingKeys());
    expect(trace).toEqual(['journal eth', 'put eth', 'journal node001', 'put node001', 'journal node002', 'put node002', 'journal key']);
    expect(ports.journal.log[0].data).toEqual({ cluster: 'nurion', action: 'create', name: 'eth', start: '10.0.0.1', prefixLength: 24, gateway: '10.0.0.254' });
  });

  it('writes and journals nothing when applied again', async () => {
    const ports = fakePorts();
    const keys = new CountingKeys();
    const first = await applyClusterPlan(plan, ports, keys);
    const [writes, entries] = [ports.inventory.writes, ports.journal.log.length];
    const again = await applyClusterPlan(planCluster(kiera()), ports, keys);
    expect(ports.inventory.writes).toBe(writes);
    expect(ports.journal.log.length).toBe(entries);
    expect(keys.calls).toBe(1);
    expect(again).toEqual({
      networks: { written: 0, unchanged: 2 },
      nodes: { created: 0, updated: 0, unchanged: 169 },
      sshKey: { ...first.sshKey, written: false },
    });
  });

  it('reports every conflict at once and writes nothing', async () => {
    const ports = fakePorts();
    await ports.inventory.putNetwork({ name: 'opa', start: '10.1.0.2', prefixLength: 16 });
    const base = { rack: 0, group: 'g', role: 'compute' as const, bmc: '' };
    await ports.inventory.putNode({ name: 'node005', ...base, addresses: { ethernet: '10.0.0.99' } });
    await ports.inventory.putNode({ name: 'tmp-1', ...base, addresses: { ethernet: '10.0.0.7' } });
    await ports.inventory.putNode({ name: 'node009', ...base, bmc: '10.2.0.1', addresses: {} });
    const writes = ports.inventory.writes;
    const e = await rejection(applyClusterPlan(planCluster(kiera({ bmcs: plan.nodes.map((_, i) => `10.2.1.${i}`) })), ports, new CountingKeys()));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.code).toBe(ErrorCodes.CONFIGURE_INVENTORY_CONFLICT);
    expect(e.message).toBe('5 conflict(s) between the plan of cluster nurion and the inventory; nothing was written');
    expect(e.details).toEqual([
      'network "opa": inventory has 10.1.0.2/16, plan has 10.1.0.1/16',
      'node node005: inventory has 10.0.0.99 on network "ethernet", plan has 10.0.0.5',
      'address 10.0.0.7 on network "ethernet", planned for node007, is held by tmp-1',
      'node node009: inventory has BMC 10.2.0.1, plan has 10.2.1.8',
      // node005's old address is the one node099 is planned to get.
      'address 10.0.0.99 on network "ethernet", planned for node099, is held by node005',
    ]);
    expect(ports.inventory.writes).toBe(writes);
    expect(ports.journal.log).toEqual([]);
  });

  it('updates what the stage owns, keeps what it does not (hardware, other networks, a known BMC)', async () => {
    const ports = fakePorts();
    const hardware = { cpus: 68, memoryBytes: 96e9, disks: [], gpus: [], pciDevices: [], macs: ['00:11:22:33:44:55'] };
    await ports.inventory.putNode({ name: 'node003', rack: 9, group: 'discovered', role: 'compute', bmc: '10.2.0.3', hardware, addresses: { ethernet: '10.0.0.3', ipmi: '10.9.0.3' } });
    const result = await applyClusterPlan(plan, ports, new CountingKeys());
    expect(result.nodes).toEqual({ created: 168, updated: 1, unchanged: 0 });
    expect(await ports.inventory.node('node003')).toEqual({
      name: 'node003',
      rack: 0,
      group: 'rack0',
      role: 'compute',
      bmc: '10.2.0.3',
      hardware,
      addresses: { ethernet: '10.0.0.3', ipmi: '10.9.0.3', opa: '10.1.0.3' },
    });
    expect(ports.journal.log.find((e) => e.node === 'node003')?.data?.action).toBe('update');
  });

  it('records a registered key, refuses a different one later, and keeps it under "generate"', async () => {
    const ports = fakePorts();
    const keys = new CountingKeys();
    const mine = ed25519Line(new Uint8Array(32).fill(7), 'admin@site');
    const first = await applyClusterPlan(planCluster(kiera({ sshKey: { register: mine.line } })), ports, keys);
    expect(first.sshKey).toEqual({ publicKey: mine.line, fingerprint: mine.fingerprint, written: true });
    expect(ports.journal.log.at(-1)?.data).toMatchObject({ source: 'registered', fingerprint: mine.fingerprint });
    const entries = ports.journal.log.length;

    const other = ed25519Line(new Uint8Array(32).fill(8));
    const e = await rejection(applyClusterPlan(planCluster(kiera({ sshKey: { register: other.line } })), ports, keys));
    expect(e.code).toBe(ErrorCodes.CONFIGURE_INVENTORY_CONFLICT);
    expect(e.details).toEqual([`SSH key: cluster nurion already has key ${mine.fingerprint}, plan registers ${other.fingerprint}`]);

    const kept = await applyClusterPlan(plan, ports, keys);
    expect(kept.sshKey).toEqual({ publicKey: mine.line, fingerprint: mine.fingerprint, written: false });
    expect(keys.calls).toBe(0);
    expect(ports.journal.log.length).toBe(entries);
  });

  it('refuses a generator whose fingerprint does not match its key', async () => {
    const ports = fakePorts();
    const liar = { generate: async () => ({ publicKey: ed25519Line(new Uint8Array(32)).line, fingerprint: 'SHA256:nope' }) };
    const e = await rejection(applyClusterPlan(plan, ports, liar));
    expect(e.code).toBe(ErrorCodes.CONFIGURE_BAD_SSH_KEY);
    expect(e.kind).toBe('fatal');
    expect(ports.journal.log.some((x) => x.type === 'configure.ssh-key')).toBe(false);
  });

  it('finishes an interrupted run: the record cut off is written once, journalled twice', async () => {
    const ports = fakePorts();
    const { putNode } = ports.inventory;
    let calls = 0;
    ports.inventory.putNode = async (n) => {
      if (++calls === 50) throw new Error('power cut');
      return putNode.call(ports.inventory, n);
    };
    await expect(applyClusterPlan(plan, ports, new CountingKeys())).rejects.toThrow('power cut');
    expect(ports.inventory.nodeMap.size).toBe(49);
    const result = await applyClusterPlan(plan, ports, new CountingKeys());
    expect(result.nodes).toEqual({ created: 120, updated: 0, unchanged: 49 });
    expect(await ports.inventory.nodes()).toHaveLength(169);
    expect(await ports.inventory.nodes('node[001-169]')).toEqual(expectedRecords(plan));
    const journalled = ports.journal.log.filter((e) => e.type === 'configure.node').map((e) => e.node);
    expect(journalled).toHaveLength(170);
    expect(journalled.filter((n) => n === 'node050')).toHaveLength(2);
  });
});
