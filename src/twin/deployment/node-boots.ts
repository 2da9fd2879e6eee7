/**
 * The boots in progress in a twin: power-on starts a node's simulated boot (the node model, as a
 * process), power-off or a new power-on aborts the one running. Shared by the plain driver and
 * the twin's ports, which differ only in what they do with each boot's phases and outcome.
 */
import { bootNode, type BootObserver, type BootServices, type NodeBootParams } from '../../models/node-boot.ts';
import { bootServices } from './boot-services.ts';
import type { DeploymentTwin } from './cluster.ts';

export class NodeBoots {
  private readonly running = new Map<number, AbortController>();
  private twin: DeploymentTwin | null = null;
  private services: BootServices | null = null;
  private params: NodeBootParams | null = null;

  /** Binds to the twin once it is built (its BMC hooks call start/stop only while it runs). */
  bind(twin: DeploymentTwin): void {
    this.twin = twin;
    this.services = bootServices(twin);
    const s = twin.scenario;
    this.params = { post: s.hardware.post, kernelStart: s.boot.kernelStart, mount: s.boot.mount, init: s.boot.init };
  }

  /** Starts a node's boot, aborting any boot of it still running; returns how it ends. */
  start(node: number, observer: BootObserver): { finished: Promise<void>; signal: AbortSignal } {
    const twin = this.twin!;
    this.running.get(node)?.abort(new Error('power cycled'));
    const controller = new AbortController();
    this.running.set(node, controller);
    const proc = twin.engine.process(() => bootNode(twin.engine, node, this.params!, this.services!, twin.log, observer, controller.signal), `boot:${node}`);
    return { finished: proc.finished, signal: controller.signal };
  }

  /** The node lost power: its boot stops where it is. */
  stop(node: number): void {
    this.running.get(node)?.abort(new Error('powered off'));
  }
}
