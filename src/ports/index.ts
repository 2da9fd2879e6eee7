/**
 * The ports: the only things the orchestrator knows. The twin implements them on the models;
 * src/real implements them against hardware. Interfaces only: no implementation lives here.
 */
export type { Clock } from './clock.ts';
export type { Power, PowerCapabilities, PowerState, BootDevice } from './power.ts';
export type { BootConfig, BootEntry } from './boot-config.ts';
export type { Artifacts, Image, ImageFile, PublishedImage, RootfsFormat } from './artifacts.ts';
export { NODE_PHASES } from './node-events.ts';
export type { NodeEvents, NodePhase, PhaseReport, HardwareReport } from './node-events.ts';
export type { Inventory, BmcRecord, NodeRecord, NodeRole, NetworkRecord } from './inventory.ts';
export type { Journal, JournalEntry } from './journal.ts';
export type { BmcScanner, BmcProbe } from './bmc-scanner.ts';

import type { Artifacts } from './artifacts.ts';
import type { BmcScanner } from './bmc-scanner.ts';
import type { BootConfig } from './boot-config.ts';
import type { Clock } from './clock.ts';
import type { Inventory } from './inventory.ts';
import type { Journal } from './journal.ts';
import type { NodeEvents } from './node-events.ts';
import type { Power } from './power.ts';

/** Everything an orchestrator run needs, twin or real. */
export interface Ports {
  clock: Clock;
  scanner: BmcScanner;
  power: Power;
  bootConfig: BootConfig;
  artifacts: Artifacts;
  events: NodeEvents;
  inventory: Inventory;
  journal: Journal;
}
