/**
 * `--set` parsing, overrides and sweep planning: values and ranges, short names, and every way a
 * --set can be wrong failing with DT_PLAN_BAD_SET before anything runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.ts';
import { applyOverrides } from '../../src/planning/overrides.ts';
import { parseSet } from '../../src/planning/set-spec.ts';
import { planSweep } from '../../src/planning/sweep.ts';
import type { ScenarioFile } from '../../src/twin/scenario-schema.ts';
import { errorOf } from '../helpers/error-of.ts';

describe('parseSet', () => {
  it('reads lists of YAML values, numbers as numbers and quantities as written', () => {
    expect(parseSet('deploy.stagger=0s,100ms', 'deployment')).toEqual({ name: 'deploy.stagger', path: ['deploy', 'stagger'], values: ['0s', '100ms'] });
    expect(parseSet('relays=0,65,130,260', 'deployment').values).toEqual([0, 65, 130, 260]);
    expect(parseSet('networks.opa.serverNic=10Gb/s, 100Gb/s', 'deployment').values).toEqual(['10Gb/s', '100Gb/s']);
    // Commas inside a mapping do not split it.
    expect(parseSet('post={dist: uniform, min: 60s, max: 90s},30s', 'deployment').values).toEqual([{ dist: 'uniform', min: '60s', max: '90s' }, '30s']);
  });

  it('expands numeric ranges lo..hi/step, mixed with plain values', () => {
    expect(parseSet('wave=25..400/25', 'deployment').values).toEqual(Array.from({ length: 16 }, (_, i) => 25 * (i + 1)));
    expect(parseSet('boot.dhcpLoss=0..0.3/0.1', 'deployment').values).toEqual([0, 0.1, 0.2, 0.3]);
    expect(parseSet('wave=1..3/1,10', 'deployment').values).toEqual([1, 2, 3, 10]);
  });

  it('maps short names to paths, by scenario kind', () => {
    expect(parseSet('wave=5', 'deployment').path).toEqual(['deploy', 'wave']);
    expect(parseSet('method=http,rsync', 'deployment').path).toEqual(['boot', 'rootfs', 'method']);
    expect(parseSet('rootfs.method=http', 'deployment').path).toEqual(['boot', 'rootfs', 'method']);
    expect(parseSet('kernel.clientRate=1MB/s', 'deployment').path).toEqual(['boot', 'kernel', 'clientRate']);
    expect(parseSet('post=30s', 'deployment').path).toEqual(['hardware', 'post']);
    expect(parseSet('init=5s', 'deployment').path).toEqual(['boot', 'init']);
    expect(parseSet('relays=10', 'transfer').path).toEqual(['transfer', 'distribution', 'relays']);
    expect(parseSet('concurrency=10', 'transfer').path).toEqual(['transfer', 'distribution', 'concurrency']);
  });

  it.each([
    ['wave', /expected NAME=VALUES/],
    ['=5', /expected NAME=VALUES/],
    ['wave=5,,6', /empty value/],
    ['wave=', /empty value/],
    ['deploy..wave=5', /not a parameter path/],
    ['seed=1,2', /use --seeds N/],
    ['networks.opa.serverNic=1Gb/s..10Gb/s/1Gb/s', /ranges are plain numbers.*1Gb\/s,2Gb\/s/],
    ['wave=10..1/1', /ends \(1\) below its start \(10\)/],
    ['wave=1..10/0', /step .* must be above 0/],
    ['wave=1..100000/1', /gives 100000 values/],
    ['wave=1..10', /not a range/],
    ['post={dist: uniform', /not a valid YAML value/],
  ])('refuses --set %s', (spec, message) => {
    const e = errorOf(() => parseSet(spec, 'deployment'));
    expect(e.code).toBe(ErrorCodes.PLAN_BAD_SET);
    expect(e.message).toMatch(message);
  });
});

describe('applyOverrides', () => {
  const file = { name: 'x', cluster: { nodes: 4, nodesPerRack: 2 }, networks: { eth: { serverNic: '1Gb/s', rackUplink: '1Gb/s', access: '1Gb/s' } }, boot: { rootfs: { method: 'http' } } } as unknown as ScenarioFile;

  it('sets values on a copy, creating missing sections', () => {
    const out = applyOverrides(file, [{ name: 'wave', path: ['deploy', 'wave'], value: 8 }, { name: 'x', path: ['boot', 'rootfs', 'method'], value: 'rsync' }]);
    expect(out.deploy).toEqual({ wave: 8 });
    expect((out.boot as { rootfs: { method: string } }).rootfs.method).toBe('rsync');
    expect(file.deploy).toBeUndefined();
    expect((file.boot as { rootfs: { method: string } }).rootfs.method).toBe('http');
  });

  it('refuses an unknown network and a path through a value', () => {
    expect(errorOf(() => applyOverrides(file, [{ name: 'networks.opa.access', path: ['networks', 'opa', 'access'], value: '1Gb/s' }])).message).toMatch(
      /no network named "opa" \(defined: "eth"\)/,
    );
    const e = errorOf(() => applyOverrides(file, [{ name: 'boot.rootfs.method.x', path: ['boot', 'rootfs', 'method', 'x'], value: 1 }]));
    expect(e.code).toBe(ErrorCodes.PLAN_BAD_SET);
    expect(e.message).toMatch(/boot\.rootfs\.method is "http", not a section/);
  });
});

describe('planSweep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploytwin-plan-'));
  const path = join(dir, 'small.yaml');
  writeFileSync(
    path,
    [
      'name: small',
      'seed: abc',
      'cluster: { nodes: 8, nodesPerRack: 4 }',
      'networks:',
      '  eth: { serverNic: 10Gb/s, rackUplink: 10Gb/s, access: 1Gb/s }',
      'boot:',
      '  bootloader: { size: 100KB, protocol: tftp }',
      '  kernel: { size: 5MB, protocol: http }',
      '  initrd: { size: 20MB, protocol: http }',
      '  rootfs: { method: http, image: { format: squashfs, size: 100MB } }',
      '',
    ].join('\n'),
  );

  it('makes the cross product, the first --set varying slowest, with seeds "<seed>-i"', () => {
    const plan = planSweep(path, ['relays=0,2', 'wave=2..6/2'], 3);
    expect(plan.points.map((p) => p.overrides.map((o) => o.value))).toEqual([[0, 2], [0, 4], [0, 6], [2, 2], [2, 4], [2, 6]]);
    expect(plan.seeds).toEqual(['abc-1', 'abc-2', 'abc-3']);
    expect(plan.points[3].file.deploy).toEqual({ relays: 2, wave: 2 });
    expect(plan.points[0].bound.seconds).toBeGreaterThan(0);
  });

  it.each([
    [['wave=0'], /point 1 of 1 \(wave=0\): deploy\.wave: expected an integer >= 1, got 0/],
    [['deploy.wavee=3'], /unknown key "wavee" in deploy \(did you mean "wave"\?\)/],
    [['method=htp'], /boot\.rootfs\.method: expected one of .* \(did you mean "http"\?\)/],
    [['kernel.size=5Mbit'], /boot\.kernel\.size: /],
    [['relays=0,3'], /point 2 of 2 \(relays=3\): .*3 relays, but the cluster has 2 racks/],
    [['relays=1', 'method=multicast'], /"multicast" cannot be served by relays/],
    [['wave=1', 'deploy.wave=2'], /sets deploy\.wave, which --set wave sets already/],
  ])('refuses %j before running anything', (sets, message) => {
    const e = errorOf(() => planSweep(path, sets, 1));
    expect(e.code).toBe(ErrorCodes.PLAN_BAD_SET);
    expect(e.message).toMatch(message);
  });
});
