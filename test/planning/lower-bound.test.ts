/**
 * The lower bound on scenarios small enough to compute by hand: every expected figure below is
 * written out from the scenario's numbers (bytes, bytes/s, seconds), not taken from the code.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.ts';
import { lowerBound, formatLowerBound, type BoundTerm } from '../../src/planning/lower-bound.ts';
import { loadScenario } from '../../src/twin/load.ts';
import { errorOf } from '../helpers/error-of.ts';
import { scenarioFromText } from './scenario-text.ts';

const term = (terms: BoundTerm[], kind: string, label?: string) => terms.find((t) => t.kind === kind && (label === undefined || t.label === label));

// Every request to the HTTP server waits its default request latency first.
const REQ = 0.001;

describe('lower bound: transfer scenarios', () => {
  it('flat-169: the server NIC carries 169 x 110 MB at 1.25 GB/s', () => {
    const b = lowerBound(loadScenario('flat-169'));
    expect(b.seconds).toBeCloseTo((169 * 110e6) / 1.25e9, 9);
    expect(b.binding.kind).toBe('server-nic');
    // Each node alone: 110 MB over its 1 Gb/s access link.
    expect(term(b.terms, 'node-path')!.seconds).toBeCloseTo(110e6 / 125e6, 12);
    // The busiest rack: 13 nodes x 110 MB through a 10 Gb/s uplink.
    expect(term(b.terms, 'rack-uplink')!.seconds).toBeCloseTo((13 * 110e6) / 1.25e9, 12);
  });

  it('flat-8437-w100: a concurrency cap is policy, so the bound is the server NIC alone (and the run meets it)', () => {
    const b = lowerBound(loadScenario('flat-8437-w100'));
    expect(b.seconds).toBeCloseTo((8437 * 2e9) / 1.25e9, 6);
  });

  it('relay-13000: the 90 largest groups (104 nodes) cannot all get their relay early', () => {
    const b = lowerBound(loadScenario('relay-13000'));
    // 1,000 racks in 130 groups: 90 of 8 racks (103 children) and 40 of 7 (90 children).
    // The k-th relay has its image at max(2 GB / 125 MB/s, k x 2 GB / 1.25 GB/s); a relay then
    // sends its children 2 GB each through its 125 MB/s access link. Largest groups first:
    // k = 90 gives 90 x 1.6 + 103 x 16 = 1792 s; k = 130 gives 208 + 90 x 16 = 1648 s.
    expect(b.binding.kind).toBe('relay-fan-out');
    expect(b.seconds).toBeCloseTo(90 * 1.6 + 103 * 16, 9);
    expect(term(b.terms, 'server-nic')!.seconds).toBeCloseTo((130 * 2e9) / 1.25e9, 9);
  });

  it('refuses more relays than racks, as the twin does', () => {
    const text = 'name: t\ncluster: { nodes: 8, nodesPerRack: 4 }\nnetworks:\n  e: { serverNic: 1Gb/s, rackUplink: 1Gb/s, access: 1Gb/s }\ntransfer: { image: 1GB, distribution: { method: relay, relays: 3 } }\n';
    const e = errorOf(() => lowerBound(scenarioFromText(text)));
    expect(e.code).toBe(ErrorCodes.SCENARIO_INVALID);
    expect(e.message).toMatch(/3 relays, but the cluster has 2 racks/);
  });
});

const BOOT_FILES = ['  bootloader: { size: 1MB, protocol: http }', '  kernel: { size: 4MB, protocol: http }', '  initrd: { size: 20MB, protocol: http }'];

describe('lower bound: deployment scenarios', () => {
  it('64 nodes by HTTP: each node path, the server NIC (binding) and the HTTP reads', () => {
    const s = scenarioFromText(
      [
        'name: server-bound',
        'cluster: { nodes: 64, nodesPerRack: 4 }',
        'networks:',
        '  eth: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 1Gb/s, latency: 0s }',
        'hardware: { post: 10s }',
        'boot:',
        ...BOOT_FILES,
        '  rootfs: { method: http, image: { format: squashfs, size: 500MB, algorithm: zstd, bootRead: 128MiB }, clientRate: 50MB/s }',
        '  mount: 1s',
        '  init: 5s',
        '',
      ].join('\n'),
    );
    const b = lowerBound(s);
    // Mounting decompresses 1024 blocks of 128 KiB at 224 MB/s on each of 4 cores.
    const mount = 1 + (1024 * 131072) / (224e6 * 4);
    const files = REQ + 1e6 / 125e6 + (REQ + 4e6 / 125e6) + (REQ + 20e6 / 125e6);
    // The rootfs is capped by the client at 50 MB/s, below the 125 MB/s access link.
    const rootfs = REQ + 500e6 / 50e6;
    expect(term(b.terms, 'node-path')!.seconds).toBeCloseTo(10 + files + rootfs + mount + 5, 9);
    // All 64 x 525 MB leave through the 1.25 GB/s NIC, after the first POST (10 s); after the last
    // byte (a rootfs at the earliest) that node still mounts and inits.
    expect(b.binding.kind).toBe('server-nic');
    expect(b.seconds).toBeCloseTo(10 + (64 * 525e6) / 1.25e9 + mount + 5, 9);
    expect(term(b.terms, 'server-http-read')!.seconds).toBeCloseTo(10 + (64 * 525e6) / 2e9 + mount + 5, 9);
    expect(term(b.terms, 'rack-uplink')!.seconds).toBeCloseTo(10 + (4 * 525e6) / 1.25e9 + mount + 5, 9);
    expect(formatLowerBound(b)).toMatch(/^lower bound 43\.030 s, bound by server NICs \(eth\)\n/);
  });

  it('two relays: the relays get their image, then the busiest serves 7 children at its serve rate', () => {
    const s = scenarioFromText(
      [
        'name: relays',
        'cluster: { nodes: 16, nodesPerRack: 4 }',
        'networks:',
        '  eth: { serverNic: 10Gb/s, rackUplink: 2Gb/s, access: 1Gb/s, latency: 0s }',
        'hardware: { post: 10s }',
        'boot:',
        '  bootloader: { size: 1MB, protocol: http }',
        '  kernel: { size: 1MB, protocol: http }',
        '  initrd: { size: 1MB, protocol: http }',
        '  rootfs: { method: http, image: { format: squashfs, size: 1GB, algorithm: zstd, bootRead: 0B } }',
        '  mount: 1s',
        '  init: 5s',
        'deploy: { relays: 2, relayServeRate: 100MB/s }',
        '',
      ].join('\n'),
    );
    const b = lowerBound(s);
    const head = 10 + 3 * (REQ + 1e6 / 125e6);
    const relayImage = REQ + 1e9 / 125e6;
    // 4 racks in 2 groups of 2: each relay serves 7 children (3 in its rack, 4 in the next).
    // Busiest egress: 7 x 1 GB at the relay's 100 MB/s serve rate (access: 56 s, uplink out: 16 s).
    expect(b.binding.kind).toBe('relay-fan-out');
    expect(b.seconds).toBeCloseTo(head + relayImage + (7 * 1e9) / 100e6 + 6, 9);
    expect(term(b.terms, 'node-path', 'node path (child)')!.seconds).toBeCloseTo(head + REQ + 1e9 / 100e6 + 6, 9);
    // Rack 1 takes 4 rootfs from its relay in rack 0 plus 4 x 3 MB of boot files from the server.
    expect(term(b.terms, 'rack-uplink')!.seconds).toBeCloseTo(10 + (4 * 1e9 + 4 * 3e6) / 250e6 + 6, 9);
  });

  it('peer-to-peer: N x S over the upload capacity of the server and every peer', () => {
    const s = scenarioFromText(
      [
        'name: swarm',
        'cluster: { nodes: 8, nodesPerRack: 8 }',
        'networks:',
        '  eth: { serverNic: 1Gb/s, rackUplink: 10Gb/s, access: 1Gb/s, latency: 0s }',
        'hardware: { post: 10s, localBoot: 10s }',
        'boot:',
        '  bootloader: { size: 1MB, protocol: http }',
        '  kernel: { size: 1MB, protocol: http }',
        '  initrd: { size: 1MB, protocol: http }',
        '  rootfs: { method: p2p, target: disk, image: { format: disk, size: 1GB, writeRate: 1GB/s } }',
        '  mount: 1s',
        '  init: 5s',
        '',
      ].join('\n'),
    );
    const b = lowerBound(s);
    const head = 10 + 3 * (REQ + 1e6 / 125e6);
    // After the image: write 1 GB at 1 GB/s, reboot (POST 10 s + local boot 10 s), mount, init.
    const tail = 1 + 20 + 1 + 5;
    expect(term(b.terms, 'p2p-swarm')!.seconds).toBeCloseTo(head + (8 * 1e9) / (125e6 + 8 * 125e6) + tail, 9);
    expect(term(b.terms, 'node-path')!.seconds).toBeCloseTo(head + 1e9 / 125e6 + tail, 9);
  });

  it('rsync: per-file round trips and the stream rate add up on the node; the server stats every file', () => {
    const s = scenarioFromText(
      [
        'name: rsync',
        'cluster: { nodes: 10, nodesPerRack: 10 }',
        'networks:',
        '  eth: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 10Gb/s, latency: 0s }',
        'hardware: { post: { dist: uniform, min: 20s, max: 40s } }',
        'services: { rsync: { perFileCost: 1ms, serverFileRate: 5000, clientRate: 100MB/s } }',
        'boot:',
        ...BOOT_FILES,
        '  rootfs: { method: rsync, image: { format: tree, size: 1GB, files: 10000 } }',
        '  mount: 1s',
        '  init: { dist: lognormal, mean: 10s, sd: 2s }',
        '',
      ].join('\n'),
    );
    const b = lowerBound(s);
    // POST at its minimum (20 s), init at a lognormal's (0 s).
    const head = 20 + REQ + 1e6 / 1.25e9 + (REQ + 4e6 / 1.25e9) + (REQ + 20e6 / 1.25e9);
    expect(term(b.terms, 'node-path')!.seconds).toBeCloseTo(head + 10000 * 0.001 + 1e9 / 100e6 + 1, 9);
    expect(term(b.terms, 'server-rsync-files')!.seconds).toBeCloseTo(head + (10 * 10000) / 5000 + 1, 9);
  });
});
