/**
 * The Power port over Redfish (DMTF DSP0266): the ComputerSystem's PowerState, its
 * ComputerSystem.Reset action (On, ForceOff, GracefulShutdown, PowerCycle or ForceRestart) through
 * the action's own target URI, and a PATCH of Boot (BootSourceOverrideTarget Pxe|Hdd,
 * BootSourceOverrideEnabled Once|Continuous).
 *
 * Every operation first reads the system (fresh power state and action URI), which is what makes
 * it idempotent: On for a system that is on sends nothing (several BMCs answer 409 to it).
 * Operations on one system run one at a time; HTTP requests over all BMCs are capped.
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import type { BootDevice, Clock, Power, PowerCapabilities, PowerState } from '../../ports/index.ts';
import { awaitPower } from './await-power.ts';
import { CommandGate } from './command-gate.ts';
import { RedfishClient, type RedfishTarget } from './redfish-client.ts';
import { parseMembers, parseSystem, type RedfishSystem } from './redfish-json.ts';
import { wallClock } from './wall-clock.ts';

export type { RedfishTarget } from './redfish-client.ts';

/** Where a node's Redfish service is and how to log in; undefined for a node it does not know. */
export type RedfishTargetLookup = (node: string) => RedfishTarget | undefined | Promise<RedfishTarget | undefined>;

export interface RedfishPowerOptions {
  /** Seconds per HTTP exchange before a retryable REDFISH_TIMEOUT. Default 10 (the BMC model's Redfish default). */
  timeout?: number;
  /** Admission shared with other adapters. Default: a gate of its own with `inFlight` slots. */
  gate?: CommandGate;
  /** HTTP requests in flight at once over all BMCs, when no gate is given. Default 64. */
  inFlight?: number;
  /** Seconds to wait for power to come back after a cycle. Default 60. */
  cycleTimeout?: number;
  /** Seconds between status reads while waiting. Default 1. */
  pollInterval?: number;
  clock?: Clock;
}

const SYSTEMS = '/redfish/v1/Systems';

export class RedfishPower implements Power {
  readonly capabilities: PowerCapabilities = { softOff: true, bootDeviceOnce: true, bootDevicePersistent: true };
  readonly gate: CommandGate;
  private readonly clients = new Map<string, RedfishClient>();
  private readonly systemUris = new Map<string, string>();

  constructor(
    private readonly lookup: RedfishTargetLookup,
    private readonly options: RedfishPowerOptions = {},
  ) {
    this.gate = options.gate ?? new CommandGate(options.inFlight ?? 64);
  }

  powerOn(node: string, signal?: AbortSignal): Promise<void> {
    return this.unlessAlready(node, 'on', 'On', signal);
  }

  powerOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.unlessAlready(node, 'off', 'ForceOff', signal);
  }

  softOff(node: string, signal?: AbortSignal): Promise<void> {
    return this.unlessAlready(node, 'off', 'GracefulShutdown', signal);
  }

  powerCycle(node: string, signal?: AbortSignal): Promise<void> {
    return this.withSystem(node, signal, async (s) => {
      const system = await s.read();
      if (power(system) === 'off') return s.reset(system, 'On');
      const allowed = system.resetTypes;
      await s.reset(system, allowed === undefined || !allowed.includes('PowerCycle') ? 'ForceRestart' : 'PowerCycle');
      const wait = { clock: this.options.clock ?? wallClock, timeout: this.options.cycleTimeout ?? 60, interval: this.options.pollInterval ?? 1 };
      await awaitPower(async () => power(await s.read()), 'on', wait, `node ${node} (${s.where})`, signal);
    });
  }

  powerStatus(node: string, signal?: AbortSignal): Promise<PowerState> {
    return this.withSystem(node, signal, async (s) => power(await s.read()));
  }

  setBootDevice(node: string, device: BootDevice, persistent: boolean, signal?: AbortSignal): Promise<void> {
    const Boot = { BootSourceOverrideTarget: device === 'pxe' ? 'Pxe' : 'Hdd', BootSourceOverrideEnabled: persistent ? 'Continuous' : 'Once' };
    return this.withSystem(node, signal, async (s) => void (await s.call('PATCH', s.uri, { Boot })));
  }

  /** Ends every session and closes connections. */
  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }

  private unlessAlready(node: string, state: PowerState, resetType: string, signal?: AbortSignal): Promise<void> {
    return this.withSystem(node, signal, async (s) => {
      const system = await s.read();
      if (power(system) !== state) await s.reset(system, resetType);
    });
  }

  private async withSystem<T>(node: string, signal: AbortSignal | undefined, operation: (s: SystemHandle) => Promise<T>): Promise<T> {
    const target = await this.lookup(node);
    if (target === undefined) throw new UsageError(ErrorCodes.POWER_UNKNOWN_NODE, `no Redfish service known for node "${node}"`);
    const key = `${target.url} ${target.user} ${target.auth ?? 'session'} ${target.insecure === true}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      client = new RedfishClient(target, this.options.timeout ?? 10);
      this.clients.set(key, client);
    }
    const c = client;
    const call = async (method: 'GET' | 'POST' | 'PATCH', uri: string, body?: unknown) => (await this.gate.command(signal, () => c.request(method, uri, body, signal))).json;
    return this.gate.lane(`redfish ${c.origin.origin} ${target.systemId ?? '*'}`, signal, async () => {
      const uri = await this.systemUri(c, target, call);
      const where = `Redfish ${c.origin.origin}${uri}`;
      const handle: SystemHandle = {
        uri,
        where,
        call,
        read: async () => parseSystem(await call('GET', uri), `${where}`),
        reset: async (system, resetType) => {
          if (system.resetTarget === undefined) throw new DeployTwinError(ErrorCodes.REDFISH_UNSUPPORTED, `${where}: the system has no ComputerSystem.Reset action`, 'fatal');
          if (system.resetTypes !== undefined && !system.resetTypes.includes(resetType)) {
            throw new DeployTwinError(ErrorCodes.REDFISH_UNSUPPORTED, `${where}: ResetType ${resetType} is not allowed (allowed: ${system.resetTypes.join(', ')})`, 'fatal');
          }
          await call('POST', system.resetTarget, { ResetType: resetType });
        },
      };
      return operation(handle);
    });
  }

  /** The ComputerSystem URI: from systemId, else the service's only member of Systems (cached). */
  private async systemUri(client: RedfishClient, target: RedfishTarget, call: SystemHandle['call']): Promise<string> {
    if (target.systemId !== undefined) return `${SYSTEMS}/${encodeURIComponent(target.systemId)}`;
    const cached = this.systemUris.get(client.origin.origin);
    if (cached !== undefined) return cached;
    const members = parseMembers(await call('GET', SYSTEMS), `Redfish ${client.origin.origin}${SYSTEMS}`);
    if (members.length !== 1) {
      throw new UsageError(ErrorCodes.REDFISH_BAD_TARGET, `Redfish ${client.origin.origin} has ${members.length} systems (${members.join(', ')}): give the target a systemId`);
    }
    this.systemUris.set(client.origin.origin, members[0]);
    return members[0];
  }
}

interface SystemHandle {
  uri: string;
  where: string;
  call: (method: 'GET' | 'POST' | 'PATCH', uri: string, body?: unknown) => Promise<unknown>;
  read: () => Promise<RedfishSystem>;
  reset: (system: RedfishSystem, resetType: string) => Promise<void>;
}

/** Only Off is off: PoweringOff is a system still running its shutdown, PoweringOn one on its way up. */
function power(system: RedfishSystem): PowerState {
  return system.powerState === 'Off' ? 'off' : 'on';
}
