/**
 * HTTPS with a self-signed certificate (as BMCs ship): refused by default, accepted with the
 * certificate as CA, or with an explicit insecure: true. The certificate is made with openssl
 * in a temp dir for this run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployTwinError, ErrorCodes } from '../../../src/errors.ts';
import { RedfishPower, type RedfishTarget } from '../../../src/real/power/redfish-power.ts';
import { startRedfishEndpoint, type RedfishEndpoint } from '../../../src/twin/redfish/redfish-endpoint.ts';

const account = { user: 'admin', password: 'tls-Pass-1' };
let dir: string;
let cert: string;
let bmc: RedfishEndpoint;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dt-redfish-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  bmc = await startRedfishEndpoint({ ...account, timeScale: 0.01, tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert } });
});

afterAll(async () => {
  await bmc?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function status(change: Partial<RedfishTarget>): Promise<string> {
  const rf = new RedfishPower(() => ({ url: bmc.url, ...account, ...change }), { timeout: 2 });
  try {
    return await rf.powerStatus('n');
  } finally {
    await rf.close();
  }
}

describe('Redfish over HTTPS', () => {
  it('serves https on 127.0.0.1', () => {
    expect(bmc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a self-signed certificate is refused unless asked for: a fatal REDFISH_TLS that says how', async () => {
    let error: unknown;
    try {
      await status({});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeployTwinError);
    expect([(error as DeployTwinError).code, (error as DeployTwinError).kind]).toEqual([ErrorCodes.REDFISH_TLS, 'fatal']);
    expect((error as DeployTwinError).message).toMatch(/self-signed|insecure/);
  });

  it('works with the certificate as CA, or with insecure: true', async () => {
    expect(await status({ ca: cert })).toBe('off');
    expect(await status({ insecure: true })).toBe('off');
  });
});
