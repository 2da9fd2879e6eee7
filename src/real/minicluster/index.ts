/** The real PXE mini-cluster: network namespace, dnsmasq, an HTTP server and QEMU VMs (see minicluster.ts). */
export { MiniCluster, planVms, type MiniClusterOptions, type MiniClusterVm, type HttpContext, type HttpService } from './minicluster.ts';
export { buildGuestImage, DEFAULT_GUEST_MODULES, type GuestImage, type GuestImageOptions } from './guest-image.ts';
export { initrdInitScript, rootfsInitScript, UDHCPC_SCRIPT } from './guest-scripts.ts';
export { parseModulesDep, moduleLoadOrder, readModulesDep, type ModulesDep } from './kernel-modules.ts';
export { netnsSetupCommands, createNetns, deleteNetns, netnsExists, type NetnsPlan } from './netns.ts';
export { QemuVm, qemuArgv, vmCommand, DEFAULT_NIC_ROM, type VmSpec } from './qemu-vm.ts';
export { runCommand } from './run-command.ts';
export { buildGuestImageCached, guestImageKey, type CachedGuestImage } from './guest-image-cache.ts';
export { commissionScript } from './commission-script.ts';
