/**
 * Parameters and errors of the BMC model (src/models/bmc.ts): how long a management command takes
 * over IPMI or Redfish, how often a command gets no answer, how long the caller waits for one, and
 * how the node reacts to an ACPI soft-off and to a power cycle.
 */
import { DeployTwinError, ErrorCodes, UsageError } from '../errors.ts';
import type { Sampler } from './sampler.ts';

export type BmcProtocol = 'ipmi' | 'redfish';
export type PowerState = 'on' | 'off';
export type BootDevice = 'pxe' | 'disk';

/** Units: seconds and probabilities. */
export interface BmcParams {
  /** Management protocol. Only changes the defaults; the mechanics are the same. */
  protocol: BmcProtocol;
  /**
   * Seconds from sending a command to receiving its answer (session set-up included).
   * Default: IPMI lanplus uniform 0.15..0.45 s (mean 0.3 s), Redfish uniform 0.4..1.2 s (mean 0.8 s),
   * calibrated (Redfish pays HTTPS and a heavier BMC web stack per request).
   */
  commandLatency: Sampler;
  /**
   * Probability in [0, 1] that a command gets no answer at all (lost UDP datagram, BMC busy or
   * wedged). Such a command does not take effect. Default 0.
   */
  failureRate: number;
  /**
   * Seconds the caller waits for an answer before giving up. Default 5 s for IPMI, 10 s for
   * Redfish (calibrated; in the range of ipmitool's and common Redfish clients' defaults). A
   * command whose latency exceeds it also times out, without taking effect.
   */
  timeout: number;
  /**
   * Seconds from an accepted ACPI soft-off (`softOff`) to the node actually powering off (the OS
   * shuts down cleanly first). Default uniform 10..30 s, calibrated.
   */
  softOffDelay: Sampler;
  /**
   * Probability in [0, 1] that the OS ignores an ACPI soft-off (hung kernel, no acpid): the BMC
   * accepts the command but the node stays on. Default 0, calibrated.
   */
  softOffIgnoreRate: number;
  /**
   * Seconds the node stays off during a power cycle before the BMC powers it on again (IPMI
   * chassis control "power cycle" waits a BMC-configured interval, typically about 1 s).
   * Default 1 s, calibrated.
   */
  cycleInterval: number;
}

/** A uniform sampler on [lo, hi) (models may not import the scenario loader's distributions). */
function uniform(lo: number, hi: number): Sampler {
  return { sample: (rng) => lo + (hi - lo) * rng(), mean: () => (lo + hi) / 2 };
}

export const DEFAULT_IPMI_BMC_PARAMS: Readonly<BmcParams> = Object.freeze({
  protocol: 'ipmi',
  commandLatency: uniform(0.15, 0.45),
  failureRate: 0,
  timeout: 5,
  softOffDelay: uniform(10, 30),
  softOffIgnoreRate: 0,
  cycleInterval: 1,
});

export const DEFAULT_REDFISH_BMC_PARAMS: Readonly<BmcParams> = Object.freeze({
  protocol: 'redfish',
  commandLatency: uniform(0.4, 1.2),
  failureRate: 0,
  timeout: 10,
  softOffDelay: uniform(10, 30),
  softOffIgnoreRate: 0,
  cycleInterval: 1,
});

/** The defaults of `protocol` (IPMI if omitted) overridden by `overrides`. */
export function bmcParams(overrides: Partial<BmcParams> = {}): BmcParams {
  const base = (overrides.protocol ?? 'ipmi') === 'redfish' ? DEFAULT_REDFISH_BMC_PARAMS : DEFAULT_IPMI_BMC_PARAMS;
  return { ...base, ...overrides };
}

export function validateBmcParams(p: BmcParams): void {
  const bad = (what: string, got: unknown): never => {
    throw new UsageError(ErrorCodes.BMC_BAD_PARAMS, `bmc: ${what}, got ${String(got)}`);
  };
  if (p.protocol !== 'ipmi' && p.protocol !== 'redfish') bad('protocol must be "ipmi" or "redfish"', p.protocol);
  if (!(p.failureRate >= 0 && p.failureRate <= 1)) bad('failureRate must be a probability in [0, 1]', p.failureRate);
  if (!(p.softOffIgnoreRate >= 0 && p.softOffIgnoreRate <= 1)) bad('softOffIgnoreRate must be a probability in [0, 1]', p.softOffIgnoreRate);
  if (!(p.timeout > 0 && p.timeout < Infinity)) bad('timeout must be a finite number of seconds > 0', p.timeout);
  if (!(p.cycleInterval >= 0 && p.cycleInterval < Infinity)) bad('cycleInterval must be a finite number of seconds >= 0', p.cycleInterval);
}

/**
 * A BMC command got no answer within the caller's timeout. The command did not take effect;
 * sending it again may work.
 */
export class BmcTimeoutError extends DeployTwinError {
  constructor(
    readonly node: number,
    readonly command: string,
    readonly timeout: number,
  ) {
    super(ErrorCodes.BMC_TIMEOUT, `node ${node}: BMC command ${command} got no answer within ${timeout}s`, 'retryable');
    this.name = 'BmcTimeoutError';
  }
}
