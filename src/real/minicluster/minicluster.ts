/**
 * A real PXE mini-cluster on one machine, as root: a network namespace with a bridge and a tap per
 * VM (netns.ts), dnsmasq inside it for DHCP, TFTP and router advertisements (src/real/boot), an
 * HTTP server inside it for the boot files, the iPXE scripts and the status endpoint (given by the
 * caller: swappable), and one QEMU VM per node that PXE-boots when powered on.
 *
 * Node i (0-based) is named `${namePrefix}${i + 1}`, has MAC 52:54:00:77:<i div 256>:<i mod 256>
 * (hex) and address <subnet>.<11 + i>. The server is <subnet>.1.
 *
 * Powering on is a function (option powerOn): by default it starts qemu directly; a BMC simulator
 * (ipmi_sim's chassis_control) can start the same command line instead (vm.command).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { DnsmasqBootConfig } from '../boot/dnsmasq-boot-config.ts';
import { renderDnsmasqConfig } from '../boot/dnsmasq-config.ts';
import { DnsmasqProcess } from '../boot/dnsmasq-process.ts';
import { prepareTftpRoot } from '../boot/tftp-root.ts';
import { createNetns, deleteNetns, type NetnsPlan } from './netns.ts';
import { QemuVm, vmCommand, type VmSpec } from './qemu-vm.ts';

/** What the HTTP server is told when it is started inside the namespace. */
export interface HttpContext {
  netns: string;
  /** Address and port to listen on (inside the namespace). */
  address: string;
  port: number;
  /** Serve its files under /images/<file name>. */
  imagesDir: string;
  /** Serve /boot/<node>.ipxe from here (registerIpxeRoutes). */
  scriptsDir: string;
  /** A directory for the server's own logs. */
  logDir: string;
}

export interface HttpService {
  /** e.g. "http://10.77.0.1:8080": /images/..., /boot/<node>.ipxe and /status live under it. */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface MiniClusterVm {
  name: string;
  mac: string;
  address: string;
  spec: VmSpec;
  /** The full command that starts the VM (`ip netns exec ... qemu-system-x86_64 ...`). */
  command: string[];
}

export interface MiniClusterOptions {
  /** Short id: the namespace is `dt-${id}` (at most 12 characters of A-Z a-z 0-9 _ -). */
  id: string;
  /** Working directory for configuration, state and logs (emptied first). */
  workDir: string;
  /** Number of VMs. */
  nodes: number;
  /** Node name prefix. Default "node". */
  namePrefix?: string;
  /** First three octets of the /24 boot network. Default "10.77.0". */
  subnet?: string;
  /** Directory of the boot files (buildGuestImage's outDir). */
  imagesDir: string;
  /** Guest memory, MiB. Default 512. */
  memoryMiB?: number;
  /** HTTP port inside the namespace. Default 8080. */
  httpPort?: number;
  startHttp(ctx: HttpContext): Promise<HttpService>;
  /** Powers a VM on. Default: start its qemu directly (QemuVm). */
  powerOn?: (vm: MiniClusterVm) => Promise<void>;
}

/** The VMs of a mini-cluster: names, MACs, addresses, taps and qemu command lines (see the header). */
export function planVms(netns: string, options: Pick<MiniClusterOptions, 'nodes' | 'namePrefix' | 'subnet' | 'memoryMiB' | 'workDir'>): MiniClusterVm[] {
  const subnet = options.subnet ?? '10.77.0';
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return Array.from({ length: options.nodes }, (_, i) => {
    const name = `${options.namePrefix ?? 'node'}${i + 1}`;
    const spec: VmSpec = { name, mac: `52:54:00:77:${hex(i >> 8)}:${hex(i & 255)}`, tap: `tap${i}`, memoryMiB: options.memoryMiB, serialLog: join(resolve(options.workDir), 'logs', `${name}.serial.log`) };
    return { name, mac: spec.mac, address: `${subnet}.${11 + i}`, spec, command: vmCommand(netns, spec) };
  });
}

export class MiniCluster {
  readonly vms: MiniClusterVm[];
  /** VMs started by the default power-on, by name. */
  readonly running = new Map<string, QemuVm>();
  /** Wall-clock time (s since the epoch) each VM was last powered on. */
  readonly poweredOnAt = new Map<string, number>();
  dnsmasq?: DnsmasqProcess;
  http?: HttpService;
  bootConfig?: DnsmasqBootConfig;
  /** Set once this cluster created its namespace: a namespace it did not create is never deleted. */
  private ownsNetns = false;

