/**
 * A real single-node Slurm for tests: munged (as the munge user), slurmctld and slurmd from
 * Debian's packages, started directly as child processes (no systemd) with a slurm.conf, a fresh
 * munge key, state and spool in a temporary folder, on two free ports on 127.0.0.1 only, so nothing
 * collides with another Slurm or munge on the machine. Clients reach it through SLURM_CONF.
 * stop() cancels any job left, then ends the three daemons by their PIDs.
 * Recipe and pitfalls: /work/shared/design/packages.md, "A real single-node Slurm for tests".
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, chownSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { delimiter, join } from 'node:path';
import { slurmConf } from './slurm-conf.ts';

const SBIN = ['/usr/sbin', '/sbin'];
const DAEMONS = ['munged', 'slurmctld', 'slurmd'];
const CLIENTS = ['sbatch', 'squeue', 'sinfo', 'scancel'];

function which(bin: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...SBIN]) {
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return join(dir, bin);
    } catch {
      // not here
    }
  }
  return null;
}

function mungeUser(): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('munge:'));
  if (line === undefined) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Why a Slurm cannot be started here (empty when it can). */
export function slurmUnavailable(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('not running as root (slurmd runs jobs as their user, munged as munge)');
  for (const bin of [...DAEMONS, ...CLIENTS]) if (which(bin) === null) missing.push(`${bin} is not installed`);
  if (mungeUser() === null) missing.push('no munge user');
  return missing;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => T | null, logs: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = probe();
    if (v !== null) return v;
    await sleep(100);
  }
  throw new Error(`Slurm test cluster: timed out after ${timeoutMs} ms waiting for ${what}\n${logs()}`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** Ends one daemon: SIGTERM, then SIGKILL if it has not gone within 10 s. */
async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exited(child).then(() => false), sleep(10_000).then(() => true)]);
  if (killed) {
    child.kill('SIGKILL');
    await exited(child);
  }
}

export class SlurmCluster {
  private constructor(
    /** The temporary folder: slurm.conf, munge/, state/, spool/, log/. */
    readonly dir: string,
    /** Environment for Slurm's clients: SLURM_CONF names this cluster's slurm.conf. */
    readonly env: NodeJS.ProcessEnv,
    private readonly daemons: ChildProcess[],
  ) {}

  get conf(): string {
    return join(this.dir, 'slurm.conf');
  }

  /** The daemons' logs (for a failure message). */
  logs(): string {
    const log = join(this.dir, 'log');
    const files = [join(this.dir, 'munge', 'munged.log'), ...DAEMONS.map((d) => join(log, `${d}.out`)), join(log, 'slurmctld.log'), join(log, 'slurmd.log')];
    return files
      .filter((f) => existsSync(f))
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-30).join('\n')}`)
      .join('\n');
  }

  /** Runs a Slurm client against this cluster. */
  run(bin: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(which(bin) ?? bin, args, { env: this.env, encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  static async start(): Promise<SlurmCluster> {
    const munge = mungeUser()!;
    const dir = mkdtempSync('/tmp/deploytwin-slurm-');
    chmodSync(dir, 0o755);
    for (const d of ['state', 'spool', 'log']) mkdirSync(join(dir, d));
    // munged checks that its socket folder is searchable by all and its key readable by munge only.
    const mungeDir = join(dir, 'munge');
    mkdirSync(mungeDir, { mode: 0o755 });
    chownSync(mungeDir, munge.uid, munge.gid);
    const key = join(mungeDir, 'munge.key');
    writeFileSync(key, randomBytes(128), { mode: 0o400 });
    chownSync(key, munge.uid, munge.gid);
    const socket = join(mungeDir, 'munge.socket');

    const node = hostname().split('.')[0];
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const probe = spawnSync(which('slurmd')!, ['-C'], { encoding: 'utf8' });
    const nodeLine = (probe.stdout ?? '').split('\n').find((l) => l.startsWith('NodeName='));
    if (nodeLine === undefined) throw new Error(`slurmd -C printed no node line: ${probe.stderr}`);
    const conf = join(dir, 'slurm.conf');
    writeFileSync(conf, slurmConf({ dir, node, nodeLine, socket, ctldPort, slurmdPort }));
    const env = { ...process.env, SLURM_CONF: conf };

    const daemons: ChildProcess[] = [];
    const cluster = new SlurmCluster(dir, env, daemons);
    const out = (name: string) => openSync(join(dir, 'log', `${name}.out`), 'a');
    const launch = (bin: string, args: string[], extra: { uid?: number; gid?: number } = {}) => {
      const fd = out(bin);
      const child = spawn(which(bin)!, args, { env, stdio: ['ignore', fd, fd], ...extra });
      closeSync(fd);
      child.on('error', () => {});
      daemons.push(child);
      return child;
    };
    try {
      // munged refuses to run as root.
      const mungeArgs = [`--socket=${socket}`, `--key-file=${key}`, `--pid-file=${join(mungeDir, 'munged.pid')}`, `--seed-file=${join(mungeDir, 'munged.seed')}`];
      launch('munged', ['-F', ...mungeArgs, `--log-file=${join(mungeDir, 'munged.log')}`], munge);
      await until('the munge socket', 10_000, () => (existsSync(socket) ? true : null), () => cluster.logs());
      launch('slurmctld', ['-D', '-c', '-f', conf]);
      launch('slurmd', ['-D', '-f', conf]);
      await until(`node ${node} to be idle`, 30_000, () => (/^idle/.test(cluster.run('sinfo', '-h', '-n', node, '-o', '%T').stdout.trim()) ? true : null), () => cluster.logs());
      return cluster;
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }

  /** Cancels the jobs left (their steps would outlive slurmd), ends the daemons by PID, removes the folder unless `keep`. */
  async stop(keep = false): Promise<void> {
    const up = (d: ChildProcess | undefined) => d !== undefined && d.exitCode === null && d.signalCode === null;
    if (up(this.daemons[1])) {
      this.run('scancel', '--full', '--user', 'root');
      const end = Date.now() + 10_000;
      while (Date.now() < end && this.run('squeue', '-h', '-t', 'PD,R,CG,S').stdout.trim() !== '') await sleep(200);
    }
    // Reverse order: slurmd, slurmctld, then munged, which they need to the end.
    for (const d of [...this.daemons].reverse()) await stopDaemon(d);
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
