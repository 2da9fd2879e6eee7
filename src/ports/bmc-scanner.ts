/**
 * Discovery: asks one address on the BMC network whether a BMC answers (an IPMI "get channel
 * authentication capabilities" / SoL probe, or a Redfish service root). Implementations: the
 * twin's BMC models; ipmitool or raw RMCP+ packets on real hardware.
 *
 * Contract: resolves `false` for an address where nothing answers within `timeout` seconds (that
 * is the expected case for most of a scanned range, not an error); rejects only when the probe
 * itself cannot be made.
 */
export interface BmcProbe {
  address: string;
  port: number;
  credentials: string;
  timeout: number;
}

export interface BmcScanner {
  probe(probe: BmcProbe, signal?: AbortSignal): Promise<boolean>;
}
