/**
 * The orchestrator's stages from the command line, on the twin: discover, commission, configure,
 * nodes and deploy (with --plan, --json, --csv, --journal), run in-process through main().
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';

const tmp = mkdtempSync(join(tmpdir(), 'deploytwin-stages-'));
const SMALL = join(tmp, 'small.yaml');
writeFileSync(
  SMALL,
  [
    'name: small',
    'cluster: { nodes: 12, nodesPerRack: 4, names: "cn[01-12]" }',
    'networks:',
    '  ethernet: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 1Gb/s }',
    'hardware: { post: 30s, cores: 32, memory: 192GB }',
    'boot:',
    '  bootloader: { size: 100KB, protocol: tftp }',
    '  kernel: { size: 5MB, protocol: http }',
    '  initrd: { size: 20MB, protocol: http }',
    '  rootfs: { method: http, image: { format: squashfs, size: 300MB } }',
    'deploy: { relays: 3, wave: 6 }',
    '',
  ].join('\n'),
);

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('stage commands on the twin', () => {
  it('discover registers every node BMC and leaves the spare addresses silent', async () => {
    const r = await cli('discover', SMALL, '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { found: Array<{ address: string }>; silent: string[] };
    expect(d.found.map((b) => b.address)).toEqual(Array.from({ length: 12 }, (_, i) => `cn${String(i + 1).padStart(2, '0')}`));
    expect(d.silent).toHaveLength(16);
  });

  it('commission stores every node hardware report', async () => {
    const r = await cli('commission', SMALL);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^commissioning: 12 nodes reported their hardware, 0 failed/);
  });

  it('configure prints roles, networks and relays; nodes lists inventory entries with hardware', async () => {
    const c = await cli('configure', SMALL);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('relay    cn[01,05,09]');
    expect(c.stdout).toContain('network ethernet: 10.0.0.0/24, nodes 10.0.0.1 .. 10.0.0.12');
    const n = await cli('nodes', 'cn[04-05]', SMALL, '--json');
    expect(n.code).toBe(0);
    const nodes = JSON.parse(n.stdout) as Array<{ name: string; role: string; hardware: { cpus: number }; addresses: Record<string, string> }>;
    expect(nodes.map((x) => [x.name, x.role, x.hardware.cpus, x.addresses.ethernet])).toEqual([
      ['cn04', 'compute', 32, '10.0.0.4'],
      ['cn05', 'relay', 32, '10.0.0.5'],
    ]);
    const none = await cli('nodes', 'gpu[1-2]', SMALL);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('DT_CLI_BAD_ARGUMENT');
  });

  it('deploy --plan shows the order, caps and entries and the predicted makespan, and writes nothing', async () => {
    const journal = join(tmp, 'plan-journal.jsonl');
    const r = await cli('deploy', SMALL, '--plan', '--journal', journal);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('relays                        3  cn[01,05,09]');
    expect(r.stdout).toContain('group of cn01                 3  cn[02-04]');
    expect(r.stdout).toMatch(/caps: wave 6, stagger 0,/);
    expect(r.stdout).toMatch(/predicted by the twin \(seed 1\): makespan \d+ s, 0 failures/);
    expect(() => readFileSync(journal)).toThrow();
  });

  it('deploy runs the orchestrator: progress on stderr, the simulate report, CSV and the journal', async () => {
    const csv = join(tmp, 'deploy.csv');
    const journal = join(tmp, 'journal.jsonl');
    const r = await cli('deploy', SMALL, '--csv', csv, '--journal', journal);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/deployed 12\/12, failed 0, in flight 0\n$/);
    expect(r.stdout).toContain('scenario small (seed 1)');
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('node,phase,start,end');
    const entries = readFileSync(journal, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; seq: number });
    expect(entries[0].type).toBe('image.publish');
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.type === 'power.on')).toHaveLength(12);
    // The same run gives the same report as simulate: one code path.
    const sim = await cli('simulate', SMALL, '--json');
    const dep = await cli('deploy', SMALL, '--json', '--no-progress');
    expect(dep.stdout).toBe(sim.stdout);
    expect(dep.stderr).toBe('');
  });

  it('deploy --full runs all four stages, so nodes finish later than the deployment alone', async () => {
    const full = JSON.parse((await cli('deploy', SMALL, '--full', '--json', '--no-progress')).stdout) as { summary: { makespan: number } };
    const alone = JSON.parse((await cli('deploy', SMALL, '--json', '--no-progress')).stdout) as { summary: { makespan: number } };
    expect(full.summary.makespan).toBeGreaterThan(alone.summary.makespan);
  });

  it('a transfer scenario has nothing to orchestrate: exit 2 with a clear message', async () => {
    const r = await cli('deploy', 'flat-169');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/transfer scenario has no BMCs .* \[DT_CLI_BAD_ARGUMENT\]/);
  });
});
