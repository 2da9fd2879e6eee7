/**
 * The scenario file format (YAML), as a JSON Schema. scenarios/schema.json is generated from this
 * object (`npm run schema`) so editors can complete and check scenario files; a test keeps the
 * two in step.
 *
 * Quantities are strings with units ("10Gb/s", "2GB", "50us"), checked by the custom formats
 * `bytes`, `rate` and `duration` of the scenario loader.
 */

const rate = { type: 'string', format: 'rate', description: 'A rate, e.g. "10Gb/s" (bits) or "125MB/s" (bytes); decimal prefixes unless KiB/MiB/GiB.' };
const bytes = { type: 'string', format: 'bytes', description: 'A size, e.g. "2GB" (1e9 bytes) or "512MiB".' };
const duration = { type: 'string', format: 'duration', description: 'A duration, e.g. "50us", "2ms", "5min".' };

export const scenarioSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://deploytwin.dev/schema/scenario.json',
  title: 'deploytwin scenario',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'cluster', 'network', 'transfer'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$', description: 'Short identifier, used in reports.' },
    note: { type: 'string', description: 'What the scenario models and which published figures it reproduces (with sources).' },
    seed: {
      anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }],
      description: 'Seed of the run; every named random stream derives from it. Default 1.',
    },
    cluster: {
      type: 'object',
      additionalProperties: false,
      required: ['nodes', 'nodesPerRack'],
      properties: {
        nodes: { type: 'integer', minimum: 1, maximum: 10000000, description: 'Number of compute nodes.' },
        nodesPerRack: { type: 'integer', minimum: 1, description: 'Nodes per rack; node i is in rack floor(i / nodesPerRack).' },
      },
    },
    network: {
      type: 'object',
      additionalProperties: false,
      required: ['serverNic', 'rackUplink', 'access'],
      properties: {
        sharing: { enum: ['maxmin', 'lv08'], description: 'Bandwidth sharing: pure max-min ("maxmin", default) or with SimGrid LV08 TCP corrections.' },
        serverNic: { ...rate, description: 'The server NIC into the core switch.' },
        rackUplink: { ...rate, description: "Each rack's edge-switch uplink into the core." },
        access: { ...rate, description: "Each node's access link into its edge switch." },
        latency: { ...duration, description: 'One-way latency of every link (default 0s).' },
        duplex: { enum: ['full', 'half'], description: 'Link duplex (default full: each direction its own capacity).' },
      },
    },
    transfer: {
      type: 'object',
      additionalProperties: false,
      required: ['image', 'distribution'],
      description: 'Send one image from the server to every node.',
      properties: {
        image: { ...bytes, description: 'Bytes each node receives.' },
        distribution: {
          type: 'object',
          required: ['method'],
          properties: {
            method: { enum: ['flat', 'relay'] },
          },
          oneOf: [
            {
              additionalProperties: false,
              properties: {
                method: { const: 'flat', description: 'Every node downloads from the server.' },
                concurrency: { type: 'integer', minimum: 1, description: 'Most downloads at once; the next node starts when one ends (default: all at once).' },
              },
            },
            {
              additionalProperties: false,
              required: ['relays'],
              properties: {
                method: { const: 'relay', description: 'Server to relays, then each relay to the rest of its group of racks.' },
                relays: { type: 'integer', minimum: 1, description: 'Number of relays (groups of whole, contiguous racks).' },
              },
            },
          ],
        },
      },
    },
  },
} as const;

/** A scenario file as written (quantities still strings). */
export interface ScenarioFile {
  name: string;
  note?: string;
  seed?: number | string;
  cluster: { nodes: number; nodesPerRack: number };
  network: {
    sharing?: 'maxmin' | 'lv08';
    serverNic: string;
    rackUplink: string;
    access: string;
    latency?: string;
    duplex?: 'full' | 'half';
  };
  transfer: {
    image: string;
    distribution: { method: 'flat'; concurrency?: number } | { method: 'relay'; relays: number };
  };
}
