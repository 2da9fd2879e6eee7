/**
 * A real deployment from a site file: the orchestrator's four stages (discovery, commissioning,
 * configuration, deployment), the very functions src/twin/stages.ts runs on the twin, here on
 * the real adapters: IpmiScanner and IpmiPower (ipmitool), dnsmasq + iPXE, the artifact server,
 * the status endpoint, SQLite (journal and inventory) and the wall clock.
 *
 * Restartable: everything durable is in the state directory. A rerun replays the journal (the
 * deployment stage resumes nodes where they were; reports that arrived before are reloaded into
 * the status endpoint), discovery only adds BMCs, commissioning skips nodes with hardware facts,
 * configuration writes only what differs. Each stage is journalled ("site.stage", start and end).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { commission, type CommissionResult } from '../../orchestrator/commission.ts';
import { applyClusterPlan, type ApplyResult, type ClusterPlan } from '../../orchestrator/configure/index.ts';
import { deployCluster } from '../../orchestrator/deploy-cluster.ts';
import { discover, type DiscoverResult } from '../../orchestrator/discover.ts';
import type { NodeStatus } from '../../orchestrator/node-state.ts';
import type { JournalEntry, PhaseReport, Ports } from '../../ports/index.ts';
import { WallClock } from '../clock.ts';
import { IpmiPower } from '../power/ipmi-power.ts';
import { IpmiScanner } from '../power/ipmi-scanner.ts';
import { CommandGate } from '../power/command-gate.ts';
import { openStore } from '../store/open-store.ts';
import { acquireRunLock } from '../store/run-lock.ts';
import { JournalTap } from './journal-tap.ts';
import type { Site } from './load-site.ts';
import { SiteBootConfig } from './site-boot-config.ts';
import { preinstallImage, siteImage } from './site-image.ts';
import { BOOT_NETWORK, sitePlan } from './site-plan.ts';
import { SitePower } from './site-power.ts';
import { startSiteServices } from './site-services.ts';
import { siteToken } from './site-token.ts';
import { SITE_STAGES, SITE_STAGE_ENTRY, type SiteStage } from './site-stages.ts';
import { Ed25519Keys } from './ssh-keys.ts';

export { SITE_STAGES, SITE_STAGE_ENTRY, type SiteStage };

export interface SiteRunOptions {
  /** Last stage to run (default deploy). */
  until?: SiteStage;
  /** Every journal entry, once durable. */
  onJournal?: (entry: JournalEntry) => void;
  /** Called once the servers run, with a function that stops them (for a signal handler). */
  onServices?: (stop: () => Promise<void>) => void;
}

export interface SiteRunResult {
  plan: ClusterPlan;
  discover: DiscoverResult;
  commission?: CommissionResult;
  configure?: ApplyResult;
  deploy?: Map<string, NodeStatus>;
}

function reportOf(e: JournalEntry): PhaseReport {
  return { ...(e.data as Omit<PhaseReport, 'node' | 'at'>), node: e.node!, at: e.at };
}

