import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ErrorCodes } from '../../src/errors.ts';
import { parseDistribution } from '../../src/scenario/distribution.ts';
import { distributionSchema, hostlistSchema, unitSchema } from '../../src/scenario/scenario-ajv.ts';
import { unitParsers } from '../../src/scenario/units.ts';
import { checkScenarioText, formatProblem, loadScenarioFile, loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import { errorOf } from '../helpers/error-of.ts';

const FILE = 'scenarios/x.yaml';

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'nodes', 'topology'],
  properties: {
    image: { type: 'string', minLength: 1 },
    nodes: { type: 'integer', minimum: 1 },
    hosts: hostlistSchema(),
    topology: {
      type: 'object',
      additionalProperties: false,
      required: ['access'],
      properties: {
        racks: { type: 'integer', minimum: 1, maximum: 100 },
        nodesPerRack: { type: 'integer', minimum: 1 },
        access: unitSchema('rate'),
        buffer: unitSchema('bytes'),
      },
    },
    distribution: {
      type: 'object',
      additionalProperties: false,
      properties: { method: { type: 'string', enum: ['flat', 'relay'] }, fanout: { type: 'integer', minimum: 1 } },
    },
    boot: distributionSchema('duration'),
    phases: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string' }, time: distributionSchema('duration') },
      },
    },
    storage: {
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'path'],
          properties: { kind: { const: 'nfs' }, path: { type: 'string' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'bucket'],
          properties: { kind: { const: 's3' }, bucket: { type: 'string' } },
        },
      ],
    },
    label: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
  },
} as const;

const VALID = `image: rocky-9.4
nodes: 13000
hosts: node[00001-13000]
topology:
  racks: 65
  nodesPerRack: 200
  access: 10Gb/s
  buffer: 512MiB
boot: {dist: normal, mean: 50s, sd: 5s, min: 30s}
phases:
  - name: pxe
    time: 2s
  - name: image
    time:
      dist: empirical
      values: [40s, 60s]
      weights: [3, 1]
storage: {kind: s3, bucket: images}
`;

/** The problem lines for a text, or [] if it is valid. */
function problems(text: string, schema: object = SCHEMA): string[] {
  return checkScenarioText(text, FILE, schema).problems.map(formatProblem);
}


describe('a valid scenario', () => {
  it('loads as the plain JS value, unchanged', () => {
    const value = loadScenarioText<Record<string, unknown>>(VALID, FILE, SCHEMA);
    expect(value).toEqual({
      image: 'rocky-9.4',
      nodes: 13000,
      hosts: 'node[00001-13000]',
      topology: { racks: 65, nodesPerRack: 200, access: '10Gb/s', buffer: '512MiB' },
      boot: { dist: 'normal', mean: '50s', sd: '5s', min: '30s' },
      phases: [
        { name: 'pxe', time: '2s' },
        { name: 'image', time: { dist: 'empirical', values: ['40s', '60s'], weights: [3, 1] } },
      ],
      storage: { kind: 's3', bucket: 'images' },
    });
    expect(parseDistribution(value.boot, unitParsers.duration, 'boot').kind).toBe('normal');
  });

  it('reports nothing through checkScenarioText', () => {
    const check = checkScenarioText(VALID, FILE, SCHEMA);
    expect(check.ok).toBe(true);
    expect(check.problems).toEqual([]);
  });
});

