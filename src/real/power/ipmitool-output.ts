/**
 * What ipmitool's output means: the success line each command prints, and a table from failure
 * text to a typed error (in the style of MAAS's power drivers), saying whether a retry can help.
 * The texts are ipmitool 1.8.x's (lanplus.c, lan.c, ipmi_chassis.c, completion_code_vals), as
 * printed with -v; a session failure without -v only says "Unable to establish IPMI v2 / RMCP+
 * session", which cannot tell a wrong password from a silent address.
 */
import { ErrorCodes } from '../../errors.ts';
import type { IpmiCommand } from './ipmitool-argv.ts';
import type { PowerState } from '../../ports/index.ts';

export type IpmiErrorCode =
  | typeof ErrorCodes.IPMI_TIMEOUT
  | typeof ErrorCodes.IPMI_SESSION_FAILED
  | typeof ErrorCodes.IPMI_BUSY
  | typeof ErrorCodes.IPMI_AUTH_FAILED
  | typeof ErrorCodes.IPMI_INSUFFICIENT_PRIVILEGE
  | typeof ErrorCodes.IPMI_UNSUPPORTED
  | typeof ErrorCodes.IPMI_COMMAND_FAILED
  | typeof ErrorCodes.IPMI_BAD_OUTPUT;

export interface IpmiFailure {
  code: IpmiErrorCode;
  retryable: boolean;
  /** What it means, for the error message. */
  meaning: string;
  /** The ipmitool line that decided it (empty when none did). */
  evidence: string;
}

interface Rule {
  pattern: RegExp;
  code: IpmiErrorCode;
  retryable: boolean;
  meaning: string;
}

// Most specific first: ipmitool prints the generic session failure after the specific cause.
const RULES: readonly Rule[] = [
  { pattern: /RAKP 2 HMAC is invalid|invalid integrity check value|password verification/i, code: ErrorCodes.IPMI_AUTH_FAILED, retryable: false, meaning: 'the BMC rejected the password' },
  { pattern: /unauthorized name|Invalid user name|invalid name length/i, code: ErrorCodes.IPMI_AUTH_FAILED, retryable: false, meaning: 'the BMC does not know this user' },
  { pattern: /unauthorized role or privilege|invalid role|Insufficient privi|privilege level exceeds/i, code: ErrorCodes.IPMI_INSUFFICIENT_PRIVILEGE, retryable: false, meaning: 'this user may not run this command (privilege too low)' },
  {
    pattern: /invalid (authentication|integrity|confidentiality) algorithm|no cipher suite match|no matching (authentication|integrity) payload/i,
    code: ErrorCodes.IPMI_UNSUPPORTED,
    retryable: false,
    meaning: 'the BMC does not support this cipher suite (-C)',
  },
  { pattern: /insufficient resources|Node busy|BMC initialization in progress|in update mode|Cannot execute duplicated request|Command response could not be provided|Destination unavailable|failed: Timeout\b/i, code: ErrorCodes.IPMI_BUSY, retryable: true, meaning: 'the BMC is busy' },
  {
    pattern: /Invalid command|Invalid data field in request|not supported in present state|command disabled|Parameter out of range|Request data length invalid|Invalid argument/i,
    code: ErrorCodes.IPMI_UNSUPPORTED,
    retryable: false,
    meaning: 'the BMC does not support this command',
  },
  { pattern: /Get Auth Capabilities error|Error issuing Get Channel Authentication Capabilities|No response from remote controller/i, code: ErrorCodes.IPMI_TIMEOUT, retryable: true, meaning: 'nothing answered at this address' },
  { pattern: /^Unable to (set|get) /im, code: ErrorCodes.IPMI_TIMEOUT, retryable: true, meaning: 'the BMC stopped answering within the session (effect unknown)' },
  { pattern: /Unable to establish IPMI v2 \/ RMCP\+ session/i, code: ErrorCodes.IPMI_SESSION_FAILED, retryable: true, meaning: 'the IPMI session could not be opened' },
];

// Noise that verbose ipmitool prints on success too: never evidence of a failure.
const NOISE = /^(Loading IANA PEN Registry|Get HPM\.x Capabilities request failed|Running Get VSO|Invalid completion code received|Discovered IPMB address|IPM Controller is not HPM)/;

/** The failure that `output` (stdout and stderr together) reports, if the table knows it. */
export function matchFailure(output: string): IpmiFailure | undefined {
  const lines = output.split(/\r?\n/).filter((l) => l.trim() !== '' && !NOISE.test(l.trim()));
  const text = lines.join('\n');
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (m) {
      const evidence = lines.find((l) => rule.pattern.test(l))?.trim() ?? m[0];
      return { code: rule.code, retryable: rule.retryable, meaning: rule.meaning, evidence };
    }
  }
  return undefined;
}

/** The success line each command prints on stdout. */
const SUCCESS: Record<string, RegExp> = {
  on: /^Chassis Power Control: Up\/On$/m,
  off: /^Chassis Power Control: Down\/Off$/m,
  cycle: /^Chassis Power Control: Cycle$/m,
  soft: /^Chassis Power Control: Soft$/m,
  status: /^Chassis Power is (on|off)$/m,
  bootdev: /^Set Boot Device to (\S+)$/m,
  guid: /^System GUID\s*:\s*\S+/m,
};

function successPattern(command: IpmiCommand): RegExp {
  return command.kind === 'power' ? SUCCESS[command.action] : SUCCESS[command.kind];
}

/** "Chassis Power is on" -> 'on'; undefined if stdout has no such line. */
export function parsePowerStatus(stdout: string): PowerState | undefined {
  const m = SUCCESS.status.exec(stdout);
  return m === null ? undefined : (m[1] as PowerState);
}

/**
 * The verdict on one finished run: undefined for success, else the failure. Success needs the
 * command's own success line on stdout (and, for bootdev, the device asked for): an ipmitool that
 * exits 0 without it failed. A run that exits non-zero failed even if the table knows nothing.
 */
export function judgeRun(command: IpmiCommand, stdout: string, stderr: string, exitCode: number): IpmiFailure | undefined {
  const m = successPattern(command).exec(stdout);
  const ok = m !== null && (command.kind !== 'bootdev' || m[1] === command.device);
  if (ok && exitCode === 0) return undefined;
  const known = matchFailure(`${stderr}\n${stdout}`);
  if (known) return known;
  const last = `${stderr}\n${stdout}`
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !NOISE.test(l))
    .pop();
  if (exitCode !== 0) {
    return { code: ErrorCodes.IPMI_COMMAND_FAILED, retryable: true, meaning: `ipmitool exited with status ${exitCode}`, evidence: last ?? '' };
  }
  return { code: ErrorCodes.IPMI_BAD_OUTPUT, retryable: false, meaning: 'ipmitool exited 0 without reporting success', evidence: last ?? '(no output)' };
}
