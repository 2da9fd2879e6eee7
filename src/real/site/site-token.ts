/**
 * The deployment's status token, kept in the state directory (mode 0600) so that a restarted run
 * accepts the reports of nodes that booted with the token of the run before it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { checkToken, newDeploymentToken } from '../events/token.ts';

export async function siteToken(file: string): Promise<string> {
  const kept = await readFile(file, 'utf8').catch(() => undefined);
  if (kept !== undefined) {
    const token = kept.trim();
    checkToken(token);
    return token;
  }
  const token = newDeploymentToken();
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return token;
}