  private constructor(
    readonly options: MiniClusterOptions,
    readonly netns: string,
    readonly serverAddress: string,
  ) {
    this.vms = planVms(netns, options);
  }

  /** Builds everything; on any failure tears down what was built and rethrows. */
  static async up(options: MiniClusterOptions): Promise<MiniCluster> {
    if (!/^[A-Za-z0-9_-]{1,12}$/.test(options.id) || !Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > 200) {
      throw new DeployTwinError(ErrorCodes.MINICLUSTER_BAD_OPTIONS, `mini-cluster: id must be 1-12 characters of A-Z a-z 0-9 _ - and nodes 1-200 (got ${JSON.stringify(options.id)}, ${options.nodes})`, 'fatal');
    }
    const subnet = options.subnet ?? '10.77.0';
    const cluster = new MiniCluster(options, `dt-${options.id}`, `${subnet}.1`);
    try {
      await cluster.build(subnet);
    } catch (e) {
      await cluster.down().catch(() => undefined);
      throw e;
    }
    return cluster;
  }

  private async build(subnet: string): Promise<void> {
    const work = resolve(this.options.workDir);
    await rm(work, { recursive: true, force: true });
    for (const d of ['logs', 'boot-state', 'tftp']) await mkdir(join(work, d), { recursive: true });
    const port = this.options.httpPort ?? 8080;
    const baseUrl = `http://${this.serverAddress}:${port}`;
    this.bootConfig = await DnsmasqBootConfig.open({ stateDir: join(work, 'boot-state'), scriptBaseUrl: `${baseUrl}/boot`, reload: () => this.dnsmasq!.reload() });
    await prepareTftpRoot(join(work, 'tftp'));
    const plan: NetnsPlan = { name: this.netns, bridge: 'br0', serverCidr: `${this.serverAddress}/24`, serverIpv6Cidr: 'fd77::1/64', taps: this.vms.map((v) => v.spec.tap) };
    await createNetns(plan);
    this.ownsNetns = true;
    const state = this.bootConfig.layout;
    const confPath = join(work, 'dnsmasq.conf');
    const conf = { interface: plan.bridge, network: `${subnet}.0`, netmask: '255.255.255.0', state, tftpRoot: join(work, 'tftp'), ipxeScriptBaseUrl: `${baseUrl}/boot` };
    await writeFile(confPath, renderDnsmasqConfig(conf));
    this.dnsmasq = await DnsmasqProcess.start({ confPath, netns: this.netns, reloadMarker: state.reloadMarker });
    this.http = await this.options.startHttp({ netns: this.netns, address: this.serverAddress, port, imagesDir: resolve(this.options.imagesDir), scriptsDir: state.scriptsDir, logDir: join(work, 'logs') });
    if (this.http.baseUrl !== baseUrl) throw new DeployTwinError(ErrorCodes.MINICLUSTER_BAD_OPTIONS, `mini-cluster: the HTTP server answers at ${this.http.baseUrl}, expected ${baseUrl}`, 'fatal');
  }

  /** The VM named `name`; throws MINICLUSTER_BAD_OPTIONS for an unknown name. */
  vm(name: string): MiniClusterVm {
    const vm = this.vms.find((v) => v.name === name);
    if (vm === undefined) throw new DeployTwinError(ErrorCodes.MINICLUSTER_BAD_OPTIONS, `mini-cluster: no VM named ${name} (have ${this.vms.map((v) => v.name).join(', ')})`, 'fatal');
    return vm;
  }

  /** Powers the VM on through options.powerOn, or by starting its qemu. */
  async powerOn(name: string): Promise<void> {
    const vm = this.vm(name);
    this.poweredOnAt.set(name, Date.now() / 1000);
    if (this.options.powerOn !== undefined) return this.options.powerOn(vm);
    if (this.running.get(name)?.running) return;
    this.running.set(name, await QemuVm.start(this.netns, vm.spec));
  }

  /** Stops VMs, the HTTP server and dnsmasq (each by PID), then deletes the namespace. Idempotent. */
  async down(): Promise<void> {
    const errors: unknown[] = [];
    const attempt = async (step: () => Promise<void> | undefined): Promise<void> => {
      try {
        await step();
      } catch (e) {
        errors.push(e);
      }
    };
    for (const vm of this.running.values()) await attempt(() => vm.stop());
    await attempt(() => this.http?.stop());
    await attempt(() => this.dnsmasq?.stop());
    if (this.ownsNetns) await attempt(() => deleteNetns(this.netns));
    if (errors.length > 0) throw errors[0];
  }
}