describe('each kind of problem, with its line and column', () => {
  const base = 'image: x\nnodes: 3\n';

  it.each<[string, string, string]>([
    ['unknown key, pointing at the key', `${base}topology:\n  access: 1Gb/s\n  nodesPerRak: 3\n`, `${FILE}:5:3: unknown key "nodesPerRak" in topology (did you mean "nodesPerRack"?)`],
    ['unknown key at the top, no close match', `${base}topology: {access: 1Gb/s}\nzzz: 1\n`, `${FILE}:4:1: unknown key "zzz" in (top level)`],
    ['unit with its own message', `${base}topology:\n  access: 1 gigabit\n`, `${FILE}:4:11: topology.access: expected a rate like "10Gb/s", "10Gbps" or "125MB/s", got "1 gigabit"`],
    ['unit given as a bare number', `${base}topology:\n  access: 10\n`, `${FILE}:4:11: topology.access: expected a rate like "10Gb/s", "10Gbps" or "125MB/s", got 10 (a unit is required)`],
    ['size in bits', `${base}topology:\n  access: 1Gb/s\n  buffer: 4Gb\n`, `${FILE}:5:11: topology.buffer: expected a data size like "2GB" or "512MiB", got "4Gb" ("Gb" is bits; a data size must be in bytes ("B", e.g. "2GB"))`],
    ['integer bounds', 'image: x\nnodes: -3\ntopology: {access: 1Gb/s}\n', `${FILE}:2:8: nodes: expected an integer >= 1, got -3`],
    ['integer range', `${base}topology: {access: 1Gb/s, racks: 300}\n`, `${FILE}:3:34: topology.racks: expected an integer between 1 and 100, got 300`],
    ['wrong type', 'image: x\nnodes: many\ntopology: {access: 1Gb/s}\n', `${FILE}:2:8: nodes: expected an integer >= 1, got "many"`],
    ['enum with suggestion', `${base}topology: {access: 1Gb/s}\ndistribution:\n  method: rely\n`, `${FILE}:5:11: distribution.method: expected one of "flat", "relay", got "rely" (did you mean "relay"?)`],
    ['hostlist', `${base}topology: {access: 1Gb/s}\nhosts: node[10-1]\n`, `${FILE}:4:8: hosts: invalid hostlist "node[10-1]": range "10-1" goes backwards (write "1-10"?)`],
    ['string length', 'image: ""\nnodes: 3\ntopology: {access: 1Gb/s}\n', `${FILE}:1:8: image: expected a non-empty string, got ""`],
    ['empty value, pointing at its key', `${base}topology: {access: 1Gb/s}\nboot:\n`, `${FILE}:4:1: boot: expected a duration like "45s", or a distribution such as {dist: uniform, min: ..., max: ...}, got an empty value`],
    ['list item path', `${base}topology: {access: 1Gb/s}\nphases:\n  - name: pxe\n  - name: 7\n`, `${FILE}:6:11: phases[1].name: expected a string, got 7`],
    ['top level is not a mapping', '- a\n- b\n', `${FILE}:1:1: (top level): expected a mapping, got a list`],
    ['empty document', '', `${FILE}:1:1: (top level): expected a mapping, got an empty value`],
  ])('%s', (_name, text, line) => {
    expect(problems(text)).toContain(line);
  });

  it('missing required keys point at the mapping that lacks them', () => {
    expect(problems('# a comment\nnodes: 3\ntopology:\n  racks: 2\n')).toEqual([
      `${FILE}:2:1: missing required key "image" in (top level)`,
      `${FILE}:4:3: missing required key "access" in topology`,
    ]);
  });

  it('distribution shape problems name the key and the kind', () => {
    expect(problems(`${base}topology: {access: 1Gb/s}\nboot: {dist: unifrom, min: 1s, max: 2s}\n`)).toEqual([
      `${FILE}:4:14: boot.dist: expected one of "constant", "uniform", "normal", "lognormal", "empirical", got "unifrom" (did you mean "uniform"?)`,
    ]);
    expect(problems(`${base}topology: {access: 1Gb/s}\nboot: {dist: uniform, min: 1s, mx: 2s}\n`)).toEqual([
      `${FILE}:4:7: missing required key "max" in boot`,
      `${FILE}:4:32: unknown key "mx" in boot (did you mean "max"?)`,
    ]);
    expect(problems(`${base}topology: {access: 1Gb/s}\nboot: {dist: normal, mean: 1 min, sd: 5}\n`)).toEqual([
      `${FILE}:4:39: boot.sd: expected a duration like "30s", "250ms" or "1h30min", got 5 (a unit is required)`,
    ]);
  });

  it('distribution meaning is checked once the shape is right', () => {
    expect(problems(`${base}topology: {access: 1Gb/s}\nboot:\n  dist: uniform\n  min: 10s\n  max: 5s\n`)).toEqual([
      `${FILE}:5:3: boot: min (10s) is above max (5s)`,
    ]);
    expect(problems(`${base}topology: {access: 1Gb/s}\nphases:\n  - name: a\n    time: {dist: empirical, values: [1s], weights: [0]}\n`)).toEqual([
      `${FILE}:6:11: phases[0].time.weights: at least one weight must be above 0`,
    ]);
  });

  it('oneOf reports the branch the value was meant for, not every branch', () => {
    expect(problems(`${base}topology: {access: 1Gb/s}\nstorage: {kind: s3, bucket: b, path: /x}\n`)).toEqual([
      `${FILE}:4:32: unknown key "path" in storage (allowed: "kind", "bucket")`,
    ]);
    expect(problems(`${base}topology: {access: 1Gb/s}\nstorage: {kind: nfs}\n`)).toEqual([
      `${FILE}:4:10: missing required key "path" in storage`,
    ]);
  });

  it('a value matching no alternative at all says what the alternatives are', () => {
    expect(problems(`${base}topology: {access: 1Gb/s}\nlabel: [1]\nstorage: 5\n`)).toEqual([
      `${FILE}:4:8: label: expected a string or an integer, got a list`,
      `${FILE}:5:10: storage: expected a mapping, got 5`,
    ]);
  });
});

