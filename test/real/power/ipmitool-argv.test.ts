/** The ipmitool command line as data: exact argv per command, the password never in it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, UsageError } from '../../../src/errors.ts';
import { ipmitoolInvocation, type IpmiCommand, type IpmiTarget } from '../../../src/real/power/ipmitool-argv.ts';

const target: IpmiTarget = { address: '10.1.2.3', user: 'root', password: 'calvin' };
const head = ['-I', 'lanplus', '-H', '10.1.2.3', '-p', '623', '-U', 'root', '-C', '3', '-N', '1', '-R', '2', '-v', '-E'];

describe('ipmitool argv', () => {
  const cases: Array<[IpmiCommand, string[]]> = [
    [{ kind: 'power', action: 'on' }, ['chassis', 'power', 'on']],
    [{ kind: 'power', action: 'off' }, ['chassis', 'power', 'off']],
    [{ kind: 'power', action: 'soft' }, ['chassis', 'power', 'soft']],
    [{ kind: 'power', action: 'cycle' }, ['chassis', 'power', 'cycle']],
    [{ kind: 'power', action: 'status' }, ['chassis', 'power', 'status']],
    [{ kind: 'bootdev', device: 'pxe', persistent: false }, ['chassis', 'bootdev', 'pxe']],
    [{ kind: 'bootdev', device: 'pxe', persistent: true }, ['chassis', 'bootdev', 'pxe', 'options=persistent']],
    [{ kind: 'bootdev', device: 'disk', persistent: false }, ['chassis', 'bootdev', 'disk']],
    [{ kind: 'bootdev', device: 'disk', persistent: true }, ['chassis', 'bootdev', 'disk', 'options=persistent']],
    [{ kind: 'guid' }, ['mc', 'guid']],
  ];
  it.each(cases)('%j', (command, words) => {
    const { args, env } = ipmitoolInvocation(target, command);
    expect(args).toEqual([...head, ...words]);
    expect(env).toEqual({ IPMI_PASSWORD: 'calvin' });
  });

  it('port, cipher suite, privilege, retransmissions, verbosity and UEFI are options', () => {
    const { args } = ipmitoolInvocation(
      { ...target, port: 6230, cipherSuite: 17, privilege: 'OPERATOR', efiBoot: true },
      { kind: 'bootdev', device: 'pxe', persistent: true },
      { retransmit: 2, retries: 4, verbosity: 2 },
    );
    expect(args.join(' ')).toBe('-I lanplus -H 10.1.2.3 -p 6230 -U root -C 17 -L OPERATOR -N 2 -R 4 -v -v -E chassis bootdev pxe options=persistent,efiboot');
  });

  it('a password file goes as -f <path>, and then nothing goes in the environment', () => {
    const { args, env } = ipmitoolInvocation({ address: 'bmc-n01.mgmt', user: 'root', passwordFile: '/etc/deploytwin/ipmi.pw' }, { kind: 'power', action: 'on' });
    expect(args.slice(-5)).toEqual(['-f', '/etc/deploytwin/ipmi.pw', 'chassis', 'power', 'on']);
    expect(env).toEqual({});
  });

  it('the argv does not depend on the password at all; the password goes to the environment only', () => {
    const reference = ipmitoolInvocation(target, { kind: 'power', action: 'status' }).args;
    const password = fc.string({ minLength: 1, maxLength: 20 }).filter((p) => !p.includes('\0') && Buffer.byteLength(p) <= 20);
    fc.assert(
      fc.property(password, (p) => {
        const { args, env } = ipmitoolInvocation({ ...target, password: p }, { kind: 'power', action: 'status' });
        expect(args).toEqual(reference);
        expect(env).toEqual({ IPMI_PASSWORD: p });
      }),
    );
  });

  const bad: Array<[string, Partial<IpmiTarget>]> = [
    ['an address that looks like an option', { address: '-oProxyCommand=x' }],
    ['an address with a space', { address: '10.0.0.1 -P x' }],
    ['a port out of range', { port: 70000 }],
    ['a cipher suite out of range', { cipherSuite: 18 }],
    ['both password and file', { passwordFile: '/x' }],
    ['neither password nor file', { password: undefined }],
    ['a password over 20 bytes', { password: 'x'.repeat(21) }],
  ];
  it.each(bad)('rejects %s with IPMI_BAD_TARGET, never echoing the password', (_what, change) => {
    let error: unknown;
    try {
      ipmitoolInvocation({ ...target, ...change }, { kind: 'power', action: 'on' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe(ErrorCodes.IPMI_BAD_TARGET);
    expect((error as UsageError).message).not.toContain('calvin');
  });
});
