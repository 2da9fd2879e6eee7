/**
 * Where the dnsmasq boot configuration lives on disk, one file per node in each directory so
 * that writing or removing one node's entry touches only that node's files:
 *
 *   <stateDir>/hosts/<node>      dhcp-hostsfile line: MAC -> address, name       (dnsmasq, SIGHUP)
 *   <stateDir>/ipxe/<node>.ipxe  the node's iPXE script                            (HTTP route)
 *   <stateDir>/entries/<node>.json  the BootEntry in force                        (read())
 *   <stateDir>/tmp/              temporary files before rename (kept out of the directory
 *                                dnsmasq reads, so a reload never sees a half-written file)
 *   <stateDir>/reload-marker     an empty dhcp-optsfile: dnsmasq logs "read <it>" in each reload,
 *                                which DnsmasqProcess.reload waits for
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface BootStateLayout {
  root: string;
  hostsDir: string;
  scriptsDir: string;
  entriesDir: string;
  tmpDir: string;
  reloadMarker: string;
}

export function bootStateLayout(stateDir: string): BootStateLayout {
  const root = resolve(stateDir);
  return {
    root,
    hostsDir: join(root, 'hosts'),
    scriptsDir: join(root, 'ipxe'),
    entriesDir: join(root, 'entries'),
    tmpDir: join(root, 'tmp'),
    reloadMarker: join(root, 'reload-marker'),
  };
}

/**
 * Creates the directories and the marker (idempotent). Modes 0755/0644: dnsmasq drops root for
 * "nobody" after start and must still read these files on SIGHUP.
 */
export async function ensureBootState(layout: BootStateLayout): Promise<void> {
  for (const dir of [layout.hostsDir, layout.scriptsDir, layout.entriesDir, layout.tmpDir]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
  }
  await writeFile(layout.reloadMarker, '', { flag: 'a', mode: 0o644 });
}
