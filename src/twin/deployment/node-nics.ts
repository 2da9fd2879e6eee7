/**
 * A powered-off node's NICs carry nothing: when a node goes off, its access links on every fabric
 * drop to zero capacity, and come back when it powers on. Its own transfers are aborted by the
 * node model anyway; what this adds is the fate of others' transfers through it. A relay that
 * dies mid-transfer leaves its children's downloads stalled (as TCP to a dead host stalls) until
 * the orchestrator's boot timeout gives up on them.
 */
import type { DeploymentTwin } from './cluster.ts';

export class NodeNics {
  /** Capacity of each access link taken down, by node, to restore at power-on. */
  private readonly down = new Map<number, number[]>();

  constructor(private readonly twin: DeploymentTwin) {}

  off(node: number): void {
    if (this.down.has(node)) return;
    const saved: number[] = [];
    for (const fabric of this.twin.fabrics.values()) {
      const link = fabric.access[node];
      saved.push(link.spec.capacity);
      this.twin.network.setCapacity(link, 0);
    }
    this.down.set(node, saved);
  }

  on(node: number): void {
    const saved = this.down.get(node);
    if (saved === undefined) return;
    let i = 0;
    for (const fabric of this.twin.fabrics.values()) this.twin.network.setCapacity(fabric.access[node], saved[i++]);
    this.down.delete(node);
  }
}
