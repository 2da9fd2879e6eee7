/**
 * One dnsmasq run as a child process: started in the foreground (optionally inside a network
 * namespace through `ip netns exec`, which execs dnsmasq in place, so the child's PID is
 * dnsmasq's), reloaded with SIGHUP, stopped by its PID. Its log (stderr, log-facility=-) is kept
 * and can be followed line by line.
 *
 * Ready means: dnsmasq logged "started" and its network namespace has UDP port 67 bound (read
 * from /proc/<pid>/net/udp, which shows the sockets of the process's namespace).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { dnsmasqArgs } from './dnsmasq-config.ts';
import { isReadOf, isStarted } from './dnsmasq-log.ts';

export interface DnsmasqProcessOptions {
  /** The configuration file (renderDnsmasqConfig, which sends the log to stderr). */
  confPath: string;
  /** Network namespace to run in (`ip netns exec <netns>`). Default: the caller's. */
  netns?: string;
  /** dnsmasq executable. Default "dnsmasq" (PATH). */
  binary?: string;
  /** Seconds to wait for readiness. Default 10. */
  readyTimeout?: number;
  /** The reload marker file of the configuration: reload() then waits until dnsmasq has read it. */
  reloadMarker?: string;
  /** Seconds reload() waits for the marker. Default 5. */
  reloadTimeout?: number;
}

const KEPT_LINES = 2000;

async function udpPortBound(pid: number, port: number): Promise<boolean> {
  const table = await readFile(`/proc/${pid}/net/udp`, 'utf8').catch(() => '');
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table.split('\n').some((row) => row.trim().split(/\s+/)[1]?.endsWith(hex) ?? false);
}

export class DnsmasqProcess {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    child: ChildProcess,
    readonly pid: number,
    private readonly options: DnsmasqProcessOptions,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve();
      }),
    );
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.lines.push(line);
      if (this.lines.length > KEPT_LINES) this.lines.shift();
      for (const l of this.listeners) l(line);
    });
  }

  /** Starts dnsmasq and resolves once it serves DHCP; throws BOOT_DNSMASQ_START_FAILED or _NOT_READY. */
  static async start(options: DnsmasqProcessOptions): Promise<DnsmasqProcess> {
    const binary = options.binary ?? 'dnsmasq';
    const [cmd, args] = options.netns === undefined ? [binary, dnsmasqArgs(options.confPath)] : ['ip', ['netns', 'exec', options.netns, binary, ...dnsmasqArgs(options.confPath)]];
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', resolve);
    });
    if (spawned !== undefined || child.pid === undefined) {
      throw new DeployTwinError(ErrorCodes.BOOT_DNSMASQ_START_FAILED, `could not run ${cmd}: ${spawned?.message ?? 'no PID'}`, 'fatal', { cause: spawned });
    }
    const d = new DnsmasqProcess(child, child.pid, options);
    await d.waitReady((options.readyTimeout ?? 10) * 1000);
    return d;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined) {
        throw new DeployTwinError(ErrorCodes.BOOT_DNSMASQ_START_FAILED, `dnsmasq (${this.options.confPath}) exited at start with code ${this.exitCode}: ${this.tail(5)}`, 'fatal');
      }
      if (this.lines.some(isStarted) && (await udpPortBound(this.pid, 67))) return;
      await sleep(50);
    }
    await this.stop();
    throw new DeployTwinError(ErrorCodes.BOOT_DNSMASQ_NOT_READY, `dnsmasq (${this.options.confPath}) did not serve DHCP within ${timeoutMs / 1000} s: ${this.tail(5)}`, 'retryable');
  }

  /** The last `n` log lines, joined with " | " (for error messages). */
  tail(n: number): string {
    return this.lines.slice(-n).join(' | ') || '(no output)';
  }

  /** Every log line kept so far (the last 2000). */
  get log(): readonly string[] {
    return this.lines;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Calls `listener` with each new log line; returns a function that stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * SIGHUP: dnsmasq re-reads its hosts and options files. With a reload marker, resolves once
   * dnsmasq logged reading it; throws BOOT_DNSMASQ_RELOAD_TIMEOUT if not. dnsmasq is single-
   * threaded and re-reads every file in one step, so once that line is out any DHCP request is
   * answered from the new files, whichever order it read them in.
   */
  async reload(): Promise<void> {
    if (!this.running) throw new DeployTwinError(ErrorCodes.BOOT_DNSMASQ_NOT_RUNNING, `dnsmasq (${this.options.confPath}) is not running: cannot reload it`, 'fatal');
    const marker = this.options.reloadMarker;
    if (marker === undefined) {
      process.kill(this.pid, 'SIGHUP');
      return;
    }
    const timeoutMs = (this.options.reloadTimeout ?? 5) * 1000;
    let off = (): void => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new DeployTwinError(ErrorCodes.BOOT_DNSMASQ_RELOAD_TIMEOUT, `dnsmasq did not re-read ${marker} within ${timeoutMs / 1000} s of SIGHUP: ${this.tail(3)}`, 'retryable')),
          timeoutMs,
        );
        off = this.onLine((line) => {
          if (!isReadOf(line, marker)) return;
          clearTimeout(timer);
          resolve();
        });
        process.kill(this.pid, 'SIGHUP');
      });
    } finally {
      off();
    }
  }

  /** SIGTERM by PID, SIGKILL after `graceSeconds` (default 5); resolves once it exited. Idempotent. */
  async stop(graceSeconds = 5): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const grace = new AbortController();
    const late = await Promise.race([this.exited.then(() => false), sleep(graceSeconds * 1000, true, { signal: grace.signal }).catch(() => false)]);
    grace.abort();
    if (late && this.running) this.signal('SIGKILL');
    await this.exited;
  }

  /** Sends `sig` to the PID; a process that just exited is not an error. */
  private signal(sig: NodeJS.Signals): void {
    try {
      process.kill(this.pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
}
