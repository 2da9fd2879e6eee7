/**
 * The slurm.conf of the single-node test Slurm (slurm-cluster.ts): one node, the machine itself,
 * at 127.0.0.1 on the given ports, with its state, spool, logs and munge socket in the test's
 * folder, no cgroups, no accounting, and scheduling fast enough for a test.
 */
import { join } from 'node:path';

export interface SlurmConfSpec {
  /** The test's folder (state/, spool/, log/). */
  dir: string;
  /** This host's short name: slurmd registers under it. */
  node: string;
  /** The node line `slurmd -C` prints (the machine's real CPUs and memory). */
  nodeLine: string;
  /** munged's socket. */
  socket: string;
  ctldPort: number;
  slurmdPort: number;
}

export function slurmConf(c: SlurmConfSpec): string {
  const nodeLine = c.nodeLine.replace(/^NodeName=\S+/, `NodeName=${c.node} NodeAddr=127.0.0.1`).replace(/\s*UpTime=\S+/, '');
  return [
    `ClusterName=deploytwin${c.ctldPort}`,
    // Pinned to 127.0.0.1: registration fails where the hostname does not resolve, and nothing listens outside.
    `SlurmctldHost=${c.node}(127.0.0.1)`,
    `SlurmctldPort=${c.ctldPort}`,
    `SlurmdPort=${c.slurmdPort}`,
    'CommunicationParameters=NoCtldInAddrAny,NoInAddrAny',
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${c.socket}`,
    `StateSaveLocation=${join(c.dir, 'state')}`,
    `SlurmdSpoolDir=${join(c.dir, 'spool')}`,
    `SlurmctldPidFile=${join(c.dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(c.dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(c.dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${join(c.dir, 'log', 'slurmd.log')}`,
    // No cgroups: track processes by parentage, bind nothing.
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    // Cores, not whole nodes or all memory, per job: array tasks run side by side.
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'SchedulerParameters=batch_sched_delay=0,bf_interval=1',
    'MpiDefault=none',
    'MailProg=/bin/true',
    'ReturnToService=2',
    'JobCompType=jobcomp/none',
    'AccountingStorageType=accounting_storage/none',
    nodeLine,
    `PartitionName=debug Nodes=${c.node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}
