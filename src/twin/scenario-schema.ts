/**
 * The scenario file format (YAML), as a JSON Schema. scenarios/schema.json is generated from this
 * object (`npm run schema`) so editors can complete and check scenario files; a test keeps the
 * two in step.
 *
 * Two kinds of scenario share the cluster and network sections:
 * - a transfer scenario (`transfer:`) sends one image from the server to every node, the pure
 *   network problem of the simulation core's reference scenarios;
 * - a deployment scenario (`boot:` and `deploy:`) takes every node from power-on to booted,
 *   through BMC, PXE/DHCP, boot loader, kernel, initrd, root filesystem, mount and init.
 *
 * Quantities are strings with units ("10Gb/s", "2GB", "50us"), checked by the custom formats of
 * the scenario loader; time and rate parameters marked as distributions accept
 * `{ dist: uniform | normal | lognormal | empirical | constant, ... }` too.
 */
import { distributionSchema, hostlistSchema, unitSchema } from '../scenario/scenario-ajv.ts';

const rate = unitSchema('rate');
const bytes = unitSchema('bytes');
const duration = unitSchema('duration');
const describe = <T extends object>(schema: T, description: string) => ({ ...schema, description });
const obj = (properties: Record<string, unknown>, required: string[] = [], description?: string) => ({
  type: 'object',
  additionalProperties: false,
  ...(required.length ? { required } : {}),
  properties,
  ...(description ? { description } : {}),
});
const networkName = { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', description: 'The name of a network defined under networks.' };

const networkSchema = obj(
  {
    serverNic: describe(rate, 'Each server NIC into the core switch.'),
    rackUplink: describe(rate, "Each rack's edge-switch uplink into the core."),
    access: describe(rate, "Each node's access link into its edge switch."),
    latency: describe(duration, 'One-way latency of every link (default 0s).'),
    duplex: { enum: ['full', 'half'], description: 'Link duplex (default full: each direction its own capacity).' },
  },
  ['serverNic', 'rackUplink', 'access'],
);

const bootFile = obj(
  {
    size: describe(bytes, 'Size of the file.'),
    protocol: { enum: ['tftp', 'http'], description: 'How the node fetches it.' },
    network: networkName,
    clientRate: describe(distributionSchema('rate'), "The client's own rate cap (e.g. a boot loader's slow HTTP stack), drawn per node."),
  },
  ['size', 'protocol'],
);

const image = {
  type: 'object',
  required: ['format'],
  properties: { format: { enum: ['tree', 'squashfs', 'disk'] } },
  oneOf: [
    obj({ format: { const: 'tree', description: 'A file tree (rsync, NFS).' }, size: bytes, files: { type: 'integer', minimum: 1 } }, ['format', 'size', 'files']),
    obj(
      {
        format: { const: 'squashfs', description: 'A compressed read-only image mounted under an overlay.' },
        size: describe(bytes, 'Compressed size (what is transferred).'),
        algorithm: { enum: ['gzip', 'lzo', 'lz4', 'xz', 'zstd'] },
        bootRead: describe(bytes, 'Bytes read (and decompressed) from the image while booting (default 300MB).'),
      },
      ['format', 'size'],
    ),
    obj({ format: { const: 'disk', description: 'A disk image written to local disk.' }, size: bytes, writeRate: rate }, ['format', 'size']),
  ],
};

const transferSection = obj(
  {
    image: describe(bytes, 'Bytes each node receives.'),
    network: networkName,
    distribution: {
      type: 'object',
      required: ['method'],
      properties: { method: { enum: ['flat', 'relay'] } },
      oneOf: [
        obj(
          {
            method: { const: 'flat', description: 'Every node downloads from the server.' },
            concurrency: { type: 'integer', minimum: 1, description: 'Most downloads at once; the next node starts when one ends (default: all at once).' },
          },
          ['method'],
        ),
        obj(
          {
            method: { const: 'relay', description: 'Server to relays, then each relay to the rest of its group of racks.' },
            relays: { type: 'integer', minimum: 1, description: 'Number of relays (groups of whole, contiguous racks).' },
          },
          ['method', 'relays'],
        ),
      ],
    },
  },
  ['image', 'distribution'],
  'Send one image from the server to every node (the network problem alone).',
);

const bootSection = obj(
  {
    pxe: { enum: ['pxe', 'ipxe'], description: 'DHCP client retry schedule: PXE firmware (4, 8, 16, 32 s) or iPXE (1, 2, 4, 8 s). Default pxe.' },
    dhcpLoss: { type: 'number', minimum: 0, maximum: 1, description: 'Probability a DHCP packet is lost (default 0).' },
    bootloader: bootFile,
    kernel: bootFile,
    initrd: bootFile,
    rootfs: obj(
      {
        method: {
          enum: ['http', 'rsync', 'nfs', 'hybrid', 'multicast', 'chain', 'p2p'],
          description: 'How the root filesystem reaches the node (hybrid: an HTTP capsule plus an NFS-mounted part, as Perceus VNFS).',
        },
        target: { enum: ['ram', 'disk'], description: 'ram: diskless (default); disk: written to local disk, then the node reboots from it.' },
        image,
        network: networkName,
        clientRate: describe(distributionSchema('rate'), 'Per-node rate cap of the rootfs download (e.g. one wget stream on a slow CPU).'),
        sessionWait: describe(duration, 'multicast, chain, p2p: how long a session waits after its first node joins for the rest of its group (default 120s).'),
        retry: obj(
          {
            tries: { type: 'integer', minimum: 1, description: 'Attempts in all (wget --tries, default 20).' },
            waitretry: describe(duration, 'Longest wait between attempts; waits grow 1 s, 2 s, ... up to it (wget --waitretry, default 10s).'),
          },
          [],
          'How the node retries a refused or timed-out download.',
        ),
        admission: obj(
          {
            flows: { type: 'integer', minimum: 1, description: 'Downloads that make progress at once; the others sit in TCP retransmission-timeout backoff (calibrated).' },
            first: describe(distributionSchema('duration'), "A connection's first retransmission timeout, drawn per connection; it doubles on each retry (default 200ms, Linux TCP_RTO_MIN)."),
            max: describe(duration, 'Longest retransmission timeout (default 120s, Linux TCP_RTO_MAX).'),
            giveUpAfter: describe(duration, 'Backoff after which the sender gives up and the client retries (default 924.6s, Linux tcp_retries2 = 15).'),
          },
          ['flows'],
          'http, hybrid: a TCP backoff lockout of the rootfs downloads from each source (Morris, ICNP 1997); a freed place goes to whoever retries first. Default: none.',
        ),
      },
      ['method', 'image'],
    ),
    kernelStart: describe(
      distributionSchema('duration'),
      "Time from the end of the initrd download to the initrd's /init starting the root filesystem download: kernel start-up, drivers, network up. Recorded as phase kernel-start when given; absent, it is not modelled (folded into init).",
    ),
    mount: describe(distributionSchema('duration'), 'Time to mount the root filesystem beyond reading it (default 1s).'),
    init: describe(distributionSchema('duration'), 'Time from switch-root to the status report (services, systemd) (default 20s).'),
  },
  ['bootloader', 'kernel', 'initrd', 'rootfs'],
  'What a node does from power-on to booted.',
);

export const scenarioSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://deploytwin.dev/schema/scenario.json',
  title: 'deploytwin scenario',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'cluster', 'networks'],
  // Either a transfer scenario or a deployment scenario, never both.
  oneOf: [
    { required: ['transfer'], properties: { transfer: true, boot: false, deploy: false, hardware: false, services: false } },
    { required: ['boot'], properties: { boot: true, transfer: false } },
  ],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$', description: 'Short identifier, used in reports.' },
    note: { type: 'string', description: 'What the scenario models and which published figures it reproduces (with sources).' },
    seed: {
      anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }],
      description: 'Seed of the run; every named random stream derives from it. Default 1.',
    },
    cluster: obj(
      {
        nodes: { type: 'integer', minimum: 1, maximum: 10000000, description: 'Number of compute nodes.' },
        nodesPerRack: { type: 'integer', minimum: 1, description: 'Nodes per rack; node i is in rack floor(i / nodesPerRack).' },
        names: describe(hostlistSchema(), 'Node names in rack-major order, as a hostlist (default node[0001-N]).'),
        servers: { type: 'integer', minimum: 1, description: 'Deployment servers, each with a NIC on every network (default 1).' },
      },
      ['nodes', 'nodesPerRack'],
    ),
    networks: {
      type: 'object',
      minProperties: 1,
      description: 'Named networks (fabrics), each a server NIC into a core switch, rack uplinks and node access links.',
      propertyNames: { pattern: '^[a-z][a-z0-9_-]*$' },
      additionalProperties: networkSchema,
    },
    sharing: { enum: ['maxmin', 'lv08'], description: 'Bandwidth sharing: pure max-min ("maxmin", default) or with SimGrid LV08 TCP corrections.' },
    transfer: transferSection,
    hardware: obj(
      {
        post: describe(distributionSchema('duration'), 'Firmware time from power-on to PXE (KNL nodes are slow; default 2min).'),
        cores: { type: 'integer', minimum: 1, description: 'Cores decompressing the SquashFS boot working set in parallel, and reported at commissioning (default 4).' },
        memory: describe(bytes, 'Memory of a node, reported at commissioning (default 96GB).'),
        disk: describe(bytes, 'Local disk of a node, reported at commissioning (default none: diskless).'),
        localBoot: describe(distributionSchema('duration'), 'After an install to disk: time from the reboot (after POST) to init (default 30s).'),
        bmc: obj({
          protocol: { enum: ['ipmi', 'redfish'] },
          latency: describe(distributionSchema('duration'), 'Time per BMC command.'),
          failureRate: { type: 'number', minimum: 0, maximum: 1, description: 'Probability a BMC command gets no answer.' },
          timeout: duration,
        }),
      },
      [],
      'The nodes themselves.',
    ),
    services: obj(
      {
        dhcp: obj({ serviceTime: distributionSchema('duration'), workers: { type: 'integer', minimum: 1 }, backlog: { type: 'integer', minimum: 0 } }),
        tftp: obj({
          blksize: { type: 'integer', minimum: 8, maximum: 65464 },
          windowsize: { type: 'integer', minimum: 1, maximum: 65535 },
          turnaround: duration,
          lossRate: { type: 'number', minimum: 0, maximum: 1 },
          maxTransfers: { type: 'integer', minimum: 1 },
        }),
        rsync: obj({
          perFileCost: describe(duration, 'Per-file round trips of one rsync client (default ~1 ms, calibrated on KiERA Table I).'),
          serverFileRate: { type: 'number', exclusiveMinimum: 0, description: 'Files per second the rsync server stats and opens for all clients (default 20000).' },
          clientRate: describe(rate, 'Byte rate of one rsync stream (default 77 MB/s).'),
        }),
        nfs: obj({
          workingSet: describe(bytes, 'Bytes a node reads from its NFS root while booting (default 200MB).'),
          ops: { type: 'integer', minimum: 1, description: 'NFS operations of one boot (default 20000).' },
          serverOpsRate: { type: 'number', exclusiveMinimum: 0, description: 'NFS operations per second the server handles for all clients (default 15000).' },
          opLatency: describe(duration, 'Round trip of one NFS operation (default 0.5 ms).'),
        }),
        http: obj({
          maxConnections: { type: 'integer', minimum: 1 },
          overflow: { enum: ['queue', 'refuse'] },
          readBandwidth: rate,
        }),
      },
      [],
      'The deployment server(s).',
    ),
    boot: bootSection,
    deploy: obj(
      {
        wave: { type: 'integer', minimum: 1, description: 'Most nodes in flight (powered on and not yet booted) at once (default: all).' },
        stagger: describe(duration, 'Pause between two power-ons (default 0s).'),
        jitter: describe(duration, 'Each power-on is delayed a further uniform 0..jitter (default 0s).'),
        relays: { type: 'integer', minimum: 0, description: 'Relay nodes (one per group of whole racks) deployed first, which then serve their group (default 0).' },
        relayServeRate: describe(rate, "Bytes/s a relay's HTTP server delivers to all its clients together (default 10GB/s: files in RAM)."),
        relayBootFiles: { type: 'boolean', description: 'Relays also serve their group the HTTP boot files (kernel, initrd), not only the rootfs (default false).' },
        relayImages: {
          type: 'integer',
          minimum: 1,
          description: 'Copies of the rootfs image each relay receives, e.g. 2 for its own system plus the image it serves (BCM) (default 1).',
        },
        relaysBecomeCompute: { type: 'boolean', description: "A relay whose group is done gets a compute boot entry and role (BCM) (default false)." },
        attempts: { type: 'integer', minimum: 1, maximum: 100, description: 'Power-on attempts per node, the first included (default 1: no retry).' },
        bootTimeout: describe(duration, 'Time a node may take from power-on to "booted" before the attempt counts as failed (default: none).'),
        backoff: describe(duration, 'Wait before the 2nd attempt, doubling for each later one (default 30s).'),
        softOffGrace: describe(duration, 'On a retry: time given to an ACPI soft off before a hard power-off; 0s goes straight to hard off (default 60s).'),
        perRack: { type: 'integer', minimum: 1, description: 'Most nodes in flight per rack (default: no cap).' },
        perSource: { type: 'integer', minimum: 1, description: 'Most nodes in flight per rootfs source: the server, each relay (default: no cap).' },
        bmcCommands: { type: 'integer', minimum: 1, description: 'Most BMC commands in flight over the BMC network (default: no cap).' },
      },
      [],
      'How the nodes are powered on and served.',
    ),
  },
} as const;

/** A network as written. */
export interface NetworkFile {
  serverNic: string;
  rackUplink: string;
  access: string;
  latency?: string;
  duplex?: 'full' | 'half';
}

/** A scenario file as written (quantities still strings). Deployment sections are typed where they are read. */
export interface ScenarioFile {
  name: string;
  note?: string;
  seed?: number | string;
  cluster: { nodes: number; nodesPerRack: number; names?: string; servers?: number };
  networks: Record<string, NetworkFile>;
  sharing?: 'maxmin' | 'lv08';
  transfer?: {
    image: string;
    network?: string;
    distribution: { method: 'flat'; concurrency?: number } | { method: 'relay'; relays: number };
  };
  hardware?: Record<string, unknown>;
  services?: Record<string, unknown>;
  boot?: Record<string, unknown>;
  deploy?: Record<string, unknown>;
}