export async function runSite(site: Site, options: SiteRunOptions = {}): Promise<SiteRunResult> {
  const last = SITE_STAGES.indexOf(options.until ?? 'deploy');
  await mkdir(site.stateDir, { recursive: true });
  const clock = new WallClock();
  // One orchestrator per stateDir (the lock), but the journal open to readers such as `serve --real`.
  const unlock = acquireRunLock(join(site.stateDir, 'deploytwin.lock'));
  let opened: ReturnType<typeof openStore>;
  try {
    opened = openStore(join(site.stateDir, 'deploytwin.sqlite'), clock);
  } catch (e) {
    unlock();
    throw e;
  }
  const store = {
    ...opened,
    close: () => {
      opened.close();
      unlock();
    },
  };
  const journal = options.onJournal === undefined ? store.journal : new JournalTap(store.journal, options.onJournal);
  const inventory = store.inventory;
  let plan: ClusterPlan | undefined;
  const planned = (node: string) => plan?.nodes.find((n) => n.name === node);
  const history = (await journal.entries()).filter((e) => e.type === 'phase.report' && e.node !== undefined).map(reportOf);
  const token = await siteToken(join(site.stateDir, 'status-token'));
  const services = await startSiteServices(site, { clock, journal, token, knownNode: (n) => planned(n) !== undefined, history }).catch((e) => {
    store.close();
    throw e;
  });
  options.onServices?.(async () => {
    await services.close();
    store.close();
  });
  try {
    const gate = new CommandGate(site.bmc.commandsInFlight);
    const target = { user: site.bmc.user, passwordFile: site.bmc.passwordFile, cipherSuite: site.bmc.cipherSuite };
    const bootConfig = new SiteBootConfig(
      services.bootConfig,
      (node) => {
        const n = planned(node);
        const mac = n === undefined ? undefined : site.bmc.bootMacs[n.bmc];
        return mac === undefined ? undefined : { mac, address: n!.addresses[BOOT_NETWORK] };
      },
      site.boot.kernelArgs,
    );
    const ipmi = new IpmiPower((node) => {
      const n = planned(node);
      return n === undefined ? undefined : { ...target, address: n.bmc, port: site.bmc.port };
    }, { gate, clock });
    const ports: Ports = {
      clock,
      scanner: new IpmiScanner(() => ({ user: target.user, passwordFile: target.passwordFile }), { gate, cipherSuite: site.bmc.cipherSuite }),
      power: new SitePower(ipmi, bootConfig),
      bootConfig,
      artifacts: services.artifacts,
      events: services.status,
      inventory,
      journal,
    };
    const stage = async <T>(name: SiteStage, run: () => Promise<T>): Promise<T> => {
      await journal.append({ type: SITE_STAGE_ENTRY, data: { stage: name, event: 'start' } });
      const result = await run();
      await journal.append({ type: SITE_STAGE_ENTRY, data: { stage: name, event: 'end' } });
      return result;
    };

    const found = await stage('discover', () =>
      discover(ports, { addresses: site.bmc.addresses, port: site.bmc.port, credentials: 'site', timeout: site.bmc.probeTimeout, parallelism: site.bmc.parallelism }),
    );
    plan = sitePlan(site, await inventory.bmcs());
    const result: SiteRunResult = { plan, discover: found };
    const names = plan.nodes.map((n) => n.name);
    const image = await siteImage(site);
    const statusUrl = services.status.url;

    if (last >= 1) {
      result.commission = await stage('commission', async () => {
        const pre = await services.artifacts.publish(preinstallImage(image));
        const entry = (node: string) => ({
          node,
          kernelUrl: pre.kernelUrl,
          initrdUrl: pre.initrdUrl,
          cmdline: `deploytwin.commission=1 deploytwin.status=${statusUrl} deploytwin.token=${token} deploytwin.node=${node}`,
          rootfsSource: 'server',
        });
        return commission(ports, { nodes: names, entry, parallelism: site.commission.parallelism, timeout: site.commission.timeout });
      });
    }
    if (last >= 2) {
      result.configure = await stage('configure', async () => {
        const applied = await applyClusterPlan(plan!, ports, new Ed25519Keys(join(site.stateDir, 'ssh'), `deploytwin@${site.name}`));
        // Discovery's temporary BMC names become the nodes' names.
        const bmcs = await inventory.bmcs();
        for (const n of plan!.nodes) {
          const b = bmcs.find((r) => r.address === n.bmc && r.port === site.bmc.port);
          if (b !== undefined && b.node !== n.name) await inventory.putBmc({ ...b, node: n.name });
        }
        return applied;
      });
    }
    if (last >= 3) {
      const d = site.deploy;
      result.deploy = await stage('deploy', () =>
        deployCluster(ports, {
          image,
          scheme: site.image.scheme,
          target: site.image.target,
          statusUrl,
          token,
          nodes: plan!.nodes,
          relays: plan!.relays,
          options: { wave: d.wave, stagger: d.stagger, bootTimeout: d.bootTimeout, attempts: d.attempts, backoff: () => d.backoff, softOffGrace: 0, bmcCommands: site.bmc.commandsInFlight, cycleIfOn: true },
        }),
      );
    }
    return result;
  } finally {
    await services.close();
    store.close();
  }
}
