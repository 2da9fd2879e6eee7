/**
 * The deployment stage: power nodes on in waves and follow their reports until each is Deployed
 * or Failed(reason), relays first, then the groups they serve. Written against the ports only, so
 * the twin and real hardware run this same code.
 *
 * For each node: journal the state, set PXE for the next boot, power on (on later attempts after
 * an escalating shutdown: ACPI soft off, a grace period, then hard off), then wait for its
 * "booted" report. A lost BMC command or a boot that times out or
 * reports failure is retried with backoff through the Clock, up to the retry budget; then the
 * node is Failed and the others carry on. A relay that fails leaves its group to be served by the
 * deployment server instead.
 *
 * Resume: the stage starts by replaying the journal. Nodes already Deployed or Failed are left
 * alone; a node caught powering on is asked for its power state (on: the command took effect, so
 * wait for its report; off: send it again, as the same attempt); a node caught booting goes on
 * waiting for its report, for what is left of its timeout. So a restarted orchestrator loses no
 * node and spends no attempt twice.
 */
import { DeployTwinError } from '../errors.ts';
import type { BootEntry, Ports } from '../ports/index.ts';
import { NODE_STATE_ENTRY, replayNodeStates, stateEntryData, transition, type NodeStatus } from './node-state.ts';
import { Semaphore } from './semaphore.ts';

export interface DeployOptions {
  /** Most nodes between power-on and a terminal state at once. */
  wave: number;
  /** Seconds between two power-ons. */
  stagger: number;
  /** Seconds a node may take from power-on to "booted" before the attempt counts as failed. */
  bootTimeout: number;
  /** Attempts per node in all (power-on plus retries). */
  attempts: number;
  /** Seconds to wait before attempt n (n >= 2). */
  backoff: (attempt: number) => number;
  /**
   * Escalation on a retry: ask the OS to shut down (ACPI soft off) and give it this many seconds
   * before a hard power-off. 0 skips the soft step (hard off at once).
   */
  softOffGrace: number;
}

export interface DeployPlan {
  /** Every node to deploy, in power-on order. */
  nodes: readonly string[];
  /** Relay -> the nodes it serves. Relays are deployed before their children. */
  relays: ReadonlyMap<string, readonly string[]>;
  /** The boot entry of a node whose rootfs comes from `source` ("server" or a relay's name). */
  entry(node: string, source: string): BootEntry;
}

