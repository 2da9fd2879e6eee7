/**
 * The constraints of `deploytwin plan` (--max-relays, --max-server-connections), expressed as
 * real scenario parameters, so that every point the search runs is a scenario the site could
 * actually configure:
 *
 * - --max-relays R: deploy.relays (transfer.distribution.relays) at most R.
 * - --max-server-connections N, deployment scenario: the deployment server's HTTP connection slots
 *   (services.http.maxConnections, the model's only connection cap: Apache's MaxRequestWorkers)
 *   are set to N when the scenario allows more (default 256), for every method, since boot files
 *   may come over HTTP too; the rootfs servers of the other methods (rsync, NFS, the collective
 *   sessions, hybrid's NFS part) have no connection cap in the model, so for them the wave is kept
 *   at most N: a node in flight holds at most one connection to the server at a time. The twin's
 *   relays share services.http, so their HTTP slots get the same cap (stricter than asked, never
 *   looser).
 * - --max-server-connections N, transfer scenario: the flat method's concurrency at most N; the
 *   relay method at most N relays (the server sends to the relays only).
 */
import { DEFAULT_HTTP_SERVER_PARAMS } from '../models/http-server.ts';
import type { ScenarioFile } from '../twin/scenario-schema.ts';
import type { Override } from './overrides.ts';
import type { PlanLimits } from './plan-space.ts';
import { scenarioKind } from './plan-space.ts';

export interface PlanConstraints {
  maxRelays?: number;
  maxServerConnections?: number;
}

export interface ExpressedConstraints {
  limits: Omit<PlanLimits, 'methods'>;
  /** Overrides every point gets, whatever its knobs. */
  fixed: Override[];
  /** One line per constraint: which parameter carries it. */
  notes: string[];
}

export function expressConstraints(file: ScenarioFile, c: PlanConstraints): ExpressedConstraints {
  const kind = scenarioKind(file);
  const n = c.maxServerConnections ?? Infinity;
  const fixed: Override[] = [];
  const notes: string[] = [];
  if (c.maxRelays !== undefined) notes.push(`--max-relays ${c.maxRelays}: ${kind === 'transfer' ? 'transfer.distribution' : 'deploy'}.relays <= ${c.maxRelays}`);
  if (kind === 'transfer') {
    if (n !== Infinity) notes.push(`--max-server-connections ${n}: flat concurrency <= ${n}; relay method: relays <= ${n}`);
    return {
      limits: { maxRelays: c.maxRelays ?? Infinity, maxWave: (m) => (m === 'flat' ? n : Infinity), maxRelaysFor: (m) => (m === 'relay' ? n : Infinity) },
      fixed,
      notes,
    };
  }
  if (n !== Infinity) {
    const http = (file.services?.http ?? {}) as { maxConnections?: number };
    const current = http.maxConnections ?? DEFAULT_HTTP_SERVER_PARAMS.maxConnections;
    if (current > n) fixed.push({ name: 'max-server-connections', path: ['services', 'http', 'maxConnections'], value: n });
    notes.push(
      `--max-server-connections ${n}: services.http.maxConnections = ${Math.min(current, n)} (HTTP connection slots, relays' too); ` +
        `methods other than http (no connection cap in their servers): deploy.wave <= ${n}`,
    );
  }
  return {
    limits: { maxRelays: c.maxRelays ?? Infinity, maxWave: (m) => (m === 'http' ? Infinity : n), maxRelaysFor: () => Infinity },
    fixed,
    notes,
  };
}
