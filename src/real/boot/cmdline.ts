/**
 * The deploytwin keys of a kernel command line, as the orchestrator's provisioning schemes write
 * them (src/orchestrator/provisioning.ts) and the guest's initrd reads them:
 *
 *   deploytwin.node=<name> deploytwin.status=<base URL> deploytwin.token=<T> deploytwin.boot=<n>
 *   root=live:<rootfs URL>   (the "http" scheme: dracut dmsquash-live style)
 *
 * Reports go to `<status>/status?node=..&phase=..&boot=..&token=..` (the status endpoint's GET
 * form, src/real/events/status-server.ts). `deploytwin.boot` is the boot counter the orchestrator
 * bumps per boot so that a reboot's reports are never taken for repeats; absent, reports carry
 * no boot number.
 */
export interface DeploytwinCmdline {
  node?: string;
  /** Base URL of the status endpoint (no trailing slash). */
  statusUrl?: string;
  token?: string;
  boot?: number;
  /** The rootfs URL of `root=live:<url>`. */
  rootfsUrl?: string;
  target?: string;
}

/** The deploytwin keys found in `cmdline` (the last occurrence of a key wins, as in the kernel). */
export function parseDeploytwinCmdline(cmdline: string): DeploytwinCmdline {
  const out: DeploytwinCmdline = {};
  for (const word of cmdline.split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq < 0) continue;
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (key === 'deploytwin.node') out.node = value;
    else if (key === 'deploytwin.status') out.statusUrl = value.replace(/\/+$/, '');
    else if (key === 'deploytwin.token') out.token = value;
    else if (key === 'deploytwin.target') out.target = value;
    else if (key === 'deploytwin.boot' && /^\d{1,15}$/.test(value)) out.boot = Number(value);
    else if (key === 'root' && value.startsWith('live:')) out.rootfsUrl = value.slice('live:'.length);
  }
  return out;
}

/**
 * The status report URL up to the phase value: append a phase name. Node names are checked
 * elsewhere (NODE_NAME_PATTERN) and tokens are base64url, so neither needs escaping.
 */
export function statusReportUrl(statusUrl: string, node: string, token: string | undefined, boot: number | undefined): string {
  const parts = [`node=${node}`];
  if (boot !== undefined) parts.push(`boot=${boot}`);
  if (token !== undefined) parts.push(`token=${token}`);
  return `${statusUrl}/status?${parts.join('&')}&phase=`;
}
