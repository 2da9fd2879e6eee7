/**
 * The Power port over IPMI 2.0 (lanplus), by running ipmitool. Commands for one BMC run one at a
 * time (FIFO), commands over all BMCs are capped (CommandGate), and every failure is a typed
 * DeployTwinError that says whether a retry can help (see ipmitool-output.ts).
 *
 * Idempotence, as the port asks: softOff and powerCycle first ask the power state (an ACPI
 * request to a node that is off is refused by many BMCs; a cycle of a node that is off just powers
 * it on, xCAT's "rpower boot"); powerOn/powerOff are idempotent on BMCs already.
 */
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { BootDevice, Clock, Power, PowerCapabilities, PowerState } from '../../ports/index.ts';
import { awaitPower } from './await-power.ts';
import { CommandGate } from './command-gate.ts';
import type { IpmiCommand, IpmiTarget } from './ipmitool-argv.ts';
import { parsePowerStatus } from './ipmitool-output.ts';
import { runIpmitool, type IpmitoolRunOptions, type IpmitoolResult } from './ipmitool-runner.ts';
import { wallClock } from './wall-clock.ts';

/** Where a node's BMC is and how to log in; undefined for a node it does not know. */
export type IpmiTargetLookup = (node: string) => IpmiTarget | undefined | Promise<IpmiTarget | undefined>;

export interface IpmiPowerOptions extends IpmitoolRunOptions {
  /** Admission shared with other adapters/scanners. Default: a gate of its own with `inFlight` slots. */
  gate?: CommandGate;
  /** Commands in flight at once over all BMCs, when no gate is given. Default 64. */
  inFlight?: number;
  /** Seconds to wait for power to come back after a cycle. Default 60. */
  cycleTimeout?: number;
  /** Seconds between status queries while waiting. Default 1. */
  pollInterval?: number;
  /** Clock for those waits. Default the wall clock. */
  clock?: Clock;
}

export class IpmiPower implements Power {
  readonly capabilities: PowerCapabilities = { softOff: true, bootDeviceOnce: true, bootDevicePersistent: true };
  readonly gate: CommandGate;

  constructor(
    private readonly lookup: IpmiTargetLookup,
    private readonly options: IpmiPowerOptions = {},
  ) {
    this.gate = options.gate ?? new CommandGate(options.inFlight ?? 64);
  }

  powerOn(node: string, signal?: AbortSignal): Promise<void> {
    return this.withBmc(node, signal, async (run) => void (await run({ kind: 'power', action: 'on' })));
  }

  powerOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.withBmc(node, signal, async (run) => void (await run({ kind: 'power', action: 'off' })));
  }

  softOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.withBmc(node, signal, async (run) => {
      if ((await this.status(run)) === 'off') return;
      await run({ kind: 'power', action: 'soft' });
    });
  }

  powerCycle(node: string, signal?: AbortSignal): Promise<void> {
    return this.withBmc(node, signal, async (run, where) => {
      if ((await this.status(run)) === 'off') {
        await run({ kind: 'power', action: 'on' });
        return;
      }
      await run({ kind: 'power', action: 'cycle' });
      const wait = { clock: this.options.clock ?? wallClock, timeout: this.options.cycleTimeout ?? 60, interval: this.options.pollInterval ?? 1 };
      await awaitPower(() => this.status(run), 'on', wait, `node ${node} (BMC ${where})`, signal);
    });
  }

  powerStatus(node: string, signal?: AbortSignal): Promise<PowerState> {
    return this.withBmc(node, signal, (run) => this.status(run));
  }

  setBootDevice(node: string, device: BootDevice, persistent: boolean, signal?: AbortSignal): Promise<void> {
    return this.withBmc(node, signal, async (run) => void (await run({ kind: 'bootdev', device, persistent })));
  }

  private async status(run: (c: IpmiCommand) => Promise<IpmitoolResult>): Promise<PowerState> {
    // runIpmitool only resolves when the status line is there, so this is never undefined.
    return parsePowerStatus((await run({ kind: 'power', action: 'status' })).stdout)!;
  }

  /** Looks the node up, then runs `operation` alone on its BMC's lane; each ipmitool run takes a global slot. */
  private async withBmc<T>(
    node: string,
    signal: AbortSignal | undefined,
    operation: (run: (command: IpmiCommand) => Promise<IpmitoolResult>, where: string) => Promise<T>,
  ): Promise<T> {
    const target = await this.lookup(node);
    if (target === undefined) throw new UsageError(ErrorCodes.POWER_UNKNOWN_NODE, `no BMC known for node "${node}"`);
    const where = `${target.address}:${target.port ?? 623}`;
    const run = (command: IpmiCommand) => this.gate.command(signal, () => runIpmitool(target, command, this.options, signal));
    return this.gate.lane(`ipmi ${where}`, signal, () => operation(run, where));
  }
}
