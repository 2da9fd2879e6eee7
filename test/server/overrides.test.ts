/**
 * The plan knobs a dashboard run may override, applied to the scenario file as written: the
 * resolved scenario carries them, and impossible ones are refused with DT_SERVER_BAD_OVERRIDE.
 */
import { describe, expect, it } from 'vitest';
import { applyOverrides, loadWithOverrides, scenarioCatalogue } from '../../src/server/scenario-overrides.ts';
import type { ScenarioFile } from '../../src/twin/scenario-schema.ts';
import { builtinScenarios } from '../../src/twin/load.ts';
import { errorOf } from '../helpers/error-of.ts';
import { SCENARIOS_DIR, SMALL_SCENARIO_PATH } from './server-helpers.ts';

const transfer = (distribution: NonNullable<ScenarioFile['transfer']>['distribution']): ScenarioFile => ({
  name: 't',
  cluster: { nodes: 100, nodesPerRack: 10 },
  networks: { ethernet: { serverNic: '10Gb/s', rackUplink: '10Gb/s', access: '1Gb/s' } },
  transfer: { image: '1GB', distribution },
});

describe('overrides', () => {
  it('sets a deployment\'s wave and relays, and leaves the rest of the file alone', () => {
    const s = loadWithOverrides(SMALL_SCENARIO_PATH, { wave: 3, relays: 2 });
    expect(s.kind).toBe('deployment');
    if (s.kind !== 'deployment') return;
    expect(s.deploy.wave).toBe(3);
    expect(s.deploy.relays).toBe(2);
    const plain = loadWithOverrides(SMALL_SCENARIO_PATH, {});
    expect(plain.kind === 'deployment' && plain.deploy.wave).toBe(Infinity);
    expect(plain.seed).toBe('7');
  });

  it('makes a transfer flat with concurrency `wave`, or relayed with `relays`, never both', () => {
    expect(applyOverrides(transfer({ method: 'relay', relays: 5 }), { wave: 20 }).transfer!.distribution).toEqual({ method: 'flat', concurrency: 20 });
    expect(applyOverrides(transfer({ method: 'flat', concurrency: 7 }), { relays: 4 }).transfer!.distribution).toEqual({ method: 'relay', relays: 4 });
    expect(applyOverrides(transfer({ method: 'flat', concurrency: 7 }), { relays: 0 }).transfer!.distribution).toEqual({ method: 'flat', concurrency: 7 });
    expect(applyOverrides(transfer({ method: 'relay', relays: 5 }), { relays: 0 }).transfer!.distribution).toEqual({ method: 'flat' });
    expect(errorOf(() => applyOverrides(transfer({ method: 'flat' }), { wave: 2, relays: 3 }))).toMatchObject({ code: 'DT_SERVER_BAD_OVERRIDE', kind: 'usage' });
  });

  it('refuses more relays than racks, naming both', () => {
    const e = errorOf(() => loadWithOverrides(SMALL_SCENARIO_PATH, { relays: 4 }));
    expect(e).toMatchObject({ code: 'DT_SERVER_BAD_OVERRIDE' });
    expect((e as Error).message).toMatch(/4 relays for 3 racks/);
  });

  it('offers the built-in scenarios plus the files of --scenarios, by name', () => {
    const all = scenarioCatalogue(SCENARIOS_DIR);
    for (const name of builtinScenarios().keys()) expect(all.has(name)).toBe(true);
    expect(all.get('dash-small')).toBe(SMALL_SCENARIO_PATH);
    expect([...all.keys()]).toEqual([...all.keys()].sort());
    expect(errorOf(() => scenarioCatalogue('/no/such/dir'))).toMatchObject({ code: 'DT_CLI_FILE_NOT_FOUND' });
  });
});
