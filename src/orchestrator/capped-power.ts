/**
 * A cap on BMC commands in flight over the whole BMC network: a management network of 1G edge
 * switches and BMCs with small CPUs loses packets (and IPMI sessions) when thousands of commands
 * arrive at once. Wraps any Power port; per-node serialisation stays the implementation's job.
 */
import type { BootDevice, Power, PowerCapabilities, PowerState } from '../ports/index.ts';
import { Semaphore } from './semaphore.ts';

export class CappedPower implements Power {
  private readonly slots: Semaphore;

  constructor(
    private readonly inner: Power,
    inFlight: number,
  ) {
    this.slots = new Semaphore(inFlight);
  }

  get capabilities(): PowerCapabilities {
    return this.inner.capabilities;
  }

  /** Highest number of commands in flight at once. */
  get peak(): number {
    return this.slots.peak;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    const release = await this.slots.acquire();
    try {
      return await command();
    } finally {
      release();
    }
  }

  powerOn(node: string, signal?: AbortSignal): Promise<void> {
    return this.run(() => this.inner.powerOn(node, signal));
  }

  powerOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.run(() => this.inner.powerOff(node, signal));
  }

  softOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.run(() => this.inner.softOff(node, signal));
  }

  powerCycle(node: string, signal?: AbortSignal): Promise<void> {
    return this.run(() => this.inner.powerCycle(node, signal));
  }

  powerStatus(node: string, signal?: AbortSignal): Promise<PowerState> {
    return this.run(() => this.inner.powerStatus(node, signal));
  }

  setBootDevice(node: string, device: BootDevice, persistent: boolean, signal?: AbortSignal): Promise<void> {
    return this.run(() => this.inner.setBootDevice(node, device, persistent, signal));
  }
}
