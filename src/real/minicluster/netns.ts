/**
 * The mini-cluster's network: one network namespace holding a bridge (the boot server's address)
 * and one tap per VM, and nothing else. No veth leaves the namespace, so nothing reaches the
 * machine's real interfaces and no packet can go to any other address. The set-up is a list of
 * `ip` command lines built as data (tested as strings), then run.
 */
import { readFile } from 'node:fs/promises';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { runCommand } from './run-command.ts';

export interface NetnsPlan {
  /** Namespace name, e.g. "dt-mc1234". */
  name: string;
  /** Bridge inside the namespace. Default "br0". */
  bridge: string;
  /** Boot server's address on the bridge, with prefix length, e.g. "10.77.0.1/24". */
  serverCidr: string;
  /** An IPv6 prefix for router advertisements, e.g. "fd77::1/64". */
  serverIpv6Cidr: string;
  /** One tap per VM, e.g. ["tap0", "tap1"]. */
  taps: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** The `ip` command lines that build the namespace, in order. */
export function netnsSetupCommands(plan: NetnsPlan): string[][] {
  for (const n of [plan.name, plan.bridge, ...plan.taps]) {
    if (!NAME.test(n)) throw new DeployTwinError(ErrorCodes.MINICLUSTER_BAD_OPTIONS, `mini-cluster: ${JSON.stringify(n)} is not a usable namespace or interface name (1-15 characters of A-Z a-z 0-9 _ . -)`, 'fatal');
  }
  const ns = ['ip', '-n', plan.name];
  const cmds: string[][] = [
    ['ip', 'netns', 'add', plan.name],
    [...ns, 'link', 'set', 'lo', 'up'],
    // No duplicate address detection: addresses are usable at once, so router advertisements go out at start.
    ['ip', 'netns', 'exec', plan.name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'],
    [...ns, 'link', 'add', plan.bridge, 'type', 'bridge', 'forward_delay', '0'],
    [...ns, 'addr', 'add', plan.serverCidr, 'dev', plan.bridge],
    [...ns, 'addr', 'add', plan.serverIpv6Cidr, 'dev', plan.bridge, 'nodad'],
    [...ns, 'link', 'set', plan.bridge, 'up'],
  ];
  for (const tap of plan.taps) {
    cmds.push([...ns, 'tuntap', 'add', 'dev', tap, 'mode', 'tap']);
    cmds.push([...ns, 'link', 'set', tap, 'master', plan.bridge, 'up']);
  }
  return cmds;
}

export async function netnsExists(name: string): Promise<boolean> {
  const list = await runCommand(['ip', 'netns', 'list']);
  return list.split('\n').some((line) => line.split(' ')[0] === name);
}

/** Creates the namespace (refuses one that exists: it may be someone else's); deletes it again if a step fails. */
export async function createNetns(plan: NetnsPlan): Promise<void> {
  const commands = netnsSetupCommands(plan);
  if (await netnsExists(plan.name)) throw new DeployTwinError(ErrorCodes.MINICLUSTER_BAD_OPTIONS, `network namespace ${plan.name} already exists (left over? scripts/minicluster/cleanup.sh ${plan.name})`, 'fatal');
  try {
    for (const cmd of commands) await runCommand(cmd);
  } catch (e) {
    await deleteNetns(plan.name).catch(() => undefined);
    throw e;
  }
}

/**
 * Kills, by PID, whatever still runs in the namespace (only processes the mini-cluster started
 * live there), then deletes it. Idempotent.
 */
export async function deleteNetns(name: string): Promise<void> {
  if (!(await netnsExists(name))) return;
  const pids = (await runCommand(['ip', 'netns', 'pids', name]).catch(() => '')).split(/\s+/).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const pid of pids) await waitGone(Number(pid));
  await runCommand(['ip', 'netns', 'del', name]);
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const state = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Gone, or a zombie its parent has not reaped yet: either way it holds no namespace resources.
    if (state === '' || / Z /.test(state)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
