/**
 * End-to-end tests through the real command line (node bin/deploytwin.js), as a user runs it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'bin', 'deploytwin.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'deploytwin-cli-'));

describe('deploytwin simulate', () => {
  it('prints a human summary of the default scenario, the KiERA deployment, with its per-phase table', () => {
    const r = run('simulate');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenario kiera-nurion-169');
    for (const phase of ['post', 'dhcp', 'bootloader', 'kernel', 'initrd', 'rootfs', 'mount', 'init', 'report']) {
      expect(r.stdout).toMatch(new RegExp(`phase ${phase} +169 `));
    }
    expect(r.stderr).toBe('');
  });

  it('prints the hand-computable makespan of a reference scenario', () => {
    const r = run('simulate', 'relay-13000');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/makespan 30 min 56 s \(1856 s\)/);
  });

  it('writes node,phase,start,end rows with full float precision, one per node', () => {
    const csv = join(tmp, 'flat.csv');
    const r = run('simulate', 'scenarios/reference/flat-169.yaml', '--csv', csv);
    expect(r.code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('node,phase,start,end');
    expect(lines).toHaveLength(170);
    expect(lines[1]).toBe(`0,image,0,${(169 * 110e6) / 1.25e9}`);
    expect(lines[169].startsWith('168,image,0,')).toBe(true);
  });

  it('prints a JSON report with summary and records', () => {
    const r = run('simulate', 'flat-169', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.scenario).toBe('flat-169');
    expect(report.summary.makespan).toBeCloseTo(14.872, 9);
    expect(report.summary.nodeCompletion.p95).toBeCloseTo(14.872, 9);
    expect(report.records).toHaveLength(169);
    expect(report.links[0].name).toBe('server.nic:up');
    expect(report.links[0].peakUtilisation).toBeCloseTo(1, 9);
  });

  it('gives byte-identical output for the same scenario and seed', () => {
    const a = run('simulate', 'flat-8437-w100', '--json', '--seed', '7');
    const b = run('simulate', 'flat-8437-w100', '--json', '--seed', '7');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('answers a bad command line with one line, a stable code and exit code 2', () => {
    for (const args of [['simulate', '--bogus'], ['frobnicate'], ['simulate', 'no-such-scenario'], ['simulate', 'flat-169', '--seed', 'a b']]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^deploytwin: .+ \[DT_[A-Z_]+\]\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reports every problem of a bad scenario file with file:line:col, and runs nothing', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(
      bad,
      ['name: broken', 'cluster:', '  nodes: -3', '  nodesPerRak: 13', 'networks:', '  eth: { serverNic: 10 gigabit, rackUplink: 10Gb/s, access: 1Gb/s }', 'transfer:', '  image: 2GB', '  distribution: { method: rely }', ''].join('\n'),
    );
    const csv = join(tmp, 'never.csv');
    const r = run('simulate', bad, '--csv', csv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DT_SCENARIO_INVALID');
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+: .*nodes/);
    expect(r.stderr).toMatch(/bad\.yaml:4:\d+: .*nodesPerRak.*did you mean "nodesPerRack"/);
    expect(r.stderr).toMatch(/bad\.yaml:6:\d+: .*serverNic/);
    expect(r.stderr).toMatch(/bad\.yaml:9:\d+: .*rely.*did you mean "relay"/);
    expect(existsSync(csv)).toBe(false);
  });

  it('refuses to write a CSV where it cannot, with nothing left behind', () => {
    const r = run('simulate', 'flat-169', '--csv', join(tmp, 'missing-dir', 'x.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DT_CLI_CANNOT_WRITE');
  });
});

describe('deploytwin validate', () => {
  it('accepts every built-in scenario', () => {
    const names = readdirSync('scenarios', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join('scenarios', f));
    expect(names.length).toBeGreaterThanOrEqual(15);
    const r = run('validate', ...names);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(names.length);
  });
});
