/**
 * The optional kernel start-up between the initrd and the rootfs download (boot.kernelStart): when
 * given, every node has a kernel-start phase of exactly that length and its rootfs download starts
 * when it ends; when absent, no such phase exists and the rootfs follows the initrd at once (the
 * seeds' calibrations do not change).
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/yaml-loader.ts';
import { resolveScenario } from '../../src/twin/scenario.ts';
import { scenarioSchema, type ScenarioFile } from '../../src/twin/scenario-schema.ts';
import { simulate } from '../../src/twin/simulate.ts';
import type { PhaseRecord } from '../../src/twin/result.ts';

function scenario(kernelStart: string): string {
  return `
name: kernel-start
cluster: { nodes: 12, nodesPerRack: 4 }
networks:
  ethernet: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 1Gb/s, latency: 50us }
hardware:
  post: { dist: uniform, min: 10s, max: 20s }
boot:
  bootloader: { size: 100KB, protocol: tftp }
  kernel: { size: 5MB, protocol: http }
  initrd: { size: 20MB, protocol: http }
  rootfs: { method: http, image: { format: squashfs, size: 500MB } }
${kernelStart}`;
}

async function records(kernelStart: string): Promise<PhaseRecord[]> {
  const file = loadScenarioText<ScenarioFile>(scenario(kernelStart), 'kernel-start.yaml', scenarioSchema);
  return (await simulate(resolveScenario(file))).records;
}

const of = (rs: PhaseRecord[], node: number, phase: string) => rs.find((r) => r.node === node && r.phase === phase)!;

describe('boot.kernelStart', () => {
  it('puts a phase of that length between the initrd and the rootfs download', async () => {
    const rs = await records('  kernelStart: 7.5s');
    for (let node = 0; node < 12; node++) {
      const start = of(rs, node, 'kernel-start');
      expect(start.start).toBe(of(rs, node, 'initrd').end);
      expect(start.end - start.start).toBeCloseTo(7.5, 9);
      expect(of(rs, node, 'rootfs').start).toBe(start.end);
    }
  });

  it('is not modelled when absent: no phase, the rootfs follows the initrd', async () => {
    const rs = await records('');
    expect(rs.some((r) => r.phase === 'kernel-start')).toBe(false);
    for (let node = 0; node < 12; node++) expect(of(rs, node, 'rootfs').start).toBe(of(rs, node, 'initrd').end);
  });

  it('takes a distribution, drawn per node', async () => {
    const rs = await records('  kernelStart: { dist: uniform, min: 5s, max: 15s }');
    const lengths = rs.filter((r) => r.phase === 'kernel-start').map((r) => r.end - r.start);
    expect(lengths).toHaveLength(12);
    for (const l of lengths) {
      expect(l).toBeGreaterThanOrEqual(5);
      expect(l).toBeLessThanOrEqual(15);
    }
    expect(new Set(lengths).size).toBeGreaterThan(1);
  });
});
