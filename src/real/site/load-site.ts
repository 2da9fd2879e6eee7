/**
 * Reads a site file (site-schema.ts) into a Site: every default filled in, every path made
 * absolute (relative paths are relative to the site file, so a site directory can be moved
 * whole), the BMC range expanded, listen addresses split. Throws UsageError naming the field.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { ErrorCodes, UsageError } from '../../errors.ts';
import { loadScenarioFile } from '../../scenario/yaml-loader.ts';
import { siteSchema, type SiteFile } from './site-schema.ts';
import { expandIpv4Range } from './ipv4-range.ts';

export interface Listen {
  host: string;
  port: number;
  /** The base URL nodes use: publicUrl, else http://host:port. */
  url: string;
}

export interface Site {
  file: string;
  name: string;
  stateDir: string;
  bmc: Required<Omit<SiteFile['bmc'], 'range'>> & { addresses: string[] };
  nodes: { prefix: string; width: number; nodesPerRack: number; bootNetwork: { start: string; prefixLength: number }; sshPublicKeyFile?: string };
  boot: { interface: string; netns?: string; network: string; netmask: string; tftpRoot: string; scripts: Listen; kernelArgs: string };
  artifacts: ({ kind: 'server'; maxDownloads: number } & Listen) | { kind: 'external'; url: string };
  status: Listen;
  image: Required<SiteFile['image']>;
  commission: { parallelism: number; timeout: number };
  deploy: { wave: number; stagger: number; attempts: number; bootTimeout: number; backoff: number };
}

function listenOf(field: string, l: { listen: string; publicUrl?: string }): Listen {
  const [host, portText] = l.listen.split(':');
  const port = Number(portText);
  if (!(port >= 1 && port <= 65535)) throw new UsageError(ErrorCodes.SITE_INVALID, `${field}.listen: port must be 1-65535, got ${portText}`);
  return { host, port, url: (l.publicUrl ?? `http://${host}:${port}`).replace(/\/+$/, '') };
}

export function loadSite(path: string): Site {
  const file = resolve(path);
  const s = loadScenarioFile<SiteFile>(file, siteSchema);
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(dirname(file), p));
  const stateDir = at(s.stateDir);
  const addresses = expandIpv4Range(s.bmc.range, 'bmc.range');
  const bootMacs = Object.fromEntries(Object.entries(s.bmc.bootMacs).map(([a, m]) => [a, m.toLowerCase()]));
  return {
    file,
    name: s.name,
    stateDir,
    bmc: {
      addresses,
      port: s.bmc.port ?? 623,
      user: s.bmc.user,
      passwordFile: at(s.bmc.passwordFile),
      cipherSuite: s.bmc.cipherSuite ?? 3,
      probeTimeout: s.bmc.probeTimeout ?? 2,
      parallelism: s.bmc.parallelism ?? 32,
      commandsInFlight: s.bmc.commandsInFlight ?? 16,
      bootMacs,
    },
    nodes: {
      prefix: s.nodes.prefix,
      width: s.nodes.width ?? 1,
      nodesPerRack: s.nodes.nodesPerRack ?? 40,
      bootNetwork: s.nodes.bootNetwork,
      sshPublicKeyFile: s.nodes.sshPublicKeyFile === undefined ? undefined : at(s.nodes.sshPublicKeyFile),
    },
    boot: {
      interface: s.boot.interface,
      netns: s.boot.netns,
      network: s.boot.network,
      netmask: s.boot.netmask,
      tftpRoot: at(s.boot.tftpRoot ?? `${s.stateDir}/tftp`),
      scripts: listenOf('boot.scripts', s.boot.scripts),
      kernelArgs: s.boot.kernelArgs ?? '',
    },
    artifacts: 'url' in s.artifacts ? { kind: 'external', url: s.artifacts.url } : { kind: 'server', maxDownloads: s.artifacts.maxDownloads ?? 64, ...listenOf('artifacts', s.artifacts) },
    status: listenOf('status', s.status),
    image: { name: s.image.name, kernel: at(s.image.kernel), initrd: at(s.image.initrd), rootfs: at(s.image.rootfs), scheme: s.image.scheme ?? 'http', target: s.image.target ?? 'ram' },
    commission: { parallelism: s.commission?.parallelism ?? 8, timeout: s.commission?.timeout ?? 600 },
    deploy: {
      wave: s.deploy?.wave ?? 8,
      stagger: s.deploy?.stagger ?? 1,
      attempts: s.deploy?.attempts ?? 2,
      bootTimeout: s.deploy?.bootTimeout ?? 600,
      backoff: s.deploy?.backoff ?? 10,
    },
  };
}