describe('schema vocabulary', () => {
  it('allows union types, and describes them', () => {
    const schema = { type: 'object', properties: { limit: { type: ['integer', 'null'], minimum: 0 } } };
    expect(problems('limit:\n', schema)).toEqual([]);
    expect(problems('limit: lots\n', schema)).toEqual([`${FILE}:1:8: limit: expected an integer or an empty value >= 0, got "lots"`]);
  });

  it('uses an x-expected phrase for values of the wrong shape', () => {
    const schema = { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z]+$', 'x-expected': 'a lowercase name like "alpha"' } } };
    expect(problems('id: Alpha1\n', schema)).toEqual([`${FILE}:1:5: id: expected a lowercase name like "alpha", got "Alpha1"`]);
  });

  it('checks rate distributions with the rate parser', () => {
    const schema = { type: 'object', properties: { link: distributionSchema('rate') } };
    expect(problems('link: {dist: uniform, min: 1Gb/s, max: 10Gb/s}\n', schema)).toEqual([]);
    expect(problems('link: {dist: uniform, min: 1Gb/s, max: 10GB}\n', schema)).toEqual([
      `${FILE}:1:40: link.max: expected a rate like "10Gb/s", "10Gbps" or "125MB/s", got "10GB" (a rate needs "/s": write "GB/s")`,
    ]);
  });

  it('points at keys that need escaping in JSON pointers', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { 'a/b': { type: 'integer' } } };
    expect(problems('"a/b": x\n"c~d": 1\n', schema)).toEqual([
      `${FILE}:1:8: ["a/b"]: expected an integer, got "x"`,
      `${FILE}:2:1: unknown key "c~d" in (top level) (allowed: "a/b")`,
    ]);
  });
});

describe('YAML syntax', () => {
  it('reports duplicate keys by name, as syntax problems', () => {
    const check = checkScenarioText('image: x\nnodes: 3\nnodes: 4\ntopology: {access: 1Gb/s}\n', FILE, SCHEMA);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.code).toBe(ErrorCodes.SCENARIO_YAML_SYNTAX);
    expect(check.problems.map(formatProblem)).toEqual([`${FILE}:3:1: duplicate key "nodes": keys must be unique within a mapping`]);
  });

  it('reports every syntax error with its position and does not validate a broken document', () => {
    const lines = problems('image: x\n  nodes: [1, 2\ntopology:\n\taccess: 1Gb/s\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^scenarios\/x\.yaml:\d+:\d+: \S/);
    expect(lines.join('\n')).not.toContain('missing required key');
  });

  it('refuses tags, which a scenario has no use for', () => {
    expect(problems('image: !custom x\n')).toEqual([`${FILE}:1:8: Unresolved tag: !custom`]);
  });

  it('refuses several documents in one file', () => {
    expect(problems('image: x\n---\nnodes: 3\n')[0]).toMatch(/^scenarios\/x\.yaml:2:1: .*multiple documents/);
  });

  it('refuses an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join('\n');
    const check = checkScenarioText(bomb, FILE, {});
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.code).toBe(ErrorCodes.SCENARIO_YAML_SYNTAX);
  });
});

