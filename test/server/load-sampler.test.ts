/**
 * Link loads read from the twin while it runs (live dashboards): every load event is the exact
 * mean of the bytes carried since the previous one, so the events add up to each kind of link's
 * bytes in the finished result, and a single saturated link reads 100%.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { FlowNetwork } from '../../src/engine/network/flow-network.ts';
import { LoadSampler } from '../../src/server/load-sampler.ts';
import type { LoadEvent } from '../../src/server/run-events.ts';
import { simulateDeployment } from '../../src/twin/deployment/simulate-deployment.ts';
import { LinkLoadMeter } from '../../src/twin/link-load.ts';
import { loadScenario } from '../../src/twin/load.ts';
import { linkKinds } from '../../src/twin/summary.ts';

describe('LinkLoadMeter and LoadSampler', () => {
  it('read a single link exactly: 100% while one flow saturates it, then its share of the interval', async () => {
    const engine = new Engine({ seed: 'x' });
    const net = new FlowNetwork(engine);
    const link = net.addLink({ name: 'server7.nic', capacity: 100, latency: 0 });
    const sampler = new LoadSampler(new LinkLoadMeter(net), 2);
    const events: LoadEvent[] = [];
    // 500 bytes at 100 bytes/s: busy over [0, 5], idle after.
    net.transfer([{ link, direction: 'up' }], 500);
    for (const t of [1, 3, 4, 8]) {
      engine.schedule(t, () => {
        const e = sampler.at(engine.now);
        if (e) events.push(e);
      });
    }
    await engine.run();
    // t=1 is too soon (interval 2); t=4 is 1 s after t=3.
    expect(events.map((e) => [e.t, e.interval])).toEqual([
      [3, 3],
      [8, 5],
    ]);
    expect(events[0].utilisation['server#.nic:up']).toBeCloseTo(1, 12);
    expect(events[0].throughput['server#.nic:up']).toBeCloseTo(100, 9);
    // 200 bytes over (3, 8]: busy 2 s of 5.
    expect(events[1].utilisation['server#.nic:up']).toBeCloseTo(0.4, 12);
  });

  it('load events of a twin deployment add up to the bytes each kind of link carried', async () => {
    const scenario = loadScenario('kiera-nurion-169');
    if (scenario.kind !== 'deployment') throw new Error('expected a deployment scenario');
    let sampler: LoadSampler | null = null;
    const events: LoadEvent[] = [];
    const take = (t: number) => {
      const e = sampler!.at(t);
      if (e) events.push(e);
    };
    const result = await simulateDeployment(scenario, {
      onTwin: (twin) => (sampler = new LoadSampler(new LinkLoadMeter(twin.network), 10)),
      onPhase: { began: (_n, _p, t) => take(t), recorded: (r) => take(r.end) },
    });
    const last = sampler!.at(result.makespan, true);
    if (last) events.push(last);
    expect(events.length).toBeGreaterThan(20);
    for (let i = 1; i < events.length; i++) expect(events[i].t).toBeGreaterThan(events[i - 1].t);
    for (const kind of linkKinds(result.links)) {
      const carried = result.links.filter((l) => l.name.replace(/\d+/g, '#') === kind.kind).reduce((s, l) => s + l.bytesCarried, 0);
      const summed = events.reduce((s, e) => s + (e.throughput[kind.kind] ?? 0) * e.interval, 0);
      expect(summed / carried).toBeCloseTo(1, 9);
      for (const e of events) expect(e.utilisation[kind.kind] ?? 0).toBeLessThanOrEqual(1 + 1e-9);
    }
  });
});
