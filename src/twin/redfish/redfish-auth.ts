/**
 * Authentication of the twin's Redfish endpoint, as a Redfish service does it: one account,
 * sessions (POST to the Sessions collection with UserName/Password gives an X-Auth-Token and a
 * Location to DELETE) or HTTP basic auth on every request. Passwords are compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export class RedfishAccounts {
  private readonly sessions = new Map<string, { id: string; user: string }>();
  private nextId = 1;

  constructor(
    private readonly user: string,
    private readonly password: string,
  ) {}

  /** True if user/password is the account. */
  check(user: unknown, password: unknown): boolean {
    if (typeof user !== 'string' || typeof password !== 'string') return false;
    const digest = (s: string) => createHash('sha256').update(s).digest();
    // Both comparisons always run, so the time taken does not say which one failed.
    const userOk = timingSafeEqual(digest(user), digest(this.user));
    const passwordOk = timingSafeEqual(digest(password), digest(this.password));
    return userOk && passwordOk;
  }

  /** Opens a session for a checked account: its id and token. */
  open(user: string): { id: string; token: string } {
    const id = String(this.nextId++);
    const token = randomBytes(24).toString('hex');
    this.sessions.set(token, { id, user });
    return { id, token };
  }

  /** Closes session `id`; false if there is none. */
  close(id: string): boolean {
    for (const [token, s] of this.sessions) {
      if (s.id === id) {
        this.sessions.delete(token);
        return true;
      }
    }
    return false;
  }

  /** Ids of the open sessions, in opening order. */
  ids(): string[] {
    return [...this.sessions.values()].map((s) => s.id);
  }

  /** The user of session `id`, if it is open. */
  userOf(id: string): string | undefined {
    return [...this.sessions.values()].find((s) => s.id === id)?.user;
  }

  /** Whether a request's headers carry a valid session token or basic credentials. */
  authorised(headers: Record<string, string | string[] | undefined>): boolean {
    const token = headers['x-auth-token'];
    if (typeof token === 'string') return this.sessions.has(token);
    const auth = headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('Basic ')) return false;
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && this.check(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
}
