/**
 * Discovery over IPMI: is there a BMC at address:port? The probe opens a real RMCP+ session and
 * asks for the system GUID (`ipmitool ... -N n -R 1 mc guid`), with ipmitool's retransmissions
 * sized to the probe's timeout. Any answer means a BMC is there, even one that refuses the
 * credentials (it is registered, and commissioning then fails on it with a clear fatal error
 * instead of the BMC silently staying undiscovered); only "nothing answered" resolves false.
 *
 * Why not `channel authcap`: it needs a session already and OpenIPMI's ipmi_sim refuses it
 * ("Command not supported in present state"); a session start sends the same pre-session Get
 * Channel Authentication Capabilities request first anyway.
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import type { BmcProbe, BmcScanner } from '../../ports/index.ts';
import { CommandGate } from './command-gate.ts';
import type { IpmiCredentials, IpmiTarget } from './ipmitool-argv.ts';
import { runIpmitool, type IpmitoolTrace } from './ipmitool-runner.ts';

/** The credentials entry named `name` (BmcProbe.credentials), or undefined if there is none. */
export type CredentialsLookup = (name: string) => IpmiCredentials | undefined | Promise<IpmiCredentials | undefined>;

export interface IpmiScannerOptions {
  /** Admission shared with the power adapter. Default: a gate of its own with `inFlight` slots. */
  gate?: CommandGate;
  /** Probes in flight at once, when no gate is given. Default 64. */
  inFlight?: number;
  /** Cipher suite (-C). Default 3. */
  cipherSuite?: number;
  /** Program to run. Default "ipmitool". */
  program?: string;
  trace?: (trace: IpmitoolTrace) => void;
}

export class IpmiScanner implements BmcScanner {
  readonly gate: CommandGate;

  constructor(
    private readonly credentials: CredentialsLookup,
    private readonly options: IpmiScannerOptions = {},
  ) {
    this.gate = options.gate ?? new CommandGate(options.inFlight ?? 64);
  }

  async probe(probe: BmcProbe, signal?: AbortSignal): Promise<boolean> {
    if (!(probe.timeout > 0 && probe.timeout < Infinity)) {
      throw new UsageError(ErrorCodes.IPMI_BAD_TARGET, `probe of ${probe.address}:${probe.port}: timeout must be a finite number of seconds > 0, got ${probe.timeout}`);
    }
    const creds = await this.credentials(probe.credentials);
    if (creds === undefined) throw new UsageError(ErrorCodes.IPMI_BAD_TARGET, `no credentials entry named "${probe.credentials}"`);
    const target: IpmiTarget = { ...creds, address: probe.address, port: probe.port, cipherSuite: this.options.cipherSuite };
    // One try per message, each waiting N s; a silent address costs 2N s (see ipmitool-argv.ts).
    const retransmit = Math.max(1, Math.floor(probe.timeout / 2));
    const run = { program: this.options.program, trace: this.options.trace, retransmit, retries: 1, deadline: probe.timeout + 1 };
    try {
      await this.gate.lane(`ipmi ${probe.address}:${probe.port}`, signal, () => this.gate.command(signal, () => runIpmitool(target, { kind: 'guid' }, run, signal)));
      return true;
    } catch (e) {
      if (signal?.aborted) throw e;
      if (e instanceof DeployTwinError && e.code === ErrorCodes.IPMI_TIMEOUT) return false;
      if (e instanceof DeployTwinError && (e.code === ErrorCodes.IPMI_TOOL_MISSING || e.kind === 'usage')) throw e;
      // Refused credentials, busy, unsupported, odd output: something answered there.
      return true;
    }
  }
}
