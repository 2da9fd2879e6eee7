/**
 * What a test on real parts (namespaces, VMs, daemons) needs from the machine, so that it can skip
 * with the reason printed rather than fail where scripts/install-system-deps.sh has not run.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when `bin` is an executable on PATH. */
export function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What is missing for a test that needs root, /dev/net/tun, these programs and these files: one phrase each. */
export function missingForNetnsTest(bins: readonly string[], files: readonly string[]): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('not running as root (network namespaces and taps need it)');
  if (!existsSync('/dev/net/tun')) missing.push('/dev/net/tun is missing');
  for (const bin of bins) if (!onPath(bin)) missing.push(`${bin} is not installed`);
  for (const f of files) if (!existsSync(f)) missing.push(`${f} is missing`);
  return missing;
}
