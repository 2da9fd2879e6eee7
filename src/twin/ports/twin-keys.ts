/**
 * The twin's SSH key generator: an ed25519 public key derived from the run's seed (the twin has no
 * private half to keep), well formed so the configuration stage checks it as it checks a real one.
 */
import { createHash } from 'node:crypto';
import { ed25519PublicKey, type SshKeyGenerator } from '../../orchestrator/configure/index.ts';

export class TwinKeys implements SshKeyGenerator {
  constructor(private readonly seed: string) {}

  async generate(): Promise<{ publicKey: string; fingerprint: string }> {
    const key = createHash('sha256').update(`deploytwin-ssh-key:${this.seed}`).digest();
    return ed25519PublicKey(key, 'deploytwin-twin');
  }
}
