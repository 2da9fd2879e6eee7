/**
 * The Power port on the twin's BMC models: node names (the scenario's hostlist, rack-major) map
 * to node indices; every call is the BMC model's command, with its latency, its one-at-a-time
 * queue and its lost commands (a retryable DT_BMC_TIMEOUT that took no effect).
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { BmcModel } from '../../models/bmc.ts';
import type { BootDevice, Power, PowerCapabilities, PowerState } from '../../ports/index.ts';

export class NodeNames {
  private readonly index = new Map<string, number>();

  constructor(readonly names: readonly string[]) {
    names.forEach((n, i) => this.index.set(n, i));
  }

  indexOf(node: string): number {
    const i = this.index.get(node);
    if (i === undefined) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `no node named "${node}" in this cluster`);
    return i;
  }

  has(node: string): boolean {
    return this.index.has(node);
  }

  nameOf(index: number): string {
    return this.names[index];
  }
}

export class TwinPower implements Power {
  readonly capabilities: PowerCapabilities = { softOff: true, bootDeviceOnce: true, bootDevicePersistent: true };

  constructor(
    private readonly bmcs: readonly BmcModel[],
    private readonly names: NodeNames,
    /** Told of every power-on command that took effect: node index, when asked, when answered. */
    private readonly onPoweredOn?: (node: number, asked: number, done: number) => void,
  ) {}

  private bmc(node: string): BmcModel {
    return this.bmcs[this.names.indexOf(node)];
  }

  async powerOn(node: string, signal?: AbortSignal): Promise<void> {
    const bmc = this.bmc(node);
    const asked = bmc.engine.now;
    await bmc.powerOn(signal);
    this.onPoweredOn?.(this.names.indexOf(node), asked, bmc.engine.now);
  }

  powerOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.bmc(node).powerOff(signal);
  }

  softOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.bmc(node).softOff(signal);
  }

  powerCycle(node: string, signal?: AbortSignal): Promise<void> {
    return this.bmc(node).powerCycle(signal);
  }

  powerStatus(node: string, signal?: AbortSignal): Promise<PowerState> {
    return this.bmc(node).powerStatus(signal);
  }

  setBootDevice(node: string, device: BootDevice, persistent: boolean, signal?: AbortSignal): Promise<void> {
    return this.bmc(node).setBootDevice(device, persistent, signal);
  }
}
