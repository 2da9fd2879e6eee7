import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/errors.ts';
import { parseSshPublicKey, planCluster } from '../../../src/orchestrator/configure/index.ts';
import { errorOf } from '../../helpers/error-of.ts';
import { ed25519Line } from './fake-ports.ts';
import { kiera } from './fixtures.ts';

// Made with `ssh-keygen -t ed25519` / `-t rsa -b 1024`; fingerprints as printed by `ssh-keygen -lf`.
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuTJ3gzsfqR5/wHEkcSVpWfSOjrIZSDRai5njBOM8Ra test@deploytwin';
const ED25519_FP = 'SHA256:/zMQ7/d1QjTffJL8xXZ5KEthMzDCMCDCTrg/NJaiXpE';
const RSA =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCZJWxdxi0TAk2acFqwrxTAaG9Ygg3aOBnlM65Nyu05FcKxAPFaXyYeFc6+TXSBDIsZhRSFDJRV0+WK5LFExD2ueD/vNIjhqFu8lkVa/72tIN6qFiPhnpXos01041TkN5U9GuSQvkcHZQmgCp2dT8PZv8X0dHZO5/dsm6W7oN099w== rsa';
const RSA_FP = 'SHA256:7BWVuOMpD3/AIrZcf0cEh+6AIWppA/IX7zuOIwZUgOE';

describe('SSH public keys', () => {
  it('fingerprints keys exactly as ssh-keygen does', () => {
    expect(parseSshPublicKey(ED25519)).toEqual({ type: 'ssh-ed25519', publicKey: ED25519, fingerprint: ED25519_FP });
    expect(parseSshPublicKey(RSA).fingerprint).toBe(RSA_FP);
  });

  it('normalises whitespace and keeps the comment', () => {
    expect(parseSshPublicKey(`  ${ED25519.replace(' ', '\t  ')}\n`).publicKey).toBe(ED25519);
    expect(parseSshPublicKey(ED25519.replace(' test@deploytwin', '')).publicKey).toBe(ED25519.replace(' test@deploytwin', ''));
  });

  it('reads a key made by node:crypto (what src/real generates)', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
    const { line, fingerprint } = ed25519Line(raw, 'root@head');
    expect(parseSshPublicKey(line).fingerprint).toBe(fingerprint);
  });

  it.each([
    ['', 'expected "<type> <base64 key> [comment]"'],
    ['ssh-ed25519', 'expected "<type> <base64 key> [comment]"'],
    ['ssh-dss AAAAB3NzaC1kc3M=', 'DSA keys are disabled'],
    ['ssh-foo AAAA', 'unknown key type "ssh-foo"'],
    ['ssh-ed25519 AAAAC3Nza!C1lZDI1', 'not valid base64'],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuTJ3gzsfqR5', 'not valid base64'],
    [ED25519.replace('ssh-ed25519', 'ssh-rsa'), 'does not start with its type "ssh-rsa"'],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuTJ3gzsfqR5/wHEkcSVpWfSOjrIZSDRai5njBO', 'an ed25519 key body has 51 bytes, this one 48'],
  ])('rejects %j', (text, why) => {
    const e = errorOf(() => parseSshPublicKey(text));
    expect(e.code).toBe(ErrorCodes.CONFIGURE_BAD_SSH_KEY);
    expect(e.message).toContain(why);
  });

  it('checks a registered key when planning, and rejects other policies', () => {
    expect(planCluster(kiera({ sshKey: { register: ED25519 } })).sshKey).toEqual({ kind: 'register', publicKey: ED25519, fingerprint: ED25519_FP });
    expect(errorOf(() => planCluster(kiera({ sshKey: { register: 'ssh-ed25519 xx' } }))).code).toBe(ErrorCodes.CONFIGURE_BAD_SSH_KEY);
    expect(errorOf(() => planCluster(kiera({ sshKey: 'reuse' as 'generate' }))).code).toBe(ErrorCodes.CONFIGURE_BAD_CONFIG);
  });

  it('property: any 32-byte ed25519 key round-trips, and different keys have different fingerprints', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        const ka = ed25519Line(a);
        const parsed = parseSshPublicKey(ka.line);
        expect(parsed.fingerprint).toBe(ka.fingerprint);
        expect(parsed.publicKey).toBe(ka.line);
        if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) expect(parseSshPublicKey(ed25519Line(b).line).fingerprint).not.toBe(ka.fingerprint);
      }),
    );
  });
});
