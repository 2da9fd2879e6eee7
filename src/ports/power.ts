/**
 * Power and boot-device control of one node through its BMC (IPMI, Redfish), in the style of
 * Ironic's power and management interfaces. Implementations: the twin's BMC model, ipmitool,
 * a Redfish client.
 *
 * Contracts:
 * - Every call is idempotent: powering on a node that is on succeeds and changes nothing.
 * - A call that resolves has taken effect; a call that rejects has not (or its effect is
 *   unknown: the error says which through `retryable` and its code).
 * - Calls for one node are serialised by the implementation (BMCs handle one command at a time);
 *   calls for different nodes may run in parallel.
 * - Errors are DeployTwinError with kind 'retryable' (timeout, BMC busy) or 'fatal' (bad
 *   credentials, unsupported operation).
 */
export type PowerState = 'on' | 'off';
export type BootDevice = 'pxe' | 'disk';

export interface PowerCapabilities {
  /** ACPI soft power-off is supported. */
  softOff: boolean;
  /** The boot device can be set for the next boot only. */
  bootDeviceOnce: boolean;
  /** The boot device can be set persistently. */
  bootDevicePersistent: boolean;
}

export interface Power {
  readonly capabilities: PowerCapabilities;
  powerOn(node: string, signal?: AbortSignal): Promise<void>;
  /** Hard power-off. */
  powerOff(node: string, signal?: AbortSignal): Promise<void>;
  /** ACPI shutdown request: resolves when the BMC accepted it; the node may take a while, or ignore it. */
  softOff(node: string, signal?: AbortSignal): Promise<void>;
  /** Off then on (or just on, if off). */
  powerCycle(node: string, signal?: AbortSignal): Promise<void>;
  powerStatus(node: string, signal?: AbortSignal): Promise<PowerState>;
  setBootDevice(node: string, device: BootDevice, persistent: boolean, signal?: AbortSignal): Promise<void>;
}
