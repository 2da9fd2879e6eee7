/**
 * What the routes need of a run, whatever produces it: a twin simulation (run.ts) or a real
 * deployment's journal followed read-only (real-run.ts). The REST API and the event stream see
 * only this.
 */
import type { JournalEntry } from '../ports/index.ts';
import type { SimulationResult } from '../twin/result.ts';
import type { RecordColumns } from './record-columns.ts';
import type { RunEvent, RunState } from './run-events.ts';
import type { RunInfo, RunListener } from './run.ts';

export interface DashboardRun {
  readonly id: string;
  /** True for a real deployment followed from its journal: never started or stopped through the API. */
  readonly real: boolean;
  readonly state: RunState;
  /** Node names by index and the rack grouping. */
  readonly spec: { readonly names: string[]; readonly nodesPerRack: number };
  /** The orchestrator's journal, as far as it has come. */
  readonly journal: readonly JournalEntry[];
  /** Every event so far. */
  readonly events: readonly RunEvent[];
  /** The result without its records, and the records as columns; null while none (a twin run before it finishes). */
  readonly finished: { meta: Omit<SimulationResult, 'records'>; records: RecordColumns } | null;
  info(): RunInfo;
  /** Adds a listener for new batches and the end; returns the function that removes it. */
  subscribe(listener: RunListener): () => void;
  /** Stops the run (a twin's simulation; a real run's following, at server shutdown); false if it had ended. */
  stop(): Promise<boolean>;
}
