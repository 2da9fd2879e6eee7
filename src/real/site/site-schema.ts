/**
 * The site file of `deploytwin real`: which real adapters drive which machines. Plain data as the
 * file says it (YAML, validated against this schema with every problem reported at once, like a
 * scenario); load-site.ts fills in defaults and resolves paths. Nothing secret goes in it: the
 * BMC password lives in its own file (mode 0600), named here.
 */
const ipv4 = { type: 'string', pattern: '^(\\d{1,3}\\.){3}\\d{1,3}$' } as const;
const listen = { type: 'string', pattern: '^(\\d{1,3}\\.){3}\\d{1,3}:\\d{1,5}$', description: 'address:port to listen on' } as const;
const mac = { type: 'string', pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$' } as const;
const path = { type: 'string', minLength: 1 } as const;
const seconds = { type: 'number', exclusiveMinimum: 0 } as const;
const count = { type: 'integer', minimum: 1 } as const;

function obj(properties: Record<string, object>, required: string[] = []): object {
  return { type: 'object', additionalProperties: false, properties, required };
}

export const siteSchema = obj(
  {
    name: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'Cluster name (also the default group name).' },
    stateDir: { ...path, description: 'SQLite journal + inventory, boot state, token, dnsmasq PID file (relative to the site file).' },
    bmc: obj(
      {
        range: { type: 'string', pattern: '^(\\d{1,3}\\.){3}\\d{1,3}(-(\\d{1,3}\\.){3}\\d{1,3})?$', description: 'First-last IPv4 address scanned for BMCs.' },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        user: { type: 'string', minLength: 1, maxLength: 16 },
        passwordFile: path,
        cipherSuite: { type: 'integer', minimum: 0, maximum: 17 },
        probeTimeout: seconds,
        parallelism: count,
        commandsInFlight: count,
        bootMacs: { type: 'object', propertyNames: ipv4, additionalProperties: mac, description: 'MAC of the NIC that PXE-boots, by BMC address.' },
      },
      ['range', 'user', 'passwordFile', 'bootMacs'],
    ),
    nodes: obj(
      {
        prefix: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9-]{0,30}$' },
        width: { type: 'integer', minimum: 1, maximum: 9 },
        nodesPerRack: count,
        bootNetwork: obj({ start: ipv4, prefixLength: { type: 'integer', minimum: 8, maximum: 30 } }, ['start', 'prefixLength']),
        sshPublicKeyFile: path,
      },
      ['prefix', 'bootNetwork'],
    ),
    boot: obj(
      {
        interface: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,15}$' },
        netns: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Run dnsmasq in this network namespace (the HTTP servers listen where deploytwin runs).' },
        network: ipv4,
        netmask: ipv4,
        tftpRoot: path,
        scripts: obj({ listen, publicUrl: { type: 'string' } }, ['listen']),
        kernelArgs: { type: 'string', pattern: '^[^\\x00-\\x1f$;]*$' },
      },
      ['interface', 'network', 'netmask', 'scripts'],
    ),
    artifacts: {
      oneOf: [
        obj({ listen, publicUrl: { type: 'string' }, maxDownloads: count }, ['listen']),
        obj({ url: { type: 'string', pattern: '^https?://' } }, ['url']),
      ],
    },
    status: obj({ listen, publicUrl: { type: 'string' } }, ['listen']),
    image: obj(
      {
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$' },
        kernel: path,
        initrd: path,
        rootfs: path,
        scheme: { enum: ['http'] },
        target: { enum: ['ram'] },
      },
      ['name', 'kernel', 'initrd', 'rootfs'],
    ),
    commission: obj({ parallelism: count, timeout: seconds }),
    deploy: obj({ wave: count, stagger: { type: 'number', minimum: 0 }, attempts: { type: 'integer', minimum: 1, maximum: 20 }, bootTimeout: seconds, backoff: { type: 'number', minimum: 0 } }),
  },
  ['name', 'stateDir', 'bmc', 'nodes', 'boot', 'artifacts', 'status', 'image'],
);

/** The site file as written. */
export interface SiteFile {
  name: string;
  stateDir: string;
  bmc: {
    range: string;
    port?: number;
    user: string;
    passwordFile: string;
    cipherSuite?: number;
    probeTimeout?: number;
    parallelism?: number;
    commandsInFlight?: number;
    bootMacs: Record<string, string>;
  };
  nodes: { prefix: string; width?: number; nodesPerRack?: number; bootNetwork: { start: string; prefixLength: number }; sshPublicKeyFile?: string };
  boot: { interface: string; netns?: string; network: string; netmask: string; tftpRoot?: string; scripts: { listen: string; publicUrl?: string }; kernelArgs?: string };
  artifacts: { listen: string; publicUrl?: string; maxDownloads?: number } | { url: string };
  status: { listen: string; publicUrl?: string };
  image: { name: string; kernel: string; initrd: string; rootfs: string; scheme?: 'http'; target?: 'ram' };
  commission?: { parallelism?: number; timeout?: number };
  deploy?: { wave?: number; stagger?: number; attempts?: number; bootTimeout?: number; backoff?: number };
}
