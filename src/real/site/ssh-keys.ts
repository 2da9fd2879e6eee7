/**
 * The real SSH key generator of the configuration stage: a fresh ed25519 pair from node:crypto.
 * The private half is written to <dir>/id_ed25519 (PKCS#8 PEM, mode 0600) before the public half
 * is returned, so the journal never names a key whose private half was lost.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ed25519PublicKey, type SshKeyGenerator } from '../../orchestrator/configure/index.ts';

export class Ed25519Keys implements SshKeyGenerator {
  constructor(
    private readonly dir: string,
    private readonly comment: string,
  ) {}

  async generate(): Promise<{ publicKey: string; fingerprint: string }> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    // The SPKI DER of an ed25519 key ends with the 32 raw key bytes.
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const key = ed25519PublicKey(raw, this.comment);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(join(this.dir, 'id_ed25519'), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    await writeFile(join(this.dir, 'id_ed25519.pub'), `${key.publicKey}\n`, { mode: 0o644 });
    return key;
  }
}
