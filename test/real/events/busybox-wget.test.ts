/**
 * The exact calls a guest initrd makes: busybox wget (what the PXE images carry) against the
 * status endpoint on 127.0.0.1. wget exits 0 on a 2xx answer and 1 otherwise, which is all a
 * boot script can test. (No "-T seconds": Debian 12's busybox-static 1.35 wget segfaults with it.)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { StatusServer } from '../../../src/real/events/status-server.ts';
import { newDeploymentToken } from '../../../src/real/events/token.ts';

const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
const token = newDeploymentToken();
const server = await StatusServer.start({ token, nodes: 'cn[01-02]' });
afterAll(() => server.close());

/** Runs busybox wget with no proxy settings in its environment; resolves with its exit code and output. */
function wget(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(busybox!, ['wget', '-q', '-O', '-', ...args], { env: { PATH: '/usr/bin:/bin' } }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out: stdout });
    });
  });
}

describe.skipIf(busybox === undefined)('busybox wget against the status endpoint', () => {
  it('reports a phase with a plain GET built from statusUrl', async () => {
    const { code, out } = await wget([`${server.statusUrl('cn01', 4)}kernel`]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ accepted: true, repeat: false });
    expect(server.history('cn01')).toMatchObject([{ node: 'cn01', phase: 'kernel', boot: 4 }]);
    expect((await wget([`${server.statusUrl('cn01', 4)}kernel`])).code).toBe(0); // re-sending is safe
    expect(server.history('cn01')).toHaveLength(1);
  });

  it('posts the commissioning report as JSON', async () => {
    const body = JSON.stringify({ node: 'cn02', phase: 'booted', boot: 1, token, hardware: { cpus: 2, memoryBytes: 2147483648, disks: [], gpus: [], pciDevices: [], macs: ['52:54:00:12:34:56'] } });
    const { code } = await wget(['--header', 'Content-Type: application/json', '--post-data', body, `${server.url}/status`]);
    expect(code).toBe(0);
    expect(server.history('cn02')[0].hardware?.macs).toEqual(['52:54:00:12:34:56']);
  });

  it('fails (exit 1) with a wrong token or an unknown node, so a script can tell', async () => {
    expect((await wget([`${server.url}/status?node=cn01&phase=dhcp&boot=1&token=wrong-token-xxxxxxxx`])).code).toBe(1);
    expect((await wget([`${server.url}/status?node=cn99&phase=dhcp&boot=1&token=${token}`])).code).toBe(1);
  });
});