function reasonOf(e: unknown): string {
  if (e instanceof DeployTwinError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function retryable(e: unknown): boolean {
  return e instanceof DeployTwinError && e.retryable;
}

export async function deploy(ports: Ports, plan: DeployPlan, options: DeployOptions): Promise<Map<string, NodeStatus>> {
  const { clock, journal, power, bootConfig, events } = ports;
  const past = await journal.entries();
  const states = replayNodeStates(past);
  // When each node's latest attempt began (its "powering-on" entry): reports count from there.
  const attemptStart = new Map<string, number>();
  for (const e of past) {
    if (e.type === NODE_STATE_ENTRY && e.node !== undefined && (e.data as NodeStatus).state === 'powering-on') attemptStart.set(e.node, e.at);
  }
  const setState = async (node: string, to: NodeStatus): Promise<void> => {
    const next = transition(node, states.get(node) ?? { state: 'pending' }, to);
    await journal.append({ type: NODE_STATE_ENTRY, node, data: stateEntryData(next) });
    states.set(node, next);
  };
  const wave = new Semaphore(options.wave);
  const sourceOf = new Map<string, string>();
  for (const [relay, children] of plan.relays) for (const c of children) sourceOf.set(c, relay);

  /** Escalation before a retry: soft off, a grace period, then hard off if the node is still on. */
  async function shutDown(node: string, attempt: number): Promise<void> {
    if (options.softOffGrace > 0 && power.capabilities.softOff) {
      await journal.append({ type: 'power.soft-off', node, data: { attempt } });
      await power.softOff(node);
      await clock.sleep(options.softOffGrace);
      if ((await power.powerStatus(node)) === 'off') return;
    }
    await journal.append({ type: 'power.off', node, data: { attempt } });
    await power.powerOff(node);
  }

  /** Powers the node on for `attempt` (shutting it down first on a retry). */
  async function powerOn(node: string, attempt: number): Promise<'ok' | 'retry' | 'failed'> {
    try {
      if (attempt > 1) await shutDown(node, attempt);
      await power.setBootDevice(node, 'pxe', false);
      await journal.append({ type: 'power.on', node, data: { attempt } });
      await power.powerOn(node);
      return 'ok';
    } catch (e) {
      if (retryable(e) && attempt < options.attempts) return 'retry';
      await setState(node, { state: 'failed', reason: reasonOf(e) });
      return 'failed';
    }
  }

  /** Waits for the node's "booted" report; 'retry' on a failure report or a timeout with attempts left. */
  async function awaitBoot(node: string, attempt: number, since: number): Promise<'ok' | 'retry' | 'failed'> {
    try {
      const timeout = Math.max(0, since + options.bootTimeout - clock.now());
      const report = await events.waitFor(node, 'booted', { since, timeout });
      if (report.phase === 'booted') {
        await setState(node, { state: 'deployed' });
        return 'ok';
      }
      if (attempt < options.attempts) return 'retry';
      await setState(node, { state: 'failed', reason: `node reported failure: ${report.detail ?? 'no detail'}` });
      return 'failed';
    } catch (e) {
      if (retryable(e) && attempt < options.attempts) return 'retry';
      await setState(node, { state: 'failed', reason: reasonOf(e) });
      return 'failed';
    }
  }

  async function deployNode(node: string): Promise<void> {
    let resumed = states.get(node) ?? { state: 'pending' };
    if (resumed.state === 'deployed' || resumed.state === 'failed') return;
    const source = sourceOf.get(node) ?? 'server';
    if (resumed.state === 'pending') {
      await bootConfig.write(plan.entry(node, source));
      await journal.append({ type: 'boot.write', node, data: { source } });
    }
    const first = resumed.state === 'pending' ? 1 : resumed.attempt;
    for (let attempt = first; attempt <= options.attempts; attempt++) {
      let since: number;
      if (resumed.state === 'booting') {
        // Resuming a node that was already booting: keep waiting for this attempt's report.
        since = attemptStart.get(node) ?? 0;
      } else {
        let tookEffect = false;
        if (resumed.state === 'powering-on') {
          // Resuming mid power-on: the command may or may not have reached the BMC.
          since = attemptStart.get(node) ?? clock.now();
          tookEffect = await power.powerStatus(node).then(
            (s) => s === 'on',
            () => false,
          );
        } else {
          if (attempt > 1) await clock.sleep(options.backoff(attempt));
          await setState(node, { state: 'powering-on', attempt });
          since = clock.now();
          attemptStart.set(node, since);
        }
        if (!tookEffect) {
          const powered = await powerOn(node, attempt);
          if (powered === 'failed') return;
          if (powered === 'retry') {
            resumed = { state: 'pending' };
            continue;
          }
        }
        await setState(node, { state: 'booting', attempt, phase: null });
      }
      resumed = { state: 'pending' };
      const booted = await awaitBoot(node, attempt, since);
      if (booted !== 'retry') return;
    }
  }

  const relayDone = new Map<string, Promise<void>>();
  const all: Array<Promise<void>> = [];
  const start = async (node: string): Promise<void> => {
    const release = await wave.acquire();
    try {
      await deployNode(node);
    } finally {
      release();
    }
  };
  const order = [...plan.relays.keys(), ...plan.nodes.filter((n) => !plan.relays.has(n))];
  for (let k = 0; k < order.length; k++) {
    const node = order[k];
    const relay = sourceOf.get(node);
    let run: Promise<void>;
    if (relay === undefined) {
      run = start(node);
      if (plan.relays.has(node)) relayDone.set(node, run);
    } else {
      // A child waits for its relay; if the relay failed, the server serves it instead.
      run = relayDone.get(relay)!.then(() => {
        if (states.get(relay)?.state !== 'deployed') sourceOf.delete(node);
        return start(node);
      });
    }
    all.push(run);
    if (options.stagger > 0 && k + 1 < order.length && relay === undefined) await clock.sleep(options.stagger);
  }
  await Promise.all(all);
  return states;
}
