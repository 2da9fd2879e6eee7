/**
 * The parser table: real ipmitool 1.8.19 outputs (run with -v against OpenIPMI's ipmi_sim and
 * against a silent address, captured on this machine), plus completion-code failures as ipmitool
 * prints them (ipmi_chassis.c: "Set Chassis Power Control to %s failed: %s").
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import type { IpmiCommand } from '../../../src/real/power/ipmitool-argv.ts';
import { judgeRun, parsePowerStatus } from '../../../src/real/power/ipmitool-output.ts';

// What verbose ipmitool prints on stderr before every command on ipmi_sim, success or not.
const PREAMBLE = 'Loading IANA PEN Registry...\nRunning Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\nInvalid completion code received: Invalid command\nDiscovered IPMB address 0x0\n';
const PREAMBLE_USER =
  'Loading IANA PEN Registry...\nGet HPM.x Capabilities request failed, compcode = d4\nRunning Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\nInvalid completion code received: Insufficient privilege level\nDiscovered IPMB address 0x0\n';

const status: IpmiCommand = { kind: 'power', action: 'status' };
const on: IpmiCommand = { kind: 'power', action: 'on' };
const pxe: IpmiCommand = { kind: 'bootdev', device: 'pxe', persistent: false };

describe('ipmitool success lines', () => {
  const ok: Array<[IpmiCommand, string]> = [
    [status, 'Chassis Power is on\n'],
    [status, 'Chassis Power is off\n'],
    [on, 'Chassis Power Control: Up/On\n'],
    [{ kind: 'power', action: 'off' }, 'Chassis Power Control: Down/Off\n'],
    [{ kind: 'power', action: 'cycle' }, 'Chassis Power Control: Cycle\n'],
    [{ kind: 'power', action: 'soft' }, 'Chassis Power Control: Soft\n'],
    [pxe, 'Set Boot Device to pxe\n'],
    [{ kind: 'bootdev', device: 'disk', persistent: true }, 'Set Boot Device to disk\n'],
    [{ kind: 'guid' }, 'System GUID   : efcdab89-6745-23a1-efcd-ab89674523a1\nGUID Encoding : IPMI\n'],
  ];
  it.each(ok)('%j succeeds on %j (with the verbose preamble on stderr)', (command, stdout) => {
    expect(judgeRun(command, stdout, PREAMBLE, 0)).toBeUndefined();
    expect(judgeRun(command, stdout, PREAMBLE_USER, 0)).toBeUndefined();
  });

  it('parses the power state', () => {
    expect(parsePowerStatus('Chassis Power is on\n')).toBe('on');
    expect(parsePowerStatus('Chassis Power is off\n')).toBe('off');
    expect(parsePowerStatus('Chassis Power is unknown\n')).toBeUndefined();
    expect(parsePowerStatus('')).toBeUndefined();
  });
});

describe('ipmitool failures', () => {
  type Row = [string, IpmiCommand, string, string, number, string, boolean];
  const rows: Row[] = [
    ['wrong password (ipmi_sim)', status, '', 'Loading IANA PEN Registry...\n> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n', 1, ErrorCodes.IPMI_AUTH_FAILED, false],
    ['unknown user (ipmi_sim)', status, '', 'Loading IANA PEN Registry...\nRAKP 2 message indicates an error : unauthorized name\nError: Unable to establish IPMI v2 / RMCP+ session\n', 1, ErrorCodes.IPMI_AUTH_FAILED, false],
    ['unknown user (IPMI 1.5 lan)', status, '', 'Get Session Challenge command failed\nInvalid user name\nError: Unable to establish LAN session\n', 1, ErrorCodes.IPMI_AUTH_FAILED, false],
    ['silent address', status, '', 'Loading IANA PEN Registry...\nGet Auth Capabilities error\nError issuing Get Channel Authentication Capabilities request\nError: Unable to establish IPMI v2 / RMCP+ session\n', 1, ErrorCodes.IPMI_TIMEOUT, true],
    ['session failure without -v', status, '', 'Error: Unable to establish IPMI v2 / RMCP+ session\n', 1, ErrorCodes.IPMI_SESSION_FAILED, true],
    ['no answer inside the session', on, '', `${PREAMBLE}Unable to set Chassis Power Control to Up/On\n`, 1, ErrorCodes.IPMI_TIMEOUT, true],
    ['cipher suite 17 on ipmi_sim', status, '', 'Loading IANA PEN Registry...\nError in open session response message : invalid authentication algorithm\n\nError: Unable to establish IPMI v2 / RMCP+ session\n', 1, ErrorCodes.IPMI_UNSUPPORTED, false],
    ['USER session sets bootdev: exit 0, but failed (ipmi_sim)', pxe, '', `${PREAMBLE_USER}Set Chassis Boot Parameter 4 failed: Insufficient privilege level\nSet Chassis Boot Parameter 5 failed: Insufficient privilege level\n`, 0, ErrorCodes.IPMI_INSUFFICIENT_PRIVILEGE, false],
    ['USER session powers on (ipmi_sim)', on, '', `${PREAMBLE_USER}Set Chassis Power Control to Up/On failed: Insufficient privilege level\n`, 1, ErrorCodes.IPMI_INSUFFICIENT_PRIVILEGE, false],
    ['older ipmitool spelling', on, '', 'Set Chassis Power Control to Up/On failed: Insufficient priviledge level\n', 1, ErrorCodes.IPMI_INSUFFICIENT_PRIVILEGE, false],
    ['unsupported control (ipmi_sim, power diag)', on, '', `${PREAMBLE}Set Chassis Power Control to Diag failed: Invalid data field in request\n`, 1, ErrorCodes.IPMI_UNSUPPORTED, false],
    ['bad argument (ipmi_sim, bootdev bogus)', pxe, '', `${PREAMBLE}Invalid argument: bogus\n`, 1, ErrorCodes.IPMI_UNSUPPORTED, false],
    ['not supported in present state', { kind: 'power', action: 'soft' }, '', 'Set Chassis Power Control to Soft failed: Command not supported in present state\n', 1, ErrorCodes.IPMI_UNSUPPORTED, false],
    ['node busy', on, '', 'Set Chassis Power Control to Up/On failed: Node busy\n', 1, ErrorCodes.IPMI_BUSY, true],
    ['completion code timeout', on, '', 'Set Chassis Power Control to Up/On failed: Timeout\n', 1, ErrorCodes.IPMI_BUSY, true],
    ['no session slot free', status, '', 'RAKP 2 message indicates an error : insufficient resources for session\nError: Unable to establish IPMI v2 / RMCP+ session\n', 1, ErrorCodes.IPMI_BUSY, true],
    ['BMC booting', status, '', 'Get Chassis Power Status failed: BMC initialization in progress\n', 1, ErrorCodes.IPMI_BUSY, true],
    ['unspecified error', on, '', 'Set Chassis Power Control to Up/On failed: Unspecified error\n', 1, ErrorCodes.IPMI_COMMAND_FAILED, true],
    ['exit 0, no success line', on, '', PREAMBLE, 0, ErrorCodes.IPMI_BAD_OUTPUT, false],
    ['exit 0, another device set', pxe, 'Set Boot Device to disk\n', PREAMBLE, 0, ErrorCodes.IPMI_BAD_OUTPUT, false],
    ['exit 0, status garbled', status, 'Chassis Power is ???\n', '', 0, ErrorCodes.IPMI_BAD_OUTPUT, false],
    ['success line, but exit 1', on, 'Chassis Power Control: Up/On\n', '', 1, ErrorCodes.IPMI_COMMAND_FAILED, true],
  ];
  it.each(rows)('%s', (_name, command, stdout, stderr, exitCode, code, retryable) => {
    const failure = judgeRun(command, stdout, stderr, exitCode);
    expect(failure).toBeDefined();
    expect([failure!.code, failure!.retryable]).toEqual([code, retryable]);
    // The evidence is one of ipmitool's own lines (or says there was none), never the noise.
    expect(failure!.evidence).not.toMatch(/IANA|VSO|HPM|Discovered IPMB|Invalid completion code received/);
  });
});
