/**
 * Discovery (KiERA's first stage): scan a BMC address range, probe every address with bounded
 * parallelism, and register every answering BMC as a temporary node ("bmc-<address>") in the
 * inventory, journal first. Absent addresses cost one probe timeout each but never slow the scan
 * beyond that: at most `parallelism` probes wait at once. Idempotent: BMCs already in the
 * inventory are not registered again.
 */
import type { BmcRecord, Ports } from '../ports/index.ts';
import { Semaphore } from './semaphore.ts';

export interface DiscoverOptions {
  /** Addresses to probe, in order. */
  addresses: readonly string[];
  port: number;
  /** Name of the credentials entry to use (never the secret itself). */
  credentials: string;
  /** Seconds a probe waits for an answer. */
  timeout: number;
  /** Probes in flight at once. */
  parallelism: number;
}

export interface DiscoverResult {
  /** BMCs that answered, in address order (new and already known). */
  found: BmcRecord[];
  /** Addresses that did not answer. */
  silent: string[];
}

export async function discover(ports: Pick<Ports, 'scanner' | 'inventory' | 'journal'>, options: DiscoverOptions): Promise<DiscoverResult> {
  const { scanner, inventory, journal } = ports;
  const known = new Map((await inventory.bmcs()).map((b) => [`${b.address}:${b.port}`, b]));
  const slots = new Semaphore(options.parallelism);
  const answered = new Array<boolean>(options.addresses.length);
  await Promise.all(
    options.addresses.map(async (address, i) => {
      const release = await slots.acquire();
      try {
        answered[i] = await scanner.probe({ address, port: options.port, credentials: options.credentials, timeout: options.timeout });
      } catch {
        answered[i] = false;
      } finally {
        release();
      }
    }),
  );
  const found: BmcRecord[] = [];
  const silent: string[] = [];
  // Registration in address order, so the journal and the inventory do not depend on answer timing.
  for (const [i, address] of options.addresses.entries()) {
    if (!answered[i]) {
      silent.push(address);
      continue;
    }
    const key = `${address}:${options.port}`;
    const existing = known.get(key);
    if (existing) {
      found.push(existing);
      continue;
    }
    const record: BmcRecord = { address, port: options.port, credentials: options.credentials, node: `bmc-${address}` };
    await journal.append({ type: 'discover.bmc', node: record.node, data: { address, port: options.port } });
    await inventory.putBmc(record);
    found.push(record);
  }
  return { found, silent };
}
