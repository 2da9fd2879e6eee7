/**
 * The guest initrd's kernel modules: the wanted drivers plus everything they depend on, read from
 * the unpacked kernel's modules.dep (generated with busybox's depmod when dpkg -x left it out),
 * in an order insmod can load them (dependencies first).
 */
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DeployTwinError, ErrorCodes } from '../../errors.ts';
import { runCommand } from './run-command.ts';

/** Module path (relative to lib/modules/<version>) -> the paths it depends on. */
export type ModulesDep = Map<string, string[]>;

export function parseModulesDep(text: string): ModulesDep {
  const dep: ModulesDep = new Map();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    dep.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim().split(/\s+/).filter((s) => s !== ''));
  }
  return dep;
}

/** "virtio-net" and "virtio_net" name the same module, as modprobe has it. */
function moduleName(path: string): string {
  return basename(path).replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

/**
 * The paths of `wanted` modules and their dependencies, each after everything it needs.
 * Throws MINICLUSTER_BAD_OPTIONS for a module modules.dep does not know (it may be built in:
 * then leave it out).
 */
export function moduleLoadOrder(dep: ModulesDep, wanted: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const path of dep.keys()) byName.set(moduleName(path), path);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (path: string): void => {
    if (order.includes(path) || visiting.has(path)) return;
    visiting.add(path);
    for (const d of dep.get(path) ?? []) visit(d);
    visiting.delete(path);
    order.push(path);
  };
  for (const name of wanted) {
    const path = byName.get(name.replace(/-/g, '_'));
    if (path === undefined) throw new DeployTwinError(ErrorCodes.MINICLUSTER_BAD_OPTIONS, `kernel module ${name} is not in modules.dep (built in, or not in this kernel?)`, 'fatal');
    visit(path);
  }
  return order;
}

/** modules.dep of `modulesDir` (<root>/lib/modules/<version>), generated first if missing. */
export async function readModulesDep(modulesDir: string): Promise<ModulesDep> {
  const file = join(modulesDir, 'modules.dep');
  const present = await access(file).then(() => true, () => false);
  if (!present) await runCommand(['busybox', 'depmod', '-b', dirname(dirname(dirname(modulesDir))), basename(modulesDir)]);
  return parseModulesDep(await readFile(file, 'utf8'));
}
