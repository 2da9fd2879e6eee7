/**
 * Commissioning (KiERA's second stage): boot every discovered node once into the preinstallation
 * environment (PXE for the next boot only, then a power cycle), wait for its hardware report and
 * store it in the inventory, journal first, then power it off. Bounded parallelism; a node whose BMC or report fails
 * is listed with the reason and the others carry on. A node already holding hardware facts is
 * skipped, so the stage is idempotent and resumable.
 */
import { DeployTwinError } from '../errors.ts';
import type { BootEntry, HardwareReport, NodeRecord, Ports } from '../ports/index.ts';
import { Semaphore } from './semaphore.ts';

export interface CommissionOptions {
  /** Nodes to commission (inventory names). */
  nodes: readonly string[];
  /** The boot entry of the preinstallation environment for a node. */
  entry: (node: string) => BootEntry;
  /** Nodes commissioned at once. */
  parallelism: number;
  /** Seconds from power-on to the hardware report. */
  timeout: number;
}

export interface CommissionResult {
  commissioned: Array<{ node: string; hardware: HardwareReport }>;
  failed: Array<{ node: string; reason: string }>;
}

export async function commission(ports: Pick<Ports, 'clock' | 'power' | 'bootConfig' | 'events' | 'inventory' | 'journal'>, options: CommissionOptions): Promise<CommissionResult> {
  const { clock, power, bootConfig, events, inventory, journal } = ports;
  const slots = new Semaphore(options.parallelism);
  const outcome = new Map<string, { hardware?: HardwareReport; reason?: string }>();

  async function one(node: string): Promise<void> {
    const record: NodeRecord = (await inventory.node(node)) ?? { name: node, rack: 0, group: '', role: 'compute', bmc: '', addresses: {} };
    if (record.hardware) {
      outcome.set(node, { hardware: record.hardware });
      return;
    }
    try {
      await bootConfig.write({ ...options.entry(node), purpose: 'commission' });
      await power.setBootDevice(node, 'pxe', false);
      const since = clock.now();
      await journal.append({ type: 'commission.power', node });
      await power.powerCycle(node);
      const report = await events.waitFor(node, 'booted', { since, timeout: options.timeout });
      if (report.phase !== 'booted' || report.hardware === undefined) throw new Error(`no hardware report (${report.phase}${report.detail ? `: ${report.detail}` : ''})`);
      await journal.append({ type: 'commission.hardware', node, data: { ...report.hardware } });
      await inventory.putNode({ ...record, hardware: report.hardware });
      // Done with the preinstallation environment: off, so the deployment boots it afresh (as MAAS does).
      await journal.append({ type: 'commission.power-off', node });
      await power.powerOff(node);
      outcome.set(node, { hardware: report.hardware });
    } catch (e) {
      const reason = e instanceof DeployTwinError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
      await journal.append({ type: 'commission.failed', node, data: { reason } });
      outcome.set(node, { reason });
    }
  }

  await Promise.all(
    options.nodes.map(async (node) => {
      const release = await slots.acquire();
      try {
        await one(node);
      } finally {
        release();
      }
    }),
  );
  const result: CommissionResult = { commissioned: [], failed: [] };
  for (const node of options.nodes) {
    const o = outcome.get(node)!;
    if (o.hardware) result.commissioned.push({ node, hardware: o.hardware });
    else result.failed.push({ node, reason: o.reason ?? 'unknown' });
  }
  return result;
}
