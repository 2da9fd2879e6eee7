/**
 * The twin's SSH key generator: an ed25519 public key derived from the run's seed (the twin has no
 * private half to keep), well formed so the configuration stage checks it as it checks a real one.
 */
import { createHash } from 'node:crypto';
import { fingerprintOf, type SshKeyGenerator } from '../../orchestrator/configure/index.ts';

function sshString(bytes: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, Buffer.from(bytes)]);
}

export class TwinKeys implements SshKeyGenerator {
  constructor(private readonly seed: string) {}

  async generate(): Promise<{ publicKey: string; fingerprint: string }> {
    const key = createHash('sha256').update(`deploytwin-ssh-key:${this.seed}`).digest();
    const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(key)]);
    return { publicKey: `ssh-ed25519 ${blob.toString('base64')} deploytwin-twin`, fingerprint: fingerprintOf(blob) };
  }
}
