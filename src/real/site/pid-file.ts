/**
 * PID files for the children a site run starts (dnsmasq): a run killed with SIGKILL cannot stop
 * its children, so the next run on the same state directory stops the one its predecessor left,
 * by that PID, and only if that PID is still the same program with the same configuration file
 * (its command line says so): a reused PID is never signalled.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';

async function commandLine(pid: number): Promise<string[] | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return raw === undefined || raw === '' ? undefined : raw.split('\0').filter((w) => w !== '');
}

/** Whether `pid` runs `program` with `marker` among its arguments. */
export async function isOurs(pid: number, program: string, marker: string): Promise<boolean> {
  const argv = await commandLine(pid);
  return argv !== undefined && argv.some((w) => w.endsWith(program)) && argv.some((w) => w.includes(marker));
}

/** Stops the process named in `pidFile` if it is still `program` run with `marker`, then removes the file. */
export async function stopLeftover(pidFile: string, program: string, marker: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number(text.trim());
  let stopped: number | undefined;
  if (Number.isSafeInteger(pid) && pid > 1 && (await isOurs(pid, program, marker))) {
    stopped = pid;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && (await isOurs(pid, program, marker)); i++) await sleep(100);
    if (await isOurs(pid, program, marker)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && (await isOurs(pid, program, marker)); i++) await sleep(100);
    if (await isOurs(pid, program, marker)) throw new DeployTwinError(ErrorCodes.SITE_STALE_PROCESS, `${program} (PID ${pid}) left by an earlier run does not stop`, 'fatal');
  }
  await rm(pidFile, { force: true });
  return stopped;
}

export async function writePidFile(pidFile: string, pid: number): Promise<void> {
  await writeFile(pidFile, `${pid}\n`, { mode: 0o644 });
}
