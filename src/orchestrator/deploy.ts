/**
 * The deployment stage: power nodes on in waves and follow their reports until each is Deployed
 * or Failed(reason), relays first, then the groups they serve. Written against the ports only, so
 * the twin and real hardware run this same code.
 *
 * For each node: journal the state, set PXE for the next boot, power on (on later attempts after
 * an escalating shutdown: ACPI soft off, a grace period, then hard off), then wait for its
 * "booted" report. A lost BMC command or a boot that times out or
 * reports failure is retried with backoff through the Clock, up to the retry budget; then the
 * node is Failed (its boot entry withdrawn) and the others carry on.
 *
 * Relays: a relay that fails before serving leaves its group to the deployment server; a child
 * whose attempt fails while its relay is found powered off is re-assigned to the server (entry
 * rewritten) for its next attempt, and so are the relay's other children. With
 * `relaysBecomeCompute` a relay whose group is done gets a compute boot entry (BCM's relays
 * become compute nodes).
 *
 * Caps: nodes in flight overall (wave), per rack and per rootfs source (the server, each relay);
 * BMC commands in flight over the BMC network; power-ons `stagger` seconds apart, whoever asks.
 *
 * Resume: the stage starts by replaying the journal. Nodes already Deployed or Failed are left
 * alone; a node caught powering on is asked for its power state (on: the command took effect, so
 * wait for its report; off: send it again, as the same attempt); a node caught booting goes on
 * waiting for its report, for what is left of its timeout. So a restarted orchestrator loses no
 * node and spends no attempt twice.
 */
import { DeployTwinError } from '../errors.ts';
import type { NodeRole, Ports } from '../ports/index.ts';
import type { DeployOptions, DeployPlan } from './deploy-options.ts';
import { CappedPower } from './capped-power.ts';
import { NODE_STATE_ENTRY, replayNodeStates, stateEntryData, transition, type NodeStatus } from './node-state.ts';
import { Pacer } from './pacer.ts';
import { BOOT_WRITE_ENTRY, RELAY_LOST_ENTRY, RELAY_RELEASED_ENTRY, RelaySources } from './relay-sources.ts';
import { keyedSlots, Semaphore } from './semaphore.ts';

export type { DeployOptions, DeployPlan };

