/**
 * `deploytwin serve` from the command line: starts the server on 127.0.0.1, prints where and the
 * token it generated (or not the one it was given), stops when told; bad flags exit 2.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { registerServe } from '../../src/cli/serve-command.ts';

async function serve(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let listening!: (v: { url: string; token: string }) => void;
  const ready = new Promise<{ url: string; token: string }>((resolve) => (listening = resolve));
  const program = new Command().exitOverride();
  registerServe(program, (s) => out.push(s), { until: () => stopped, onListening: (url, token) => listening({ url, token }) });
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const done = program.parseAsync(['serve', ...args], { from: 'user' });
  const { url, token } = await ready;
  process.env = saved;
  return { out, url, token, stop: async () => (stop(), await done) };
}

describe('deploytwin serve', () => {
  it('listens on 127.0.0.1 by default, prints the URL and a generated token that then works', async () => {
    const s = await serve(['--port', '0']);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const text = s.out.join('');
      expect(text).toContain(`dashboards at ${s.url}/`);
      expect(text).toContain(`control token: ${s.token}`);
      expect(text).toContain(`${s.url}/#token=${s.token}`);
      expect(s.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect((await fetch(`${s.url}/api/scenarios`)).status).toBe(200);
      const refused = await fetch(`${s.url}/api/runs/run-1`, { method: 'DELETE' });
      expect(refused.status).toBe(401);
      const allowed = await fetch(`${s.url}/api/runs/run-1`, { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
      expect(allowed.status).toBe(404);
    } finally {
      await s.stop();
    }
    await expect(fetch(`${s.url}/api/scenarios`)).rejects.toThrow();
  });

  it('takes the token from DEPLOYTWIN_TOKEN (or --token) and does not print it', async () => {
    const token = 'a-token-from-the-environment';
    const s = await serve(['--port', '0'], { DEPLOYTWIN_TOKEN: token });
    try {
      expect(s.token).toBe(token);
      expect(s.out.join('')).not.toContain(token);
      expect(s.out.join('')).toContain('as given (DEPLOYTWIN_TOKEN)');
    } finally {
      await s.stop();
    }
  });

  it('exits 2 on a bad port, a weak token or a missing --sweeps directory, one line each', async () => {
    for (const [args, pattern] of [
      [['--port', 'http'], /--port: expected an integer from 0 to 65535.*DT_CLI_BAD_ARGUMENT/],
      [['--port', '70000'], /--port.*DT_CLI_BAD_ARGUMENT/],
      [['--port', '0', '--token', 'short'], /at least 16 characters.*DT_SERVER_WEAK_TOKEN/],
      [['--port', '0', '--sweeps', '/no/such/dir'], /--sweeps: not a directory.*DT_CLI_FILE_NOT_FOUND/],
    ] as const) {
      const err: string[] = [];
      const code = await main(['serve', ...args], { out: () => {}, err: (s) => err.push(s) });
      expect(code, args.join(' ')).toBe(2);
      expect(err.join('')).toMatch(pattern);
      expect(err.join('').trim().split('\n')).toHaveLength(1);
    }
  });
});
