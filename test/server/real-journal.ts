/**
 * A real deployment's store written the way `deploytwin real deploy` writes it, without machines:
 * the project's SQLite store (journal and inventory), the orchestrator's entries as
 * src/orchestrator/deploy.ts appends them ("node.state" with stateEntryData, "power.on",
 * "boot.write", "boot.remove"), and the nodes' phase reports sent over HTTP to the real status
 * endpoint (src/real/events/status-server.ts), which journals them as "phase.report". Time is a
 * clock the test moves (Unix seconds), so the journal's `at` values are known.
 */
import { join } from 'node:path';
import type { NodeStatus } from '../../src/orchestrator/node-state.ts';
import { stateEntryData } from '../../src/orchestrator/node-state.ts';
import type { Clock } from '../../src/ports/index.ts';
import { newDeploymentToken } from '../../src/real/events/token.ts';
import { StatusServer } from '../../src/real/events/status-server.ts';
import { openStore, type Store } from '../../src/real/store/open-store.ts';

/** A clock that stands still until told to move. */
export class StepClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  async sleep(seconds: number): Promise<void> {
    this.t += seconds;
  }
}

export interface FakeSite {
  file: string;
  store: Store;
  clock: StepClock;
  /** Moves the clock on by `seconds`. */
  advance(seconds: number): void;
  state(node: string, status: NodeStatus): Promise<void>;
  powerOn(node: string, attempt: number): Promise<void>;
  /** A node's report, through the status endpoint (as its boot scripts send it with busybox wget). */
  report(node: string, phase: string, boot: number, detail?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh store in `dir` (deploytwin.sqlite) with `names` in its inventory, as after the
 * configure stage, and the stages up to deploy journalled. `exclusive` opens it as `real deploy` does.
 */
export async function fakeSite(dir: string, names: string[], options: { exclusive?: boolean; t0?: number } = {}): Promise<FakeSite> {
  const clock = new StepClock(options.t0 ?? Math.floor(Date.now() / 1000) - 3600);
  const file = join(dir, 'deploytwin.sqlite');
  const store = openStore(file, clock, { exclusive: options.exclusive ?? false });
  const token = newDeploymentToken();
  const status = await StatusServer.start({ token, nodes: names, clock, journal: store.journal });
  const { journal } = store;
  await journal.append({ type: 'site.stage', data: { stage: 'discover', event: 'start' } });
  for (const [i, name] of names.entries()) {
    await store.inventory.putNode({ name, rack: 0, group: 'compute', role: 'compute', bmc: `10.78.0.${11 + i}`, addresses: { ethernet: `10.77.0.${11 + i}` } });
  }
  clock.t += 30;
  await journal.append({ type: 'site.stage', data: { stage: 'configure', event: 'end' } });
  clock.t += 1;
  await journal.append({ type: 'site.stage', data: { stage: 'deploy', event: 'start' } });
  for (const name of names) await journal.append({ type: 'boot.write', node: name, data: { source: 'server' } });
  return {
    file,
    store,
    clock,
    advance: (s) => void (clock.t += s),
    state: async (node, to) => void (await journal.append({ type: 'node.state', node, data: stateEntryData(to) })),
    powerOn: async (node, attempt) => void (await journal.append({ type: 'power.on', node, data: { attempt } })),
    report: async (node, phase, boot, detail) => {
      const url = `${status.statusUrl(node, boot)}${phase}${detail === undefined ? '' : `&detail=${encodeURIComponent(detail)}`}`;
      const answer = await fetch(url);
      if (answer.status !== 200) throw new Error(`status endpoint: ${answer.status} ${await answer.text()}`);
    },
    close: async () => {
      await status.close();
      store.close();
    },
  };
}

export const PHASES = ['dhcp', 'bootloader', 'kernel', 'initrd', 'rootfs', 'mounted', 'booted'] as const;

/** Seconds each phase takes in the fake deployment, by node index (initrd and rootfs grow with the node). */
export function phaseSeconds(node: number): Record<(typeof PHASES)[number], number> {
  return { dhcp: 4, bootloader: 1, kernel: 3, initrd: 10 + node, rootfs: 30 + 2 * node, mounted: 1, booted: 8 };
}

/**
 * One node's deployment, step by step: powering-on, power.on, booting, its seven reports, deployed.
 * `between` runs after each step (a test waits there for the server to catch up).
 */
export async function deployNode(site: FakeSite, node: string, index: number, boot: number, between: () => Promise<void> = async () => {}): Promise<void> {
  await site.state(node, { state: 'powering-on', attempt: 1 });
  site.advance(1);
  await site.powerOn(node, 1);
  await site.state(node, { state: 'booting', attempt: 1, phase: null });
  await between();
  const seconds = phaseSeconds(index);
  for (const phase of PHASES) {
    site.advance(seconds[phase]);
    await site.report(node, phase, boot);
    if (phase === 'initrd' || phase === 'booted') await between();
  }
  site.advance(0.5);
  await site.state(node, { state: 'deployed' });
  await between();
}

/** A node whose boot fails after the kernel (it reports "failed") and is not retried. */
export async function failNode(site: FakeSite, node: string, boot: number): Promise<void> {
  await site.state(node, { state: 'powering-on', attempt: 1 });
  await site.powerOn(node, 1);
  await site.state(node, { state: 'booting', attempt: 1, phase: null });
  for (const phase of ['dhcp', 'bootloader', 'kernel'] as const) {
    site.advance(2);
    await site.report(node, phase, boot);
  }
  site.advance(5);
  await site.report(node, 'failed', boot, 'initrd: checksum mismatch');
  await site.state(node, { state: 'failed', reason: 'node reported failure: initrd: checksum mismatch' });
  await site.store.journal.append({ type: 'boot.remove', node });
}
