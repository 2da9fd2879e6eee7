/**
 * `deploytwin real deploy --site <file>`: the orchestrator's four stages on real machines, with
 * the adapters the site file names (src/real/site). Every journal entry is printed to stderr as
 * it becomes durable ("journal <seq> <unix time> <type> <node|-> <data>"), a summary to stdout
 * (or --json). Rerun with the same site file to resume: the state directory holds the journal.
 * Exit code 0 when every node is deployed (or the last stage asked for completed), 1 otherwise.
 */
import type { Command } from 'commander';
import { ErrorCodes, UsageError } from '../errors.ts';
import type { JournalEntry } from '../ports/index.ts';
import { loadSite, runSite, SITE_STAGES, type SiteRunResult, type SiteStage } from '../real/site/index.ts';

interface RealFlags {
  site?: string;
  until?: string;
  json?: boolean;
  quiet?: boolean;
}

function journalLine(e: JournalEntry): string {
  return `journal ${e.seq} ${e.at.toFixed(3)} ${e.type} ${e.node ?? '-'} ${e.data === undefined ? '{}' : JSON.stringify(e.data)}\n`;
}

function summary(r: SiteRunResult): string {
  const lines = [`discovery: ${r.discover.found.length} BMCs answered, ${r.discover.silent.length} addresses silent; ${r.plan.nodes.length} nodes planned\n`];
  if (r.commission) {
    lines.push(`commissioning: ${r.commission.commissioned.length} nodes reported their hardware, ${r.commission.failed.length} failed\n`);
    for (const c of r.commission.commissioned) lines.push(`  ${c.node}: ${c.hardware.cpus} cpus, ${c.hardware.memoryBytes} bytes, macs ${c.hardware.macs.join(' ')}\n`);
    for (const f of r.commission.failed) lines.push(`  ${f.node}: failed: ${f.reason}\n`);
  }
  if (r.configure) lines.push(`configuration: ${r.configure.nodes.created} nodes created, ${r.configure.nodes.updated} updated, ${r.configure.nodes.unchanged} unchanged; ssh key ${r.configure.sshKey.fingerprint}\n`);
  if (r.deploy) {
    const states = [...r.deploy.entries()];
    lines.push(`deployment: ${states.filter(([, s]) => s.state === 'deployed').length} of ${states.length} nodes deployed\n`);
    for (const [node, s] of states) lines.push(`  ${node}: ${s.state}${s.state === 'failed' ? `: ${s.reason}` : ''}\n`);
  }
  return lines.join('');
}

function asJson(r: SiteRunResult): string {
  return `${JSON.stringify(
    {
      nodes: r.plan.nodes.map((n) => ({ name: n.name, bmc: n.bmc, addresses: n.addresses })),
      discover: r.discover,
      commission: r.commission,
      configure: r.configure,
      deploy: r.deploy === undefined ? undefined : Object.fromEntries(r.deploy),
    },
    null,
    2,
  )}\n`;
}

export function registerSiteCommands(program: Command, out: (s: string) => void, err: (s: string) => void, setExit: (code: number) => void): void {
  const real = program.command('real').description('drive real machines (BMCs, PXE, HTTP) with the same orchestrator the twin runs');
  const deploy = real
    .command('deploy')
    .description('discover, commission, configure and deploy the machines a site file describes (rerun to resume)')
    .requiredOption('--site <file>', 'site file (YAML): BMC range and credentials file, dnsmasq, HTTP servers, state directory, image')
    .option('--until <stage>', `stop after this stage: ${SITE_STAGES.join(', ')}`, 'deploy')
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'do not print journal entries on stderr')
    .action(async (flags: RealFlags) => {
      if (!SITE_STAGES.includes(flags.until as SiteStage)) throw new UsageError(ErrorCodes.CLI_BAD_ARGUMENT, `--until: expected one of ${SITE_STAGES.join(', ')}, got "${flags.until}"`);
      const site = loadSite(flags.site!);
      let stop: (() => Promise<void>) | undefined;
      const onSignal = (sig: NodeJS.Signals): void => {
        err(`deploytwin: ${sig}: stopping the servers; rerun to resume\n`);
        void (stop?.() ?? Promise.resolve()).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
      };
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      try {
        const result = await runSite(site, {
          until: flags.until as SiteStage,
          onJournal: flags.quiet ? undefined : (e) => err(journalLine(e)),
          onServices: (s) => (stop = s),
        });
        out(flags.json ? asJson(result) : summary(result));
        const failed = (result.commission?.failed.length ?? 0) > 0 || [...(result.deploy?.values() ?? [])].some((s) => s.state !== 'deployed');
        setExit(failed ? 1 : 0);
      } finally {
        process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
      }
    });
  for (const cmd of [real, deploy]) cmd.exitOverride().configureOutput(program.configureOutput());
}
