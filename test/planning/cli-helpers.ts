/** Running the deploytwin command line in-process for the planning tests, and a small scenario file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false });
  return { code, out, err };
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'deploytwin-planning-'));
}

/**
 * Writes a 6-node deployment scenario (2 racks of 3, HTTP rootfs, POST drawn from 10-30 s so that
 * seeds differ) into `dir` and returns its path. Each run takes a few milliseconds.
 */
export function smallScenarioFile(dir: string, name = 'small'): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      `name: ${name}`,
      'seed: 3',
      'cluster: { nodes: 6, nodesPerRack: 3 }',
      'networks:',
      '  eth: { serverNic: 1Gb/s, rackUplink: 1Gb/s, access: 1Gb/s, latency: 50us }',
      'hardware: { post: { dist: uniform, min: 10s, max: 30s } }',
      'boot:',
      '  bootloader: { size: 100KB, protocol: tftp }',
      '  kernel: { size: 5MB, protocol: http }',
      '  initrd: { size: 20MB, protocol: http }',
      '  rootfs: { method: http, image: { format: squashfs, size: 200MB } }',
      '  init: 5s',
      '',
    ].join('\n'),
  );
  return path;
}
