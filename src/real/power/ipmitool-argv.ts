/**
 * The ipmitool command line, built as data (an argv array for execFile, never a shell string) so
 * it can be tested without running anything (as Warewulf's internal/pkg/bmc does).
 *
 *   ipmitool -I lanplus -H <addr> -p <port> -U <user> -C <suite> [-L <priv>] -N <s> -R <n> -v
 *            (-E | -f <file>) <command...>
 *
 * The password never appears in the argv (which `ps` shows to every user): with `password` it goes
 * in the child's environment as IPMI_PASSWORD (read by `-E`; other users cannot read another
 * user's /proc/<pid>/environ), or ipmitool reads it from `passwordFile` (`-f`).
 */
import { ErrorCodes, UsageError } from '../../errors.ts';

export interface IpmiCredentials {
  user: string;
  /** The secret itself; passed to ipmitool through its environment. */
  password?: string;
  /** Or a file holding it (mode 0600), passed with -f. Exactly one of password / passwordFile. */
  passwordFile?: string;
}

export interface IpmiTarget extends IpmiCredentials {
  /** BMC address: IPv4, IPv6 or host name. */
  address: string;
  /** UDP port. Default 623 (RMCP). */
  port?: number;
  /**
   * IPMI 2.0 cipher suite (-C). Default 3 (RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128): the suite
   * every IPMI 2.0 BMC must offer, and the highest OpenIPMI's ipmi_sim implements (ipmitool's own
   * default, 17, needs SHA-256).
   */
  cipherSuite?: number;
  /** Session privilege (-L). Default: ipmitool's, ADMINISTRATOR. */
  privilege?: 'USER' | 'OPERATOR' | 'ADMINISTRATOR';
  /** Ask for UEFI boot when setting the boot device (bootdev option efiboot). Default false (legacy BIOS). */
  efiBoot?: boolean;
}

export type IpmiPowerAction = 'on' | 'off' | 'soft' | 'cycle' | 'status';

export type IpmiCommand =
  | { kind: 'power'; action: IpmiPowerAction }
  | { kind: 'bootdev'; device: 'pxe' | 'disk'; persistent: boolean }
  /** Get the system GUID: a cheap read-only command, used as the discovery probe. */
  | { kind: 'guid' };

export interface IpmitoolSession {
  /** Seconds between retransmissions (-N, integer >= 1). Default 1 (ipmitool's lanplus default). */
  retransmit?: number;
  /**
   * Tries per message (-R, integer >= 1). Default 2. Measured with ipmitool 1.8.19: a silent
   * address fails after 2 * (R * N + R * (R - 1) / 2) seconds (each try waits 1 s longer than the
   * last, and the session start is tried twice): N=1 R=1 2 s, R=2 6 s, R=3 12 s, R=4 20 s.
   */
  retries?: number;
  /**
   * Number of -v flags (>= 1). One is needed: only verbose ipmitool says why a session failed
   * ("RAKP 2 HMAC is invalid" vs "Get Auth Capabilities error"); two adds a request trace.
   */
  verbosity?: number;
}

export interface IpmitoolInvocation {
  /** Everything after the program name. */
  args: string[];
  /** Variables to add to the child's environment (the password, when given inline). */
  env: Record<string, string>;
}

/** The ipmitool words of a command, e.g. ["chassis", "bootdev", "pxe", "options=persistent"]. */
export function commandWords(command: IpmiCommand, efiBoot = false): string[] {
  switch (command.kind) {
    case 'power':
      return ['chassis', 'power', command.action];
    case 'bootdev': {
      const options = [...(command.persistent ? ['persistent'] : []), ...(efiBoot ? ['efiboot'] : [])];
      return ['chassis', 'bootdev', command.device, ...(options.length > 0 ? [`options=${options.join(',')}`] : [])];
    }
    case 'guid':
      return ['mc', 'guid'];
  }
}

// A host name or an address; never starting with "-", so it cannot be read as an option.
const ADDRESS = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%A-Za-z]*)$/;

function bad(what: string, target: IpmiTarget): never {
  throw new UsageError(ErrorCodes.IPMI_BAD_TARGET, `ipmi target ${target.address}:${target.port ?? 623}: ${what}`);
}

/** Checks a target's fields (never echoing the secret); throws UsageError IPMI_BAD_TARGET. */
export function validateTarget(target: IpmiTarget): void {
  if (typeof target.address !== 'string' || !ADDRESS.test(target.address)) bad(`address must be an IP address or host name, got "${String(target.address)}"`, target);
  const port = target.port ?? 623;
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) bad(`port must be an integer in 1..65535, got ${port}`, target);
  const suite = target.cipherSuite ?? 3;
  if (!(Number.isInteger(suite) && suite >= 0 && suite <= 17)) bad(`cipherSuite must be an integer in 0..17, got ${suite}`, target);
  if (typeof target.user !== 'string' || target.user.includes('\0') || target.user.length > 16) bad('user must be a string of at most 16 bytes (IPMI limit)', target);
  const inline = target.password !== undefined;
  const file = target.passwordFile !== undefined;
  if (inline === file) bad('give exactly one of password and passwordFile', target);
  if (inline && (typeof target.password !== 'string' || target.password.includes('\0') || Buffer.byteLength(target.password) > 20)) {
    bad('password must be a string of at most 20 bytes (IPMI 2.0 limit)', target);
  }
  if (file && (typeof target.passwordFile !== 'string' || target.passwordFile === '' || target.passwordFile.startsWith('-'))) bad('passwordFile must be a file path', target);
}

function positiveInteger(value: number, what: string): string {
  if (!(Number.isInteger(value) && value >= 1)) throw new UsageError(ErrorCodes.IPMI_BAD_TARGET, `ipmitool ${what} must be an integer >= 1, got ${value}`);
  return String(value);
}

/** The argv and environment of one ipmitool run. */
export function ipmitoolInvocation(target: IpmiTarget, command: IpmiCommand, session: IpmitoolSession = {}): IpmitoolInvocation {
  validateTarget(target);
  const verbosity = session.verbosity ?? 1;
  const args = ['-I', 'lanplus', '-H', target.address, '-p', String(target.port ?? 623), '-U', target.user, '-C', String(target.cipherSuite ?? 3)];
  if (target.privilege !== undefined) args.push('-L', target.privilege);
  args.push('-N', positiveInteger(session.retransmit ?? 1, 'retransmit interval (-N)'), '-R', positiveInteger(session.retries ?? 2, 'retries (-R)'));
  args.push(...Array.from({ length: Number(positiveInteger(verbosity, 'verbosity')) }, () => '-v'));
  const env: Record<string, string> = {};
  if (target.password !== undefined) {
    args.push('-E');
    env.IPMI_PASSWORD = target.password;
  } else {
    args.push('-f', target.passwordFile!);
  }
  args.push(...commandWords(command, target.efiBoot));
  return { args, env };
}
