/**
 * The mini-cluster's parts that need no root: the namespace and qemu command lines as data, the
 * VM plan, module dependency order, and the guest scripts (parsed by busybox sh -n). The real
 * boot is test/real/minicluster.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  initrdInitScript,
  MiniCluster,
  moduleLoadOrder,
  netnsSetupCommands,
  parseModulesDep,
  planVms,
  qemuArgv,
  rootfsInitScript,
  UDHCPC_SCRIPT,
  vmCommand,
} from '../../src/real/minicluster/index.ts';

describe('netnsSetupCommands', () => {
  it('golden: namespace, loopback, no DAD, bridge with IPv4 and IPv6 addresses, one tap per VM on the bridge', () => {
    const cmds = netnsSetupCommands({ name: 'dt-x', bridge: 'br0', serverCidr: '10.77.0.1/24', serverIpv6Cidr: 'fd77::1/64', taps: ['tap0', 'tap1'] });
    expect(cmds.map((c) => c.join(' '))).toEqual([
      'ip netns add dt-x',
      'ip -n dt-x link set lo up',
      'ip netns exec dt-x sysctl -q -w net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0',
      'ip -n dt-x link add br0 type bridge forward_delay 0',
      'ip -n dt-x addr add 10.77.0.1/24 dev br0',
      'ip -n dt-x addr add fd77::1/64 dev br0 nodad',
      'ip -n dt-x link set br0 up',
      'ip -n dt-x tuntap add dev tap0 mode tap',
      'ip -n dt-x link set tap0 master br0 up',
      'ip -n dt-x tuntap add dev tap1 mode tap',
      'ip -n dt-x link set tap1 master br0 up',
    ]);
  });

  it('never names a real interface or a veth: every device is created inside the namespace', () => {
    const cmds = netnsSetupCommands({ name: 'dt-x', bridge: 'br0', serverCidr: '10.77.0.1/24', serverIpv6Cidr: 'fd77::1/64', taps: ['tap0'] });
    expect(cmds.every((c) => c.slice(0, 3).join(' ') === 'ip -n dt-x' || c.slice(0, 4).join(' ') === 'ip netns exec dt-x' || c.join(' ') === 'ip netns add dt-x')).toBe(true);
    expect(cmds.flat()).not.toContain('veth');
  });

  it.each(['', 'a b', 'x'.repeat(16), '-x/y'])('refuses the name %j (MINICLUSTER_BAD_OPTIONS)', (name) => {
    expect(() => netnsSetupCommands({ name, bridge: 'br0', serverCidr: '10.0.0.1/24', serverIpv6Cidr: 'fd00::1/64', taps: [] })).toThrow(expect.objectContaining({ code: 'DT_MINICLUSTER_BAD_OPTIONS' }));
  });
});

describe('VM plan and qemu command line', () => {
  it('golden: TCG, no display, serial to a file, no reboot, network boot on an e1000 with the iPXE ROM', () => {
    expect(qemuArgv({ name: 'node1', mac: '52:54:00:77:00:00', tap: 'tap0', serialLog: '/w/node1.log' }).join(' ')).toBe(
      '-name node1 -accel tcg -m 512 -smp 1 -nographic -monitor none -serial file:/w/node1.log -no-reboot -boot n ' +
        '-netdev tap,id=net0,ifname=tap0,script=no,downscript=no -device e1000,netdev=net0,mac=52:54:00:77:00:00,romfile=/usr/lib/ipxe/qemu/pxe-e1000.rom',
    );
  });

  it('plans names, MACs, taps, addresses and the command inside the namespace', () => {
    const vms = planVms('dt-x', { nodes: 300, workDir: '/w', subnet: '10.9.8', memoryMiB: 256 });
    expect(vms[0]).toMatchObject({ name: 'node1', mac: '52:54:00:77:00:00', address: '10.9.8.11', spec: { tap: 'tap0', memoryMiB: 256, serialLog: '/w/logs/node1.serial.log' } });
    expect(vms[257]).toMatchObject({ name: 'node258', mac: '52:54:00:77:01:01' });
    expect(vms[1].command.slice(0, 5)).toEqual(['ip', 'netns', 'exec', 'dt-x', 'qemu-system-x86_64']);
    expect(vms[1].command).toEqual(vmCommand('dt-x', vms[1].spec));
    expect(new Set(vms.map((v) => v.mac)).size).toBe(300);
  });

  it('refuses a bad id or node count before touching the system', async () => {
    const base = { workDir: '/nonexistent', imagesDir: '/nonexistent', startHttp: () => Promise.reject(new Error('not reached')) };
    await expect(MiniCluster.up({ ...base, id: 'has space', nodes: 1 })).rejects.toMatchObject({ code: 'DT_MINICLUSTER_BAD_OPTIONS' });
    await expect(MiniCluster.up({ ...base, id: 'ok', nodes: 0 })).rejects.toMatchObject({ code: 'DT_MINICLUSTER_BAD_OPTIONS' });
    await expect(MiniCluster.up({ ...base, id: 'ok', nodes: 201 })).rejects.toMatchObject({ code: 'DT_MINICLUSTER_BAD_OPTIONS' });
  });
});

describe('kernel module order', () => {
  const dep = parseModulesDep(
    [
      'kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko',
      'kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko',
      'kernel/net/core/failover.ko:',
      'kernel/drivers/net/ethernet/intel/e1000/e1000.ko:',
      'kernel/fs/overlayfs/overlay.ko:',
      '',
    ].join('\n'),
  );

  it('loads dependencies first, each module once, accepting - for _', () => {
    expect(moduleLoadOrder(dep, ['virtio-net', 'e1000', 'net_failover'])).toEqual([
      'kernel/net/core/failover.ko',
      'kernel/drivers/net/net_failover.ko',
      'kernel/drivers/net/virtio_net.ko',
      'kernel/drivers/net/ethernet/intel/e1000/e1000.ko',
    ]);
  });

  it('refuses a module modules.dep does not list', () => {
    expect(() => moduleLoadOrder(dep, ['squashfs'])).toThrow(expect.objectContaining({ code: 'DT_MINICLUSTER_BAD_OPTIONS', message: expect.stringMatching(/squashfs/) }));
  });

  it('property: in any dependency DAG, every module comes after all it depends on', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (deps, wanted) => {
        const n = deps.length;
        // Module i may depend only on modules with a smaller index: a DAG.
        const text = deps.map((ds, i) => `m${i}.ko: ${i === 0 ? '' : [...new Set(ds.map((d) => `m${d % i}.ko`))].join(' ')}`).join('\n');
        const order = moduleLoadOrder(parseModulesDep(text), wanted.map((w) => `m${w % n}`));
        expect(new Set(order).size).toBe(order.length);
        const d = parseModulesDep(text);
        order.forEach((m, i) => {
          for (const x of d.get(m) ?? []) {
            expect(order.indexOf(x)).toBeGreaterThanOrEqual(0);
            expect(order.indexOf(x)).toBeLessThan(i);
          }
        });
      }),
    );
  });
});

describe.skipIf(!existsSync('/bin/busybox'))('guest scripts', () => {
  const parses = (text: string): void => {
    const dir = mkdtempSync(join(tmpdir(), 'dt-guest-'));
    try {
      writeFileSync(join(dir, 's'), text);
      execFileSync('/bin/busybox', ['sh', '-n', join(dir, 's')], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('all three parse as busybox sh', () => {
    parses(initrdInitScript(['e1000.ko', 'loop.ko']));
    parses(rootfsInitScript());
    parses(UDHCPC_SCRIPT);
  });

  it('the initrd loads the modules in order, reports rootfs then mounted, and switches root', () => {
    const init = initrdInitScript(['a.ko', 'b.ko']);
    expect(init).toContain('for m in a.ko b.ko; do insmod "/lib/modules/$m"');
    expect(init.indexOf('report rootfs')).toBeLessThan(init.indexOf('report mounted'));
    expect(init).toContain('lowerdir=/run/dt/lower,upperdir=/run/dt/rw/upper,workdir=/run/dt/rw/work');
    expect(init.trimEnd().endsWith('exec switch_root /newroot /sbin/init')).toBe(true);
    // Debian's static busybox wget crashes with -T: downloads are bounded by timeout(1) instead.
    expect(init).not.toMatch(/wget[^\n]* -T/);
    expect(init).not.toContain('\\${');
  });

  it('reports go to the status endpoint query form with node, phase, boot, token and detail', () => {
    const init = rootfsInitScript();
    expect(init).toContain('u="$STATUS/status?node=$NODE&phase=$1"');
    expect(init).toContain('[ -n "$BOOT" ] && u="$u&boot=$BOOT"');
    expect(init).toContain('[ -n "$TOKEN" ] && u="$u&token=$TOKEN"');
    expect(init).toContain('report booted');
    expect(init).toContain('root=live:*) ROOTFS="${w#root=live:}" ;;');
  });
});
