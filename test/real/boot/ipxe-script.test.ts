import { describe, expect, it } from 'vitest';
import type { BootEntry } from '../../../src/ports/index.ts';
import { renderIpxeScript } from '../../../src/real/boot/index.ts';

const entry: BootEntry = {
  node: 'cn001',
  mac: '52:54:00:77:00:01',
  address: '10.77.0.11',
  kernelUrl: 'http://10.77.0.1:8080/images/img/kernel',
  initrdUrl: 'http://10.77.0.1:8080/images/img/initrd',
  cmdline: 'root=live:http://10.77.0.1:8080/images/img/rootfs deploytwin.status=http://10.77.0.1:8080/ deploytwin.token=Tok_en-123 deploytwin.node=cn001 deploytwin.boot=3 console=ttyS0',
  rootfsSource: 'server',
};

const REPORT = 'imgfetch --name dt-report http://10.77.0.1:8080/status?node=cn001&boot=3&token=Tok_en-123&phase=';

describe('renderIpxeScript', () => {
  it('golden: reports dhcp and bootloader, fetches kernel and initrd reporting each, boots, reports failures with the step', () => {
    expect(renderIpxeScript(entry)).toBe(
      [
        '#!ipxe',
        '# deploytwin boot script for cn001, boot 3 (generated; rewritten on every boot entry change)',
        `${REPORT}dhcp&detail=\${ip} && imgfree dt-report || echo deploytwin: could not report dhcp`,
        `${REPORT}bootloader && imgfree dt-report || echo deploytwin: could not report bootloader`,
        'set dt-step kernel',
        `kernel http://10.77.0.1:8080/images/img/kernel initrd=initrd ${entry.cmdline} || goto dt-failed`,
        `${REPORT}kernel && imgfree dt-report || echo deploytwin: could not report kernel`,
        'set dt-step initrd',
        'initrd --name initrd http://10.77.0.1:8080/images/img/initrd || goto dt-failed',
        `${REPORT}initrd && imgfree dt-report || echo deploytwin: could not report initrd`,
        'set dt-step boot',
        'boot || goto dt-failed',
        ':dt-failed',
        `${REPORT}failed&detail=\${dt-step} && imgfree dt-report || echo deploytwin: could not report failed`,
        'echo deploytwin: boot failed at step ${dt-step}',
        'exit 1',
        '',
      ].join('\n'),
    );
  });

  it('golden: without a status endpoint on the command line the script reports nothing', () => {
    const script = renderIpxeScript({ ...entry, cmdline: 'console=ttyS0 quiet' });
    expect(script).toBe(
      [
        '#!ipxe',
        '# deploytwin boot script for cn001 (generated; rewritten on every boot entry change)',
        'set dt-step kernel',
        'kernel http://10.77.0.1:8080/images/img/kernel initrd=initrd console=ttyS0 quiet || goto dt-failed',
        'set dt-step initrd',
        'initrd --name initrd http://10.77.0.1:8080/images/img/initrd || goto dt-failed',
        'set dt-step boot',
        'boot || goto dt-failed',
        ':dt-failed',
        'echo deploytwin: boot failed at step ${dt-step}',
        'exit 1',
        '',
      ].join('\n'),
    );
  });

  it('leaves boot out of report URLs when the command line has no deploytwin.boot', () => {
    const script = renderIpxeScript({ ...entry, cmdline: 'deploytwin.status=http://s:1 deploytwin.token=abc' });
    expect(script).toContain('http://s:1/status?node=cn001&token=abc&phase=kernel ');
  });

  it.each([
    ['a settings expansion', 'console=${x}'],
    ['a command separator', 'a;b'],
    ['an || operator', 'a || b'],
    ['an && operator', 'a && b'],
    ['a newline', 'a\nb'],
  ])('refuses a command line with %s (BOOT_BAD_ENTRY)', (_what, cmdline) => {
    expect(() => renderIpxeScript({ ...entry, cmdline })).toThrow(expect.objectContaining({ code: 'DT_BOOT_BAD_ENTRY', kind: 'usage' }));
  });

  it('refuses a token that would need escaping in a URL', () => {
    expect(() => renderIpxeScript({ ...entry, cmdline: 'deploytwin.status=http://s deploytwin.token=a%2Fb' })).toThrow(/deploytwin.token must be base64url/);
  });

  it.each([
    ['a node name with a slash', { node: '../etc' }],
    ['no MAC', { mac: undefined }],
    ['a malformed MAC', { mac: '52:54:00:77:00' }],
    ['a bad address', { address: '10.77.0.256' }],
    ['a kernel URL with a space', { kernelUrl: 'http://s/a b' }],
    ['a TFTP kernel URL', { kernelUrl: 'tftp://s/kernel' }],
  ])('refuses %s', (_what, change) => {
    expect(() => renderIpxeScript({ ...entry, ...change } as BootEntry)).toThrow(expect.objectContaining({ code: 'DT_BOOT_BAD_ENTRY' }));
  });
});
