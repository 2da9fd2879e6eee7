/**
 * The servers a site run needs while it runs, started in order and stopped in reverse (by PID for
 * dnsmasq): dnsmasq (DHCP, TFTP, IPv6 RA) with its hosts and iPXE scripts in the state directory,
 * a small HTTP server for the per-node iPXE scripts, the artifact server (or an existing web
 * server's URL), and the status endpoint. If any fails to start, those already started are
 * stopped and the error is rethrown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Artifacts, Clock, Journal, PhaseReport } from '../../ports/index.ts';
import { ArtifactServer } from '../artifacts/artifact-server.ts';
import { ExternalArtifacts } from '../artifacts/external-artifacts.ts';
import { DnsmasqBootConfig, DnsmasqProcess, prepareTftpRoot, registerIpxeRoutes, renderDnsmasqConfig } from '../boot/index.ts';
import { StatusServer } from '../events/status-server.ts';
import type { Site } from './load-site.ts';
import { stopLeftover, writePidFile } from './pid-file.ts';

export interface SiteServices {
  bootConfig: DnsmasqBootConfig;
  artifacts: Artifacts;
  status: StatusServer;
  dnsmasq: DnsmasqProcess;
  /** Stops everything started, in reverse order. Idempotent. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock: Clock;
  journal: Journal;
  token: string;
  /** Nodes allowed to report. */
  knownNode: (node: string) => boolean;
  /** Reports an earlier run received (the journal's "phase.report" entries). */
  history: readonly PhaseReport[];
}

export async function startSiteServices(site: Site, o: ServiceOptions): Promise<SiteServices> {
  const stops: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    while (stops.length > 0) await stops.pop()!().catch(() => undefined);
  };
  try {
    const bootDir = join(site.stateDir, 'boot');
    const confPath = join(site.stateDir, 'dnsmasq.conf');
    const pidFile = join(site.stateDir, 'dnsmasq.pid');
    await stopLeftover(pidFile, 'dnsmasq', confPath);
    // dnsmasq reads the boot state directory, so it starts after the adapter that creates it.
    const running: { dnsmasq?: DnsmasqProcess } = {};
    const bootConfig = await DnsmasqBootConfig.open({ stateDir: bootDir, scriptBaseUrl: `${site.boot.scripts.url}/boot`, reload: () => running.dnsmasq!.reload() });
    await mkdir(site.boot.tftpRoot, { recursive: true });
    await prepareTftpRoot(site.boot.tftpRoot);
    const conf = renderDnsmasqConfig({
      interface: site.boot.interface,
      network: site.boot.network,
      netmask: site.boot.netmask,
      state: bootConfig.layout,
      tftpRoot: site.boot.tftpRoot,
      ipxeScriptBaseUrl: `${site.boot.scripts.url}/boot`,
    });
    await writeFile(confPath, conf);
    const dnsmasq = (running.dnsmasq = await DnsmasqProcess.start({ confPath, netns: site.boot.netns, reloadMarker: bootConfig.layout.reloadMarker }));
    await writePidFile(pidFile, dnsmasq.pid);
    stops.push(() => dnsmasq.stop());

    const scripts: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
    registerIpxeRoutes(scripts, { scriptsDir: bootConfig.layout.scriptsDir });
    await scripts.listen({ host: site.boot.scripts.host, port: site.boot.scripts.port });
    stops.push(() => scripts.close());

    let artifacts: Artifacts;
    if (site.artifacts.kind === 'server') {
      const server = await ArtifactServer.start({ host: site.artifacts.host, port: site.artifacts.port, publicUrl: site.artifacts.url, maxDownloads: site.artifacts.maxDownloads });
      stops.push(() => server.close());
      artifacts = server;
    } else artifacts = new ExternalArtifacts({ baseUrl: site.artifacts.url });

    const status = await StatusServer.start({
      token: o.token,
      nodes: o.knownNode,
      clock: o.clock,
      journal: o.journal,
      host: site.status.host,
      port: site.status.port,
      publicUrl: site.status.url,
      history: o.history,
    });
    stops.push(() => status.close());
    return { bootConfig, artifacts, status, dnsmasq, close };
  } catch (e) {
    await close();
    throw e;
  }
}
