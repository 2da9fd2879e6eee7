/**
 * The BootConfig port on dnsmasq + per-node iPXE scripts (files laid out as in boot-state.ts).
 *
 * write(entry): validates and renders everything first (a bad entry writes nothing), then
 * updates, in this order, only the files whose content changes: the iPXE script, the hosts line;
 * reloads dnsmasq (SIGHUP) if the hosts line changed; then records the entry. A node that got its
 * DHCP answer before the reload fetches a script that is already the new one (the script names
 * no address), and every file swap is a rename, so a booting node sees the old or the new entry,
 * never a half-written one. remove(node) takes the hosts line away first, reloads, then deletes
 * the script and the record. Calls for one node run one at a time.
 *
 * If a reload fails after files changed, the next write or remove reloads even when its own
 * files are unchanged, so a retry converges.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import type { BootConfig, BootEntry } from '../../ports/index.ts';
import { removeFileIfPresent, writeFileIfChanged } from './atomic-file.ts';
import { bootStateLayout, ensureBootState, type BootStateLayout } from './boot-state.ts';
import { renderDhcpHost } from './dhcp-entries.ts';
import { checkNodeName, checkUrl } from './entry-check.ts';
import { renderIpxeScript } from './ipxe-script.ts';

export interface DnsmasqBootConfigOptions {
  /** Directory of the per-node files (created if missing); the same one the dnsmasq configuration names. */
  stateDir: string;
  /**
   * URL prefix nodes fetch scripts from: a node's script is `${scriptBaseUrl}/${node}.ipxe` (see
   * ipxe-route.ts). The dnsmasq configuration's ipxeScriptBaseUrl must be the same.
   */
  scriptBaseUrl: string;
  /** Makes dnsmasq re-read its hosts and options directories, e.g. `() => dnsmasq.reload()`. */
  reload: () => Promise<void>;
}

/** The entry as stored: keys sorted, undefined fields left out, so equal entries give equal text. */
function recordText(entry: BootEntry): string {
  const fields = Object.entries(entry).filter(([, v]) => v !== undefined);
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(fields), null, 2) + '\n';
}

export class DnsmasqBootConfig implements BootConfig {
  readonly layout: BootStateLayout;
  private readonly chains = new Map<string, Promise<unknown>>();
  private reloadPending = false;

  private constructor(private readonly options: DnsmasqBootConfigOptions) {
    this.layout = bootStateLayout(options.stateDir);
  }

  /** Creates the state directories if needed and returns the adapter. */
  static async open(options: DnsmasqBootConfigOptions): Promise<DnsmasqBootConfig> {
    checkUrl('DnsmasqBootConfig scriptBaseUrl', options.scriptBaseUrl);
    const config = new DnsmasqBootConfig({ ...options, scriptBaseUrl: options.scriptBaseUrl.replace(/\/+$/, '') });
    await ensureBootState(config.layout);
    return config;
  }

  /** The URL the node's iPXE fetches its script from. */
  scriptUrl(node: string): string {
    return `${this.options.scriptBaseUrl}/${node}.ipxe`;
  }

  private paths(node: string) {
    const l = this.layout;
    return { hosts: join(l.hostsDir, node), script: join(l.scriptsDir, `${node}.ipxe`), record: join(l.entriesDir, `${node}.json`) };
  }

  /** Runs `work` after every earlier call for the same node has settled. */
  private serialise<T>(node: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(node) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.chains.set(node, tail);
    void tail.then(() => {
      if (this.chains.get(node) === tail) this.chains.delete(node);
    });
    return next;
  }

  private async reloadIf(changed: boolean): Promise<void> {
    if (!changed && !this.reloadPending) return;
    this.reloadPending = true;
    await this.options.reload();
    this.reloadPending = false;
  }

  async write(entry: BootEntry, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const script = renderIpxeScript(entry);
    const hosts = renderDhcpHost(entry);
    const record = recordText(entry);
    const p = this.paths(entry.node);
    const tmp = this.layout.tmpDir;
    await this.serialise(entry.node, async () => {
      await writeFileIfChanged(p.script, script, tmp);
      await this.reloadIf(await writeFileIfChanged(p.hosts, hosts, tmp));
      await writeFileIfChanged(p.record, record, tmp);
    });
  }

  async remove(node: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    checkNodeName(node);
    const p = this.paths(node);
    await this.serialise(node, async () => {
      await this.reloadIf(await removeFileIfPresent(p.hosts));
      await removeFileIfPresent(p.script);
      await removeFileIfPresent(p.record);
    });
  }

  async read(node: string): Promise<BootEntry | undefined> {
    checkNodeName(node);
    const path = this.paths(node).record;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DeployTwinError(ErrorCodes.BOOT_WRITE_FAILED, `could not read boot entry ${path}: ${(e as Error).message}`, 'fatal', { cause: e });
    }
    return JSON.parse(text) as BootEntry;
  }
}
