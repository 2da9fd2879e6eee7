/**
 * What the dashboard server and its simulation workers (sim-worker.ts) say to each other. One
 * worker thread per run: the twin simulates there, never on the server's event loop.
 *
 *   server -> worker   SimWorkerInput          load this scenario with these overrides
 *   worker -> server   started | error         loaded (or not: a bad override is a 400)
 *   server -> worker   'go'                    the run's listeners are attached: simulate
 *   worker -> server   progress*, then (events, server -> worker 'more')*, then done | error
 *
 * Large things cross in pieces or as transferred typed arrays, so that receiving them never holds
 * the server's event loop for long: the result's events in chunks, the phase records as columns.
 */
import type { JournalEntry } from '../ports/index.ts';
import type { SimulationResult } from '../twin/result.ts';
import type { Summary } from '../twin/summary.ts';
import type { RecordColumns } from './record-columns.ts';
import type { RunEvent } from './run-events.ts';
import type { RunOverrides } from './scenario-overrides.ts';

export interface SimWorkerInput {
  /** Scenario file to load. */
  path: string;
  overrides: RunOverrides;
  /** Wall-clock milliseconds between two progress messages while simulating (default 50). */
  batchMs?: number;
  /** Simulated seconds per wall-clock second to hold the simulation to; null or absent: flat out. */
  pace?: number | null;
  /** Simulated seconds between two link-load events (default 5). */
  loadInterval?: number;
}

export type SimWorkerMessage =
  /** The scenario loaded: what the server needs to describe the run. */
  | { type: 'started'; kind: 'deployment' | 'transfer'; seed: string; names: string[]; nodesPerRack: number }
  /** Journal entries appended since the last message, their events, and the simulated time reached (seconds). */
  | { type: 'progress'; entries: JournalEntry[]; events: RunEvent[]; now: number }
  /** A chunk of the events computed from the finished result (run-source.ts), in time order across chunks. */
  | { type: 'events'; events: RunEvent[] }
  /** The run ended (after its last "events" chunk): the result without its records, which come as columns, and its summary. */
  | { type: 'done'; result: Omit<SimulationResult, 'records'>; records: RecordColumns; summary: Summary }
  /** The scenario could not be loaded or simulated. */
  | { type: 'error'; error: { code: string; message: string; kind: string } };
