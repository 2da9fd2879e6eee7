/**
 * Real BMCs for tests: OpenIPMI's ipmi_sim (Debian package openipmi) on a loopback address and a
 * free UDP port, with a config in a temp dir, a chassis_control program that keeps the power state
 * and boot device in a file (test/real/fixtures/ipmi/chassis-control.sh), and stop() by PID.
 *
 * What it takes to make ipmi_sim 2.0.33 answer: `mc_setbmc 0x20` in the emu file (bmc.emu), an
 * existing state directory (-s), ipmitool with -C 3 (it implements no SHA-256 suites), a `guid`
 * line (else `mc guid` is refused), and `chassis_control` (else power and bootdev are refused).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/ipmi/', import.meta.url));
export const USER = 'admin';
export const PASSWORD = 'Tw1n-s3cret!';

export interface SimBmc {
  address: string;
  port: number;
  /** Current chassis as the chassis_control program keeps it, e.g. { power: '1', boot: 'pxe' }. */
  chassis(): Record<string, string>;
  /** Every "set <parm> <value>" the BMC sent to the chassis, in order. */
  log(): string[];
  stop(): Promise<void>;
}

/** A UDP port free on every address right now (bound on 0.0.0.0, then released). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(0, '0.0.0.0', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

function udpBound(address: string, port: number): boolean {
  const hex = address
    .split('.')
    .map((b) => Number(b).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  const want = `${hex}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8').includes(` ${want} `);
}

export interface SimUser {
  id: number;
  name: string;
  password: string;
  privilege: 'admin' | 'user';
}

/** An ipmi_sim LAN configuration: one RMCP+ channel on address:port, a chassis-control command, users. */
export function ipmiSimLanConf(address: string, port: number, chassisControl: string, users: readonly SimUser[]): string {
  const userLines = users.map((u) => `  user ${u.id} true "${u.name}" "${u.password}" ${u.privilege} 10 none md2 md5 straight\n`).join('');
  return `name "dtbmc"
set_working_mc 0x20
  startlan 1
    addr ${address} ${port}
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  chassis_control "${chassisControl}"
${userLines}`;
}

function lanConf(address: string, port: number, dir: string, password: string): string {
  return ipmiSimLanConf(address, port, `${join(FIXTURES, 'chassis-control.sh')} ${join(dir, 'chassis')}`, [
    { id: 2, name: USER, password, privilege: 'admin' },
    { id: 3, name: 'viewer', password, privilege: 'user' },
  ]);
}

/** Starts ipmi_sim on address:port (users admin and viewer, with `password`) and resolves once its UDP socket is bound. */
export async function startSimBmc(address: string, port: number, password = PASSWORD): Promise<SimBmc> {
  const dir = mkdtempSync(join(tmpdir(), 'dt-ipmisim-'));
  mkdirSync(join(dir, 'state'));
  writeFileSync(join(dir, 'lan.conf'), lanConf(address, port, dir, password));
  const child: ChildProcess = spawn('ipmi_sim', ['-c', join(dir, 'lan.conf'), '-f', join(FIXTURES, 'bmc.emu'), '-s', join(dir, 'state'), '-n'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !udpBound(address, port); i++) {
    if (child.exitCode !== null || i > 100) {
      child.kill('SIGKILL');
      throw new Error(`ipmi_sim on ${address}:${port} did not start: ${output.trim() || `exit ${child.exitCode}`}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stateFile = join(dir, 'chassis');
  return {
    address,
    port,
    chassis: () =>
      existsSync(stateFile)
        ? Object.fromEntries(readFileSync(stateFile, 'utf8').trim().split('\n').map((l) => l.split('=') as [string, string]))
        : { power: '0', boot: 'default' },
    log: () => (existsSync(`${stateFile}.log`) ? readFileSync(`${stateFile}.log`, 'utf8').trim().split('\n') : []),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
