/**
 * Tiny in-test fakes of the inventory, journal and clock ports, and a deterministic SSH key
 * generator: just enough to watch what applyClusterPlan writes. They count every write, and store
 * copies so that a caller mutating its objects afterwards cannot change what was "written".
 */
import { Buffer } from 'node:buffer';
import { expandHostlist } from '../../../src/scenario/hostlist.ts';
import { fingerprintOf } from '../../../src/orchestrator/configure/ssh-key.ts';
import type { Clock, Inventory, Journal, JournalEntry, BmcRecord, NetworkRecord, NodeRecord } from '../../../src/ports/index.ts';

export class FakeClock implements Clock {
  constructor(public t = 0) {}
  now(): number {
    return this.t;
  }
  async sleep(seconds: number): Promise<void> {
    this.t += seconds;
  }
}

export class FakeInventory implements Inventory {
  readonly nodeMap = new Map<string, NodeRecord>();
  readonly networkMap = new Map<string, NetworkRecord>();
  readonly bmcList: BmcRecord[] = [];
  writes = 0;

  async putBmc(bmc: BmcRecord): Promise<void> {
    this.writes += 1;
    this.bmcList.push(structuredClone(bmc));
  }
  async bmcs(): Promise<BmcRecord[]> {
    return structuredClone(this.bmcList);
  }
  async putNode(node: NodeRecord): Promise<void> {
    this.writes += 1;
    this.nodeMap.set(node.name, structuredClone(node));
  }
  async node(name: string): Promise<NodeRecord | undefined> {
    return structuredClone(this.nodeMap.get(name));
  }
  async nodes(hostlist?: string): Promise<NodeRecord[]> {
    const names = hostlist === undefined ? [...this.nodeMap.keys()] : expandHostlist(hostlist);
    return names.flatMap((n) => (this.nodeMap.has(n) ? [structuredClone(this.nodeMap.get(n) as NodeRecord)] : []));
  }
  async putNetwork(network: NetworkRecord): Promise<void> {
    this.writes += 1;
    this.networkMap.set(network.name, structuredClone(network));
  }
  async networks(): Promise<NetworkRecord[]> {
    return structuredClone([...this.networkMap.values()]);
  }
}

export class FakeJournal implements Journal {
  readonly log: JournalEntry[] = [];
  /** Called with every entry as it is appended (to check that entries come before writes). */
  onAppend?: (entry: JournalEntry) => void;

  async append(entry: Omit<JournalEntry, 'seq'>): Promise<JournalEntry> {
    const stored: JournalEntry = structuredClone({ seq: this.log.length + 1, ...entry });
    this.log.push(stored);
    this.onAppend?.(stored);
    return stored;
  }
  async entries(after = 0): Promise<JournalEntry[]> {
    return this.log.filter((e) => e.seq > after);
  }
}

/** An OpenSSH ed25519 public key line for a 32-byte key. */
export function ed25519Line(key: Uint8Array, comment?: string): { line: string; fingerprint: string } {
  const blob = Buffer.concat([u32(11), Buffer.from('ssh-ed25519'), u32(32), Buffer.from(key)]);
  const line = `ssh-ed25519 ${blob.toString('base64')}` + (comment === undefined ? '' : ` ${comment}`);
  return { line, fingerprint: fingerprintOf(blob) };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Key k (1, 2, ...) has every byte equal to k: deterministic, and different per call. */
export class CountingKeys {
  calls = 0;
  async generate(): Promise<{ publicKey: string; fingerprint: string }> {
    this.calls += 1;
    const { line, fingerprint } = ed25519Line(new Uint8Array(32).fill(this.calls), `generated-${this.calls}`);
    return { publicKey: line, fingerprint };
  }
}

export function fakePorts(): { inventory: FakeInventory; journal: FakeJournal; clock: FakeClock } {
  return { inventory: new FakeInventory(), journal: new FakeJournal(), clock: new FakeClock(100) };
}
