/**
 * The twin's implementation of every port, on one DeploymentTwin: the orchestrator drives the
 * simulated cluster exactly as it would drive real hardware. Powering a node on starts its
 * simulated boot (the node model); the node's phase reports reach the orchestrator through the
 * NodeEventsHub; boot entries decide where its root filesystem comes from.
 */
import type { ReportedPhase } from '../../models/node-boot.ts';
import type { Artifacts, BmcProbe, BmcScanner, BootConfig, BootEntry, HardwareReport, Image, NodePhase, Ports, PublishedImage } from '../../ports/index.ts';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { expandHostlist } from '../../scenario/hostlist.ts';
import { DeploymentTwin } from '../deployment/cluster.ts';
import type { DeploymentScenario } from '../deployment/deployment-scenario.ts';
import { NodeBoots } from '../deployment/node-boots.ts';
import { NodeNics } from '../deployment/node-nics.ts';
import { EngineClock } from './engine-clock.ts';
import { MemoryInventory } from './memory-inventory.ts';
import { MemoryJournal } from './memory-journal.ts';
import { NodeEventsHub } from '../../ports/node-events-hub.ts';
import { NodeNames, TwinPower } from './twin-power.ts';

/** The node model's phases as the NodeEvents port names them (the others are not reported). */
const REPORTED: Partial<Record<ReportedPhase, NodePhase>> = {
  dhcp: 'dhcp',
  bootloader: 'bootloader',
  kernel: 'kernel',
  initrd: 'initrd',
  rootfs: 'rootfs',
  mount: 'mounted',
  report: 'booted',
};

const COLLECTIVE = new Set(['multicast', 'chain', 'p2p']);

class TwinBootConfig implements BootConfig {
  private readonly entries = new Map<string, BootEntry>();

  constructor(
    private readonly twin: DeploymentTwin,
    private readonly names: NodeNames,
  ) {}

  async write(entry: BootEntry): Promise<void> {
    const method = this.twin.scenario.boot.rootfs.method;
    if (entry.scheme !== undefined && entry.scheme !== method) {
      // The twin's nodes do what the scenario models; an entry for another scheme would be a lie.
      throw new DeployTwinError(ErrorCodes.ORCH_BAD_PLAN, `boot entry of ${entry.node} asks for scheme "${entry.scheme}", but the scenario models "${method}"`, 'fatal');
    }
    this.entries.set(entry.node, { ...entry });
    const node = this.names.indexOf(entry.node);
    this.twin.rootfsSource[node] = entry.rootfsSource === 'server' ? -1 : this.names.indexOf(entry.rootfsSource);
    if (entry.role === 'relay') this.twin.relays.add(node);
    else this.twin.relays.delete(node);
    if (entry.purpose === 'commission') this.twin.commissioning.add(node);
    else this.twin.commissioning.delete(node);
  }

  async remove(node: string): Promise<void> {
    this.entries.delete(node);
    // A node without an entry will not join a collective session: the session stops waiting for it.
    if (COLLECTIVE.has(this.twin.scenario.boot.rootfs.method)) this.twin.collective.forget(this.names.indexOf(node));
  }

  async read(node: string): Promise<BootEntry | undefined> {
    const e = this.entries.get(node);
    return e && { ...e };
  }
}

class TwinArtifacts implements Artifacts {
  async publish(image: Image): Promise<PublishedImage> {
    const base = `http://server/images/${image.name}`;
    return { image, kernelUrl: `${base}/kernel`, initrdUrl: `${base}/initrd`, rootfsUrl: `${base}/rootfs` };
  }

  async withdraw(): Promise<void> {}
}

class TwinScanner implements BmcScanner {
  constructor(
    private readonly twin: DeploymentTwin,
    private readonly names: NodeNames,
    private readonly clock: EngineClock,
  ) {}

  /**
   * Addresses are node names in the twin. A node's BMC answers after its command latency (or
   * never, when the command is lost); an address with no node behind it stays silent until the
   * probe's timeout, as an empty IP address does.
   */
  async probe(p: BmcProbe, signal?: AbortSignal): Promise<boolean> {
    if (!this.names.has(p.address)) {
      await this.clock.sleep(p.timeout, signal);
      return false;
    }
    const bmc = this.twin.bmcs[this.names.indexOf(p.address)];
    try {
      return await bmc.probe(signal);
    } catch {
      return false;
    }
  }
}

/**
 * What a simulated node's commissioning environment reads from /proc and /sys: the scenario's
 * hardware description, and a MAC address derived from the node index (locally administered
 * 52:54:00 prefix, as QEMU uses), so inventories are stable from run to run.
 */
export function hardwareOf(scenario: DeploymentScenario, node: number): HardwareReport {
  const mac = ['52', '54', '00', ...[16, 8, 0].map((shift) => ((node >> shift) & 0xff).toString(16).padStart(2, '0'))].join(':');
  return {
    cpus: scenario.hardware.cores,
    memoryBytes: scenario.hardware.memory,
    disks: scenario.hardware.disk > 0 ? [{ name: 'sda', bytes: scenario.hardware.disk }] : [],
    gpus: [],
    pciDevices: [],
    macs: [mac],
  };
}

export interface TwinPorts extends Ports {
  twin: DeploymentTwin;
  names: NodeNames;
  events: NodeEventsHub;
  journal: MemoryJournal;
}

export function twinPorts(scenario: DeploymentScenario, options: { seed?: string } = {}): TwinPorts {
  const names = new NodeNames(expandHostlist(scenario.cluster.names));
  const boots = new NodeBoots();
  const bootCount = new Int32Array(scenario.cluster.nodes);
  const twin: DeploymentTwin = new DeploymentTwin(
    scenario,
    {
      onPowerOn: (node) => {
        nics.on(node);
        const boot = ++bootCount[node];
        const name = names.nameOf(node);
        const observer = {
          onPhase: (_n: number, phase: ReportedPhase, at: number) => {
            const reported = REPORTED[phase];
            if (!reported) return;
            // The commissioning environment sends the node's hardware facts with its last report.
            const hardware = reported === 'booted' && twin.commissioning.has(node) ? hardwareOf(scenario, node) : undefined;
            events.report({ node: name, phase: reported, at, boot, ...(hardware ? { hardware } : {}) });
          },
        };
        const { finished, signal } = boots.start(node, observer);
        finished.catch((e: unknown) => {
          if (!signal.aborted) events.report({ node: name, phase: 'failed', at: twin.engine.now, boot, detail: e instanceof DeployTwinError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e) });
        });
      },
      onPowerOff: (node) => {
        boots.stop(node);
        nics.off(node);
      },
    },
    options,
  );
  boots.bind(twin);
  const nics = new NodeNics(twin);
  const clock = new EngineClock(twin.engine);
  const events = new NodeEventsHub(clock);
  return {
    twin,
    names,
    clock,
    scanner: new TwinScanner(twin, names, clock),
    // The BMC's power-on command, from request to answer, is the first phase of a node's timeline.
    power: new TwinPower(twin.bmcs, names, (node, asked, done) => twin.log.record(node, 'power-on', asked, done)),
    bootConfig: new TwinBootConfig(twin, names),
    artifacts: new TwinArtifacts(),
    events,
    inventory: new MemoryInventory(),
    journal: new MemoryJournal(clock),
  };
}
