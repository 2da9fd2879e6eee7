/**
 * The lower bound never exceeds what the twin simulates: on random small scenarios (every rootfs
 * method, relays, two fabrics, TFTP and HTTP, client caps, distributions, both sharing models) and
 * on the reference scenarios. (The seed scenarios are checked with their regression baseline, in
 * seeds-baseline.test.ts, which runs them anyway.) A run with failed nodes can end sooner than
 * any full deployment, so only complete runs count. The slack of 1e-9 is for rounding where the
 * bound is tight (flat transfers meet it exactly).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/planning/lower-bound.ts';
import { loadScenario } from '../../src/twin/load.ts';
import { simulate } from '../../src/twin/simulate.ts';
import { scenarioFromText } from './scenario-text.ts';

const rate = fc.constantFrom('100Mb/s', '1Gb/s', '10Gb/s', '40Gb/s');
const latency = fc.constantFrom('0s', '50us', '1ms');
const network = fc.record({ serverNic: rate, rackUplink: rate, access: rate, latency, duplex: fc.constantFrom('full', 'half') });
const seconds = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const duration = fc.oneof(
  seconds(0, 30).map((s) => `${s}s`),
  fc.tuple(seconds(0, 20), seconds(0, 20)).map(([a, b]) => `{ dist: uniform, min: ${a}s, max: ${a + b}s }`),
  seconds(1, 20).map((s) => `{ dist: lognormal, mean: ${s}s, sd: 3s }`),
  seconds(5, 20).map((s) => `{ dist: normal, mean: ${s}s, sd: 4s, min: 2s }`),
);
const clientRate = fc.option(fc.constantFrom('20MB/s', '{ dist: uniform, min: 5MB/s, max: 80MB/s }', '{ dist: lognormal, mean: 30MB/s, sd: 10MB/s }'), { nil: undefined });
const fabric = fc.constantFrom('eth', 'fab');
const bootFile = fc.record({ size: fc.constantFrom('100KB', '2MB', '15MB'), protocol: fc.constantFrom('tftp', 'http'), network: fabric, clientRate });
const image = fc.oneof(
  fc.record({ format: fc.constant('squashfs'), size: fc.constantFrom('20MB', '150MB'), algorithm: fc.constantFrom('gzip', 'xz', 'zstd'), bootRead: fc.constantFrom('0B', '50MB') }),
  fc.record({ format: fc.constant('tree'), size: fc.constantFrom('30MB', '200MB'), files: fc.integer({ min: 100, max: 20000 }) }),
  fc.record({ format: fc.constant('disk'), size: fc.constantFrom('40MB', '200MB'), writeRate: fc.constantFrom('50MB/s', '500MB/s') }),
);

const flow = (o: Record<string, unknown>) => `{ ${Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`;

const scenarioText = fc
  .record({
    nodes: fc.integer({ min: 1, max: 16 }),
    perRack: fc.integer({ min: 1, max: 6 }),
    servers: fc.integer({ min: 1, max: 2 }),
    sharing: fc.constantFrom('maxmin', 'lv08'),
    eth: network,
    fab: network,
    post: duration,
    localBoot: duration,
    mount: duration,
    init: duration,
    files: fc.tuple(bootFile, bootFile, bootFile),
    method: fc.constantFrom('http', 'rsync', 'nfs', 'hybrid', 'multicast', 'chain', 'p2p'),
    target: fc.constantFrom('ram', 'disk'),
    image,
    rootfsNetwork: fabric,
    rootfsRate: clientRate,
    relayFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    relayImages: fc.integer({ min: 1, max: 2 }),
    relayBootFiles: fc.boolean(),
    relayServeRate: fc.constantFrom('200MB/s', '10GB/s'),
    wave: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    stagger: fc.constantFrom('0s', '200ms'),
    sessionWait: fc.constantFrom('1s', '30s'),
  })
  .map((p) => {
    const racks = Math.ceil(p.nodes / p.perRack);
    // The orchestrator serves only the unicast schemes through relays.
    const relays = ['http', 'rsync', 'nfs', 'hybrid'].includes(p.method) ? Math.floor(p.relayFraction * racks) : 0;
    const [bootloader, kernel, initrd] = p.files;
    return [
      'name: random',
      'seed: 7',
      `cluster: { nodes: ${p.nodes}, nodesPerRack: ${p.perRack}, servers: ${p.servers} }`,
      `sharing: ${p.sharing}`,
      'networks:',
      `  eth: ${flow(p.eth)}`,
      `  fab: ${flow(p.fab)}`,
      `hardware: { post: ${p.post}, localBoot: ${p.localBoot} }`,
      'services: { tftp: { blksize: 1468 }, rsync: { serverFileRate: 20000 }, nfs: { workingSet: 20MB, ops: 2000 } }',
      'boot:',
      `  bootloader: ${flow(bootloader)}`,
      `  kernel: ${flow(kernel)}`,
      `  initrd: ${flow(initrd)}`,
      `  rootfs: ${flow({ method: p.method, target: p.target, image: flow(p.image), network: p.rootfsNetwork, clientRate: p.rootfsRate, sessionWait: p.sessionWait })}`,
      `  mount: ${p.mount}`,
      `  init: ${p.init}`,
      `deploy: ${flow({ relays, relayImages: p.relayImages, relayBootFiles: p.relayBootFiles, relayServeRate: p.relayServeRate, wave: p.wave, stagger: p.stagger })}`,
      '',
    ].join('\n');
  });

describe('lower bound <= simulated makespan', () => {
  it('on random small deployment scenarios', async () => {
    let complete = 0;
    await fc.assert(
      fc.asyncProperty(scenarioText, async (text) => {
        const scenario = scenarioFromText(text);
        const bound = lowerBound(scenario);
        const result = await simulate(scenario);
        if (result.failures.length > 0) return;
        complete++;
        expect(bound.seconds, `${text}\nbound by ${bound.binding.label}: ${bound.binding.detail}`).toBeLessThanOrEqual(result.makespan * (1 + 1e-9));
      }),
      { numRuns: 60 },
    );
    // Most random scenarios deploy every node; the property must not hold vacuously.
    expect(complete).toBeGreaterThan(30);
  }, 600_000);

  it.each(['flat-169', 'flat-8437-w100', 'relay-13000', 'relay-100000'])('on the reference scenario %s', async (name) => {
    const scenario = loadScenario(name);
    const result = await simulate(scenario);
    expect(lowerBound(scenario).seconds).toBeLessThanOrEqual(result.makespan * (1 + 1e-9));
  });
});
