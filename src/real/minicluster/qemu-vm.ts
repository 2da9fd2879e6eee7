/**
 * A mini-cluster VM: qemu-system-x86_64 under TCG (software emulation: /dev/kvm exists on these
 * machines but KVM guests fail), no display, serial console to a file, one e1000 NIC on its tap
 * with iPXE's ROM from ipxe-qemu, booting from the network. -no-reboot makes a guest reboot or
 * panic end qemu, and an ACPI power-off ends it too: a VM that finished its job exits.
 *
 * The command line is data (qemuArgv, vmCommand), so a BMC simulator's chassis-control script
 * can start the very same VM (see MiniCluster's powerOn option).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';

export interface VmSpec {
  name: string;
  /** NIC MAC address, e.g. "52:54:00:77:00:01". */
  mac: string;
  /** Tap device in the namespace. */
  tap: string;
  /** Guest memory, MiB. Default 512 (the rootfs is held in RAM). */
  memoryMiB?: number;
  /** iPXE option ROM for the NIC. Default /usr/lib/ipxe/qemu/pxe-e1000.rom (package ipxe-qemu). */
  romfile?: string;
  /** Serial console log file. */
  serialLog: string;
}

export const DEFAULT_NIC_ROM = '/usr/lib/ipxe/qemu/pxe-e1000.rom';

/** qemu-system-x86_64's arguments for `vm`. */
export function qemuArgv(vm: VmSpec): string[] {
  return [
    '-name', vm.name,
    '-accel', 'tcg',
    '-m', String(vm.memoryMiB ?? 512),
    '-smp', '1',
    '-nographic',
    '-monitor', 'none',
    '-serial', `file:${vm.serialLog}`,
    '-no-reboot',
    '-boot', 'n',
    '-netdev', `tap,id=net0,ifname=${vm.tap},script=no,downscript=no`,
    '-device', `e1000,netdev=net0,mac=${vm.mac},romfile=${vm.romfile ?? DEFAULT_NIC_ROM}`,
  ];
}

/** The whole command that starts `vm` inside namespace `netns`. */
export function vmCommand(netns: string, vm: VmSpec): string[] {
  return ['ip', 'netns', 'exec', netns, 'qemu-system-x86_64', ...qemuArgv(vm)];
}

/** A running VM, started as a child process and ended by its PID. */
export class QemuVm {
  /** Resolves with qemu's exit code (null when killed by a signal) once it ended. */
  readonly exited: Promise<number | null>;
  private code: number | null | undefined;

  private constructor(
    readonly spec: VmSpec,
    readonly pid: number,
    exited: Promise<number | null>,
  ) {
    this.exited = exited.then((c) => (this.code = c));
  }

  /** Starts qemu (stdout and stderr go to `<serialLog>.qemu`); throws MINICLUSTER_VM_FAILED if it cannot run. */
  static async start(netns: string, spec: VmSpec): Promise<QemuVm> {
    const [cmd, ...args] = vmCommand(netns, spec);
    const out = createWriteStream(`${spec.serialLog}.qemu`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    const failed = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', resolve);
    });
    if (failed !== undefined || child.pid === undefined) {
      throw new DeployTwinError(ErrorCodes.MINICLUSTER_VM_FAILED, `could not start VM ${spec.name}: ${failed?.message ?? 'no PID'}`, 'fatal', { cause: failed });
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    return new QemuVm(spec, child.pid, exited);
  }

  get running(): boolean {
    return this.code === undefined;
  }

  /** Hard power-off: SIGTERM by PID, SIGKILL after `graceSeconds` (default 3). Idempotent. */
  async stop(graceSeconds = 3): Promise<void> {
    if (!this.running) return;
    const send = (sig: NodeJS.Signals): void => {
      try {
        process.kill(this.pid, sig);
      } catch {
        // exited meanwhile
      }
    };
    send('SIGTERM');
    const grace = new AbortController();
    const late = await Promise.race([this.exited.then(() => false), sleep(graceSeconds * 1000, true, { signal: grace.signal }).catch(() => false)]);
    grace.abort();
    if (late) send('SIGKILL');
    await this.exited;
  }
}
