/**
 * The cluster's SSH key (KiERA: "new SSH keys were generated or existing keys were registered").
 * Only public keys pass through here: a registered key is checked and fingerprinted, a generated
 * one comes from an injected generator so that the twin stays deterministic.
 *
 * Fingerprints are OpenSSH's: "SHA256:" + unpadded base64 of the SHA-256 of the key blob, the
 * text `ssh-keygen -lf` prints, so an operator can compare them by eye.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';

export type SshKeyPolicy = 'generate' | { register: string };

/** The policy once checked: a registered key is parsed and fingerprinted up front. */
export type PlannedSshKey = { kind: 'generate' } | { kind: 'register'; publicKey: string; fingerprint: string };

/**
 * Makes a new key pair, stores the private half where the deployment's SSH client will find it,
 * and returns the public half ("ssh-ed25519 AAAA... comment") and its fingerprint. src/real
 * passes a generator built on node:crypto's `generateKeyPair('ed25519')`; the twin passes one
 * that derives a key from its seed. The public key must be a well-formed OpenSSH key whose
 * fingerprint is the one returned: applyClusterPlan checks both.
 */
export interface SshKeyGenerator {
  generate(): Promise<{ publicKey: string; fingerprint: string }>;
}

/** Key types OpenSSH accepts by default (DSA has been disabled since OpenSSH 7.0). */
const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** An ed25519 blob: string "ssh-ed25519" (4 + 11 bytes) then a 32-byte key as a string (4 + 32). */
const ED25519_BLOB_BYTES = 4 + 11 + 4 + 32;

export interface SshPublicKey {
  type: string;
  /** "type base64" plus the comment, if any, single-spaced. */
  publicKey: string;
  fingerprint: string;
}

/** Parses an OpenSSH public key line; throws CONFIGURE_BAD_SSH_KEY saying what is wrong. */
export function parseSshPublicKey(text: string): SshPublicKey {
  const badKey = (why: string): never => {
    throw new UsageError(ErrorCodes.CONFIGURE_BAD_SSH_KEY, `SSH public key ${JSON.stringify(clip(String(text)))}: ${why}`);
  };
  if (typeof text !== 'string') badKey('expected a string like "ssh-ed25519 AAAA... comment"');
  const [type, body, ...comment] = text.trim().split(/\s+/);
  if (body === undefined) badKey('expected "<type> <base64 key> [comment]"');
  if (type === 'ssh-dss') badKey('DSA keys are disabled by OpenSSH since version 7.0; use ed25519');
  if (!KEY_TYPES.has(type)) badKey(`unknown key type "${type}" (expected one of ${[...KEY_TYPES].join(', ')})`);
  const blob = Buffer.from(body, 'base64');
  // Node's base64 decoder skips bad characters, so the text must also survive a round trip.
  if (!BASE64.test(body) || body.length % 4 !== 0 || blob.toString('base64') !== body) badKey('the key body is not valid base64');
  const declared = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (declared < 0 || 4 + declared > blob.length || blob.subarray(4, 4 + declared).toString('latin1') !== type) {
    badKey(`the key body does not start with its type "${type}" (truncated or pasted from another key?)`);
  }
  if (type === 'ssh-ed25519' && blob.length !== ED25519_BLOB_BYTES) badKey(`an ed25519 key body has ${ED25519_BLOB_BYTES} bytes, this one ${blob.length}`);
  const publicKey = [type, body, ...comment].join(' ');
  return { type, publicKey, fingerprint: fingerprintOf(blob) };
}

export function fingerprintOf(blob: Uint8Array): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** An SSH wire-format string: a 4-byte big-endian length, then the bytes. */
function sshString(bytes: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, Buffer.from(bytes)]);
}

/** The OpenSSH public key line ("ssh-ed25519 AAAA... comment") of a raw 32-byte ed25519 key, and its fingerprint. */
export function ed25519PublicKey(raw: Uint8Array, comment: string): { publicKey: string; fingerprint: string } {
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return { publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, fingerprint: fingerprintOf(blob) };
}

/** Checks the policy; a registered key is parsed now so a bad paste fails the plan, not the run. */
export function planSshKey(policy: SshKeyPolicy): PlannedSshKey {
  if (policy === 'generate') return { kind: 'generate' };
  if (typeof policy === 'object' && policy !== null && 'register' in policy) {
    const { publicKey, fingerprint } = parseSshPublicKey(policy.register);
    return { kind: 'register', publicKey, fingerprint };
  }
  throw new UsageError(ErrorCodes.CONFIGURE_BAD_CONFIG, `sshKey must be "generate" or { register: "<public key>" }, got ${JSON.stringify(policy)}`);
}

/** Checks what a generator returned: a broken generator is a fault of the implementation, not of the input. */
export function checkGeneratedKey(key: { publicKey: string; fingerprint: string }): SshPublicKey {
  let parsed: SshPublicKey;
  try {
    parsed = parseSshPublicKey(key.publicKey);
  } catch (e) {
    throw new DeployTwinError(ErrorCodes.CONFIGURE_BAD_SSH_KEY, `the SSH key generator returned a malformed public key`, 'fatal', { cause: e });
  }
  if (parsed.fingerprint !== key.fingerprint) {
    throw new DeployTwinError(ErrorCodes.CONFIGURE_BAD_SSH_KEY, `the SSH key generator returned fingerprint ${key.fingerprint}, but the key's is ${parsed.fingerprint}`, 'fatal');
  }
  return parsed;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
