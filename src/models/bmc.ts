/**
 * A node's baseboard management controller (BMC): the out-of-band controller that powers the node
 * on and off and sets its boot device, over IPMI or Redfish.
 *
 * - One command at a time: a BMC serves its management session serially, so commands queue FIFO on
 *   a Resource of capacity 1 and hold it until the caller has its answer (or gives up).
 * - A command is answered after `commandLatency` and takes effect at that instant (the BMC acts,
 *   then replies). With probability `failureRate` (or if the latency exceeds `timeout`) it gets no
 *   answer: the caller waits `timeout` seconds and gets a retryable BmcTimeoutError, and the
 *   command has not taken effect. An absent BMC (no device at the address) never answers.
 * - Power transitions call the hooks at the instant they take effect; the twin starts (or stops)
 *   the node's boot there. POST and booting belong to the node model, not here.
 * - Aborting a command's signal while it waits in the queue or for its answer rejects with the
 *   signal's reason and the command does not take effect. Once answered, a power cycle completes
 *   even if the caller stops listening (the BMC does the cycle on its own).
 *
 * Randomness: one stream per BMC, `bmc.<nodeIndex>`, so one node's draws never shift when other
 * nodes change. Each command of a present BMC draws, in order: a uniform for the failure, then its
 * latency; an accepted softOff then draws a uniform for "ignored" and its delay.
 */
import type { Engine } from '../engine/engine.ts';
import type { ScheduledEvent } from '../engine/calendar.ts';
import type { RandomStream } from '../engine/random.ts';
import { Resource } from '../engine/resource.ts';
import { BmcTimeoutError, validateBmcParams, type BmcParams, type BootDevice, type PowerState } from './bmc-params.ts';

export * from './bmc-params.ts';

export type BmcCommand = 'powerOn' | 'powerOff' | 'softOff' | 'powerCycle' | 'powerStatus' | 'setBootDevice' | 'getBootDevice' | 'probe';

/** One command as the BMC served it; times in simulated seconds. */
export interface BmcCommandRecord {
  node: number;
  command: BmcCommand;
  /** When the caller issued it. */
  requested: number;
  /** When the BMC took it (after the commands queued before it). */
  start: number;
  /** When the BMC was free again: answer received, caller gave up, or power cycle finished. */
  end: number;
  outcome: 'ok' | 'timeout' | 'aborted';
}

export interface BmcHooks {
  /** The node's power just came on (start its firmware/POST). */
  onPowerOn(node: number): void;
  /** The node's power just went off (stop whatever it was doing). */
  onPowerOff(node: number): void;
  /** Optional: every command once the BMC is done with it (for journals and tests). */
  onCommand?(record: BmcCommandRecord): void;
}

export interface BmcInitialState {
  /** Power state at t=0. Default 'off'. */
  power?: PowerState;
  /** Persistent boot device at t=0. Default 'disk'. */
  bootDevice?: BootDevice;
}

export class BmcModel {
  private state: PowerState;
  private persistentDevice: BootDevice;
  private oneTimeDevice: BootDevice | null = null;
  private pendingSoftOff: ScheduledEvent | null = null;
  private readonly lock: Resource;
  private readonly rng: RandomStream;

  constructor(
    readonly engine: Engine,
    readonly params: BmcParams,
    readonly nodeIndex: number,
    private readonly hooks: BmcHooks,
    /** False for an address with no BMC behind it: every command times out. */
    readonly present = true,
    initial: BmcInitialState = {},
  ) {
    validateBmcParams(params);
    this.state = initial.power ?? 'off';
    this.persistentDevice = initial.bootDevice ?? 'disk';
    this.lock = new Resource(engine, 1, `bmc${nodeIndex}`);
    this.rng = engine.stream(`bmc.${nodeIndex}`);
  }

  /** The node's actual power state now (an oracle for the twin, not a BMC command). */
  get power(): PowerState {
    return this.state;
  }

  /** Commands waiting for the BMC right now. */
  get queued(): number {
    return this.lock.waiting;
  }

  /** Powers the node on (no-op if already on). */
  powerOn(signal?: AbortSignal): Promise<void> {
    return this.command('powerOn', signal, () => this.setPower('on'));
  }

  /** Hard power off (no-op if already off). */
  powerOff(signal?: AbortSignal): Promise<void> {
    return this.command('powerOff', signal, () => this.setPower('off'));
  }