function reasonOf(e: unknown): string {
  if (e instanceof DeployTwinError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function retryable(e: unknown): boolean {
  return e instanceof DeployTwinError && e.retryable;
}

export async function deploy(ports: Ports, plan: DeployPlan, options: DeployOptions): Promise<Map<string, NodeStatus>> {
  const { clock, journal, bootConfig, events, inventory } = ports;
  const power = options.bmcCommands === undefined ? ports.power : new CappedPower(ports.power, options.bmcCommands);
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
  const fail = async (node: string, reason: string): Promise<void> => {
    await setState(node, { state: 'failed', reason });
    // Withdrawn, so the node cannot PXE-boot the image by accident and no server waits for it.
    await journal.append({ type: 'boot.remove', node });
    await bootConfig.remove(node);
  };
  const wave = new Semaphore(options.wave);
  const rackSlot = keyedSlots(options.perRack);
  const sourceSlot = keyedSlots(options.perSource);
  const pacer = new Pacer(clock, options.stagger);
  const sources = new RelaySources(plan.relays, past);
  const roleOf = (node: string): NodeRole => (plan.relays.has(node) ? 'relay' : 'compute');

  /** Writes the node's entry if its source changed since the last write (or it has none). */
  async function writeEntry(node: string): Promise<void> {
    const source = sources.sourceOf(node);
    if (sources.writtenSource(node) === source) return;
    await journal.append({ type: BOOT_WRITE_ENTRY, node, data: { source } });
    await bootConfig.write(plan.entry(node, source, roleOf(node)));
    sources.recordWrite(node, source);
  }

  /** Checks in progress, by relay: children failing together share one BMC query and one verdict. */
  const checking = new Map<string, Promise<void>>();

  /** After a child's failed attempt: is its relay still there? If not, its group goes to the server. */
  function checkRelay(node: string): Promise<void> {
    const relay = sources.plannedRelay(node);
    if (relay === undefined || sources.isLost(relay)) return Promise.resolve();
    let check = checking.get(relay);
    if (check === undefined) {
      check = (async () => {
        const status = await power.powerStatus(relay).then(
          (s) => s,
          () => 'unknown' as const,
        );
        if (status !== 'on') {
          await journal.append({ type: RELAY_LOST_ENTRY, node: relay, data: { status, noticedBy: node } });
          sources.markLost(relay);
        }
      })().finally(() => checking.delete(relay));
      checking.set(relay, check);
    }
    return check;
  }

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
      await pacer.slot(options.jitter?.(node) ?? 0);
      if (attempt === 1 && options.cycleIfOn && (await power.powerStatus(node)) === 'on') {
        await journal.append({ type: 'power.cycle', node, data: { attempt } });
        await power.powerCycle(node);
        return 'ok';
      }
      await journal.append({ type: 'power.on', node, data: { attempt } });
      await power.powerOn(node);
      return 'ok';
    } catch (e) {
      if (retryable(e) && attempt < options.attempts) return 'retry';
      await fail(node, reasonOf(e));
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
      await fail(node, `node reported failure: ${report.detail ?? 'no detail'}`);
      return 'failed';
    } catch (e) {
      if (retryable(e) && attempt < options.attempts) return 'retry';
      await fail(node, reasonOf(e));
      return 'failed';
    }
  }

  async function deployNode(node: string): Promise<void> {
    let resumed = states.get(node) ?? { state: 'pending' };
    if (resumed.state === 'deployed' || resumed.state === 'failed') return;
    if (resumed.state === 'pending') await writeEntry(node);
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
          if (attempt > 1) {
            await checkRelay(node);
            await writeEntry(node);
            await clock.sleep(options.backoff(attempt));
          }
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

  /** Takes the node's slots (source, rack, then wave: one order for all, so no deadlock) and deploys it. */
  const start = async (node: string): Promise<void> => {
    const releases = [await sourceSlot(sources.sourceOf(node)), await rackSlot(String(plan.rackOf?.(node) ?? 0)), await wave.acquire()];
    try {
      await deployNode(node);
    } finally {
      for (const release of releases.reverse()) release();
    }
  };

  /** A relay whose children are all terminal becomes a compute node. */
  async function release(relay: string): Promise<void> {
    if (states.get(relay)?.state !== 'deployed' || sources.isLost(relay)) return;
    if (past.some((e) => e.type === RELAY_RELEASED_ENTRY && e.node === relay)) return;
    await journal.append({ type: RELAY_RELEASED_ENTRY, node: relay });
    await bootConfig.write(plan.entry(relay, 'server', 'compute'));
    const record = await inventory.node(relay);
    if (record !== undefined && record.role !== 'compute') await inventory.putNode({ ...record, role: 'compute' });
  }

  const relayDone = new Map<string, Promise<void>>();
  for (const relay of plan.relays.keys()) relayDone.set(relay, start(relay));
  const children = plan.nodes.filter((n) => !plan.relays.has(n));
  const all: Array<Promise<void>> = [...relayDone.values()];
  const groupDone = new Map<string, Array<Promise<void>>>();
  for (const node of children) {
    const relay = sources.plannedRelay(node);
    // A child waits for its relay; if the relay failed, the server serves it instead.
    const run =
      relay === undefined
        ? start(node)
        : relayDone.get(relay)!.then(() => {
            if (states.get(relay)?.state !== 'deployed') sources.markLost(relay);
            return start(node);
          });
    all.push(run);
    if (relay !== undefined) groupDone.set(relay, [...(groupDone.get(relay) ?? []), run]);
  }
  if (options.relaysBecomeCompute) {
    for (const relay of plan.relays.keys()) all.push(Promise.all([relayDone.get(relay)!, ...(groupDone.get(relay) ?? [])]).then(() => release(relay)));
  }
  await Promise.all(all);
  return states;
}