describe('throwing API', () => {
  it('reports all problems at once, sorted by position, in one UsageError', () => {
    const text = [
      'nodes: -3', //                     1
      'topology:', //                     2
      '  nodesPerRak: 3', //              3
      '  access: 1 gigabit', //           4
      'distribution:', //                 5
      '  method: rely', //                6
    ].join('\n');
    const e = errorOf(() => loadScenarioText(text, FILE, SCHEMA));
    expect(e.code).toBe(ErrorCodes.SCENARIO_INVALID);
    expect(e.message).toBe(`${FILE}: 5 problems`);
    expect(e.details).toEqual([
      `${FILE}:1:1: missing required key "image" in (top level)`,
      `${FILE}:1:8: nodes: expected an integer >= 1, got -3`,
      `${FILE}:3:3: unknown key "nodesPerRak" in topology (did you mean "nodesPerRack"?)`,
      `${FILE}:4:11: topology.access: expected a rate like "10Gb/s", "10Gbps" or "125MB/s", got "1 gigabit"`,
      `${FILE}:6:11: distribution.method: expected one of "flat", "relay", got "rely" (did you mean "relay"?)`,
    ]);
  });

  it('says "1 problem" for one', () => {
    expect(errorOf(() => loadScenarioText('a: [', FILE, {})).message).toBe(`${FILE}: 1 problem`);
  });

  it('loads files, and reports a missing one as CLI_FILE_NOT_FOUND', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploytwin-loader-'));
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, VALID);
    expect(loadScenarioFile<{ nodes: number }>(path, SCHEMA).nodes).toBe(13000);
    const missing = errorOf(() => loadScenarioFile(join(dir, 'nope.yaml'), SCHEMA));
    expect(missing.code).toBe(ErrorCodes.CLI_FILE_NOT_FOUND);
    expect(missing.message).toContain('no such file');
    expect(errorOf(() => loadScenarioFile(dir, SCHEMA)).code).toBe(ErrorCodes.CLI_FILE_NOT_FOUND);
  });

  it('prefixes problems with the file name given', () => {
    const e = errorOf(() => loadScenarioText('nodes: 1\n', 'other.yaml', SCHEMA));
    expect(e.details.every((l) => l.startsWith('other.yaml:'))).toBe(true);
  });
});

describe('round trip', () => {
  const unitString = fc.oneof(
    fc.tuple(fc.nat(10_000), fc.constantFrom('Gb/s', 'Mb/s', 'MB/s', 'Gbps')).map(([n, u]) => `${n}${u}`),
  );
  const duration = fc.tuple(fc.nat(10_000), fc.constantFrom('s', 'ms', 'min', 'h')).map(([n, u]) => `${n}${u}`);
  const dist = fc.oneof(
    duration,
    fc.record({ dist: fc.constant('constant'), value: duration }),
    fc.tuple(fc.nat(100), fc.nat(100)).map(([a, b]) => ({ dist: 'uniform', min: `${a}s`, max: `${a + b}s` })),
    fc.record({ dist: fc.constant('lognormal'), mean: fc.integer({ min: 1, max: 100 }).map((n) => `${n}s`), sd: duration }),
    fc.array(fc.tuple(duration, fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 4 }).map((pairs) => ({
      dist: 'empirical',
      values: pairs.map(([v]) => v),
      weights: pairs.map(([, w]) => w),
    })),
  );
  const scenario = fc.record(
    {
      image: fc.string({ minLength: 1 }),
      nodes: fc.integer({ min: 1, max: 1_000_000 }),
      hosts: fc.tuple(fc.constantFrom('node', 'gpu', 'r1n'), fc.nat(50), fc.nat(50)).map(([p, a, b]) => `${p}[${a}-${a + b}],login1`),
      topology: fc.record({ access: unitString, racks: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: ['access'] }),
      distribution: fc.record({ method: fc.constantFrom('flat', 'relay'), fanout: fc.integer({ min: 1, max: 64 }) }, { requiredKeys: [] }),
      boot: dist,
      phases: fc.array(fc.record({ name: fc.string(), time: dist }, { requiredKeys: ['name'] }), { maxLength: 4 }),
      label: fc.oneof(fc.string(), fc.integer()),
    },
    { requiredKeys: ['image', 'nodes', 'topology'] },
  );

  it('any valid scenario written with yaml.stringify loads back equal', () => {
    fc.assert(
      fc.property(scenario, (value) => {
        expect(loadScenarioText(stringify(value), FILE, SCHEMA)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('any JSON value loads back equal under a permissive schema', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(loadScenarioText(stringify(value), FILE, {})).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });
});