  /**
   * ACPI shutdown request: resolves once the BMC has accepted it; the node powers off
   * `softOffDelay` later unless the OS ignores it (`softOffIgnoreRate`) or another power transition
   * happens first. No effect on a node that is off or already shutting down.
   */
  softOff(signal?: AbortSignal): Promise<void> {
    return this.command('softOff', signal, () => {
      const ignored = this.rng.next() < this.params.softOffIgnoreRate;
      const delay = Math.max(0, this.params.softOffDelay.sample(this.rng.fn));
      if (this.state !== 'on' || ignored || this.pendingSoftOff !== null) return;
      this.pendingSoftOff = this.engine.after(delay, () => {
        this.pendingSoftOff = null;
        this.setPower('off');
      });
    });
  }

  /**
   * Power cycle: if on, off then on again `cycleInterval` later; if off, simply on (xCAT's
   * "rpower boot" semantics, which deployment tools rely on). Resolves once power is back on.
   */
  powerCycle(signal?: AbortSignal): Promise<void> {
    return this.command('powerCycle', signal, async () => {
      if (this.state === 'on') {
        this.setPower('off');
        // No signal: once the BMC has accepted the cycle it completes it on its own.
        await this.engine.timeout(this.params.cycleInterval);
      }
      this.setPower('on');
    });
  }

  /** The power state as the BMC reports it when it answers. */
  powerStatus(signal?: AbortSignal): Promise<PowerState> {
    return this.command('powerStatus', signal, () => this.state);
  }

  /**
   * Sets the boot device: persistent replaces the default device (and clears a pending one-time
   * override); otherwise a one-time override used by the next boot only.
   */
  setBootDevice(device: BootDevice, persistent: boolean, signal?: AbortSignal): Promise<void> {
    return this.command('setBootDevice', signal, () => {
      if (persistent) {
        this.persistentDevice = device;
        this.oneTimeDevice = null;
      } else {
        this.oneTimeDevice = device;
      }
    });
  }

  /** The device the next boot will use, and whether that is the persistent setting. */
  getBootDevice(signal?: AbortSignal): Promise<{ device: BootDevice; persistent: boolean }> {
    return this.command('getBootDevice', signal, () =>
      this.oneTimeDevice === null ? { device: this.persistentDevice, persistent: true } : { device: this.oneTimeDevice, persistent: false },
    );
  }

  /**
   * Discovery probe of this address (IPMI ping / SoL scan): true after the command latency if a
   * BMC answers; rejects with BmcTimeoutError after `timeout` otherwise.
   */
  probe(signal?: AbortSignal): Promise<true> {
    return this.command('probe', signal, () => true as const);
  }

  /**
   * Called by the node when its firmware reaches the boot step (not a BMC command, no latency):
   * returns the one-time override and clears it, or the persistent device.
   */
  consumeBootDevice(): BootDevice {
    const once = this.oneTimeDevice;
    this.oneTimeDevice = null;
    return once ?? this.persistentDevice;
  }

  private setPower(next: PowerState): void {
    if (next === this.state) return;
    // Any real transition ends a pending ACPI shutdown: the OS it was addressed to is gone.
    if (this.pendingSoftOff !== null) {
      this.engine.cancel(this.pendingSoftOff);
      this.pendingSoftOff = null;
    }
    this.state = next;
    if (next === 'on') this.hooks.onPowerOn(this.nodeIndex);
    else this.hooks.onPowerOff(this.nodeIndex);
  }

  private async command<T>(command: BmcCommand, signal: AbortSignal | undefined, act: () => T | Promise<T>): Promise<T> {
    const requested = this.engine.now;
    const release = await this.lock.acquire(signal);
    const start = this.engine.now;
    let outcome: BmcCommandRecord['outcome'] = 'aborted';
    try {
      let answered = false;
      let latency = 0;
      if (this.present) {
        const lost = this.rng.next() < this.params.failureRate;
        latency = Math.max(0, this.params.commandLatency.sample(this.rng.fn));
        answered = !lost && latency <= this.params.timeout;
      }
      if (!answered) {
        await this.engine.timeout(this.params.timeout, signal);
        outcome = 'timeout';
        throw new BmcTimeoutError(this.nodeIndex, command, this.params.timeout);
      }
      await this.engine.timeout(latency, signal);
      const result = await act();
      outcome = 'ok';
      return result;
    } finally {
      release();
      this.hooks.onCommand?.({ node: this.nodeIndex, command, requested, start, end: this.engine.now, outcome });
    }
  }
}
