/**
 * One term of the lower bound: a quantity of work that one resource must do (bytes over a link,
 * files through an rsync server, ...), which cannot start before the earliest node could ask for
 * it (`head`) and after whose last unit some node still has at least `tail` seconds to go. So the
 * makespan is at least head + amount / capacity + tail, whatever the schedule.
 */
import { formatBytes, formatDuration, formatRate } from '../scenario/units.ts';

/** Which kind of resource a term is about (stable identifiers, used in CSV and JSON). */
export type TermKind =
  | 'node-path'
  | 'server-nic'
  | 'server-http-read'
  | 'server-rsync-files'
  | 'server-nfs-ops'
  | 'tftp-slots'
  | 'rack-uplink'
  | 'relay-fan-out'
  | 'p2p-swarm';

export interface BoundTerm {
  kind: TermKind;
  /** What it is about, e.g. "server NICs (opa)", "rack 3 uplink (ethernet)". */
  label: string;
  /** The bound this term gives, seconds. */
  seconds: number;
  /** How the figure is made, for a person. */
  detail: string;
}

/** Work on one resource, with the earliest start and the least tail of the nodes that give it. */
export class Load {
  amount = 0;
  head = Infinity;
  tail = Infinity;

  add(amount: number, head: number, tail: number): void {
    if (!(amount > 0)) return;
    this.amount += amount;
    this.head = Math.min(this.head, head);
    this.tail = Math.min(this.tail, tail);
  }

  /** head + amount / capacity + tail; 0 for no work or no limit. */
  seconds(capacity: number): number {
    if (!(this.amount > 0) || capacity === Infinity) return 0;
    return this.head + this.amount / capacity + this.tail;
  }
}

export type Unit = 'bytes' | 'files' | 'ops' | 'slot-seconds';

function amountText(amount: number, unit: Unit): string {
  if (unit === 'bytes') return formatBytes(amount);
  if (unit === 'slot-seconds') return `${formatDuration(amount)} of transfers`;
  return `${Math.round(amount)} ${unit}`;
}

function capacityText(capacity: number, unit: Unit): string {
  if (unit === 'bytes') return formatRate(capacity);
  if (unit === 'slot-seconds') return `${capacity} slots`;
  return `${capacity} ${unit}/s`;
}

/** The term a load gives, or null when it gives none. */
export function loadTerm(kind: TermKind, label: string, load: Load, capacity: number, unit: Unit): BoundTerm | null {
  const seconds = load.seconds(capacity);
  if (!(seconds > 0)) return null;
  const detail = `${formatDuration(load.head)} before + ${amountText(load.amount, unit)} / ${capacityText(capacity, unit)} + ${formatDuration(load.tail)} after`;
  return { kind, label, seconds, detail };
}
