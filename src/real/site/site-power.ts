/**
 * The Power a site run hands the orchestrator: the BMC adapter (IpmiPower), with the node's boot
 * counter bumped (SiteBootConfig.nextBoot) before every command that starts a boot (power on,
 * power cycle), so the reports of each boot carry a number of their own.
 */
import type { BootDevice, Power, PowerCapabilities, PowerState } from '../../ports/index.ts';
import type { SiteBootConfig } from './site-boot-config.ts';

export class SitePower implements Power {
  constructor(
    private readonly inner: Power,
    private readonly boots: Pick<SiteBootConfig, 'nextBoot'>,
  ) {}

  get capabilities(): PowerCapabilities {
    return this.inner.capabilities;
  }

  async powerOn(node: string, signal?: AbortSignal): Promise<void> {
    await this.boots.nextBoot(node, signal);
    await this.inner.powerOn(node, signal);
  }

  async powerCycle(node: string, signal?: AbortSignal): Promise<void> {
    await this.boots.nextBoot(node, signal);
    await this.inner.powerCycle(node, signal);
  }

  powerOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.inner.powerOff(node, signal);
  }

  softOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.inner.softOff(node, signal);
  }

  powerStatus(node: string, signal?: AbortSignal): Promise<PowerState> {
    return this.inner.powerStatus(node, signal);
  }

  setBootDevice(node: string, device: BootDevice, persistent: boolean, signal?: AbortSignal): Promise<void> {
    return this.inner.setBootDevice(node, device, persistent, signal);
  }
}
