/**
 * After a power cycle a BMC answers at once and powers the node back on a moment later (IPMI's
 * chassis control waits a BMC-set interval, about 1 s). The Power port resolves a cycle only once
 * power is back on, as the twin's BMC model does, so the adapters poll the status until it is.
 */
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import type { Clock, PowerState } from '../../ports/index.ts';

export interface PowerWait {
  clock: Clock;
  /** Seconds to wait in all. */
  timeout: number;
  /** Seconds between two status queries. */
  interval: number;
}

/** Resolves once `status()` says `want`; a retryable POWER_CYCLE_INCOMPLETE after `wait.timeout`. */
export async function awaitPower(status: () => Promise<PowerState>, want: PowerState, wait: PowerWait, where: string, signal?: AbortSignal): Promise<void> {
  const start = wait.clock.now();
  while (true) {
    if ((await status()) === want) return;
    if (wait.clock.now() - start >= wait.timeout) {
      throw new DeployTwinError(
        ErrorCodes.POWER_CYCLE_INCOMPLETE,
        `${where}: the BMC accepted the power cycle but power was not ${want} again within ${wait.timeout}s`,
        'retryable',
      );
    }
    await wait.clock.sleep(wait.interval, signal);
  }
}
