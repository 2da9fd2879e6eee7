/**
 * The reference scenarios of the simulation core, node by node against an independent naive
 * simulator (relative error 1e-6), plus their hand-computed makespans.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/twin/load.ts';
import { simulateTransfer } from '../../src/twin/simulate.ts';
import type { Scenario, TransferScenario } from '../../src/twin/scenario.ts';
import { naiveSimulate, type NaiveFlow, type NaiveLink } from './naive-flow-sim.ts';

/** Rebuilds a reference scenario for the naive simulator, from its own reading of the spec. */
function naiveCase(s: TransferScenario): { links: NaiveLink[]; flows: NaiveFlow[]; node: number[]; concurrency?: number } {
  const net = s.networks[0];
  const N = s.cluster.nodes;
  const M = s.cluster.nodesPerRack;
  const R = Math.ceil(N / M);
  const links: NaiveLink[] = [];
  const add = (capacity: number) => links.push({ capacity }) - 1;
  const serverOut = add(net.serverNic);
  const uplinkUp = Array.from({ length: R }, () => add(net.rackUplink));
  const uplinkDown = Array.from({ length: R }, () => add(net.rackUplink));
  const accessUp = Array.from({ length: N }, () => add(net.access));
  const accessDown = Array.from({ length: N }, () => add(net.access));
  const rack = (i: number) => Math.floor(i / M);
  const fromServer = (i: number) => [serverOut, uplinkDown[rack(i)], accessDown[i]];
  const between = (a: number, b: number) =>
    rack(a) === rack(b) ? [accessUp[a], accessDown[b]] : [accessUp[a], uplinkUp[rack(a)], uplinkDown[rack(b)], accessDown[b]];
  const flows: NaiveFlow[] = [];
  const node: number[] = [];
  const d = s.transfer.distribution;
  if (d.method === 'flat') {
    for (let i = 0; i < N; i++) {
      flows.push({ links: fromServer(i), bytes: s.transfer.image });
      node.push(i);
    }
    return { links, flows, node, concurrency: d.concurrency };
  }
  const K = d.relays;
  for (let g = 0; g < K; g++) {
    const first = Math.floor((g * R) / K) * M;
    const end = Math.min(Math.floor(((g + 1) * R) / K) * M, N);
    const relayFlow = flows.length;
    flows.push({ links: fromServer(first), bytes: s.transfer.image });
    node.push(first);
    for (let i = first + 1; i < end; i++) {
      flows.push({ links: between(first, i), bytes: s.transfer.image, after: relayFlow });
      node.push(i);
    }
  }
  return { links, flows, node };
}

function compare(name: string): { makespan: number } {
  const scenario = loadScenario(name) as Scenario;
  if (scenario.kind !== 'transfer') throw new Error(`${name} is not a transfer scenario`);
  const result = simulateTransfer(scenario);
  const ref = naiveCase(scenario);
  const expected = naiveSimulate(ref.links, ref.flows, { concurrency: ref.concurrency });
  expect(result.records).toHaveLength(scenario.cluster.nodes);
  let worst = 0;
  expected.forEach(([start, end], f) => {
    const r = result.records[ref.node[f]];
    expect(r.node).toBe(ref.node[f]);
    expect(r.phase).toBe('image');
    worst = Math.max(worst, Math.abs(r.start - start) / Math.max(1, start), Math.abs(r.end - end) / end);
  });
  expect(worst).toBeLessThan(1e-6);
  return { makespan: result.makespan };
}

describe('reference scenarios, node by node against a naive simulator', () => {
  it('flat-169: every node ends at 169 x 110 MB / 10 Gb/s', () => {
    expect(compare('flat-169').makespan).toBeCloseTo((169 * 110e6) / 1.25e9, 9);
  });

  it('flat-8437-w100: 84 full waves of 160 s and a last one of 37 nodes', () => {
    expect(compare('flat-8437-w100').makespan).toBeCloseTo(84 * 160 + (37 * 2e9) / 1.25e9, 6);
  });

  it('relay-13000: 208 s to the relays, then 103 x 16 s in the 8-rack groups', () => {
    expect(compare('relay-13000').makespan).toBeCloseTo(208 + 103 * 16, 6);
  });

  it('relay-100000: 1,600 s to the relays, then the largest group', () => {
    // Largest group: 8 racks of 13 = 104 nodes, 103 children at 125 MB/s shared.
    expect(compare('relay-100000').makespan).toBeCloseTo(1600 + 103 * 16, 6);
  }, 120_000);
});
