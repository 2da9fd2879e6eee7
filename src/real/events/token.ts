/**
 * The per-deployment secret booting nodes send with their reports. It travels in URLs and on the
 * kernel command line, so it is URL-safe text (base64url) with nothing to escape; it is compared
 * in constant time so that a wrong guess tells nothing about how close it was.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCodes, UsageError } from '../../errors.ts';

/** Shortest token accepted (characters): 16 base64url characters are 96 bits. */
export const MIN_TOKEN_LENGTH = 16;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;

/** A fresh random token: 32 base64url characters (192 bits from the system CSPRNG). */
export function newDeploymentToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Throws STATUS_WEAK_TOKEN unless `token` is base64url text of at least MIN_TOKEN_LENGTH characters. */
export function checkToken(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH || !TOKEN_PATTERN.test(token)) {
    throw new UsageError(
      ErrorCodes.STATUS_WEAK_TOKEN,
      `the status endpoint token must be at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 _ - (it goes into URLs unescaped); use newDeploymentToken()`,
    );
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * Whether `given` equals `expected`, in time independent of where they differ (both are hashed
 * first, so even their lengths do not show). A missing or non-string `given` is never equal.
 */
export function tokenMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(expected));
}
