/**
 * What a booting node may send to the status endpoint, and its checks. Two forms carry the same
 * fields: a GET query string (what busybox wget in an initrd can send without quoting JSON) and
 * a POST JSON body (which may add the commissioning environment's hardware report). Everything
 * comes from outside, so every field is checked strictly (no type coercion, no unknown fields)
 * and every refusal says which field was wrong.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { NODE_PHASES, type HardwareReport, type PhaseReport } from '../../ports/index.ts';

/** A report as received: the port's PhaseReport without `at` (the endpoint stamps arrival). */
export type ReceivedReport = Omit<PhaseReport, 'at'>;

export interface RequestProblem {
  code: 'STATUS_BAD_REQUEST' | 'STATUS_UNKNOWN_PHASE';
  message: string;
}

export const REPORT_PHASES: readonly string[] = [...NODE_PHASES, 'failed'];
/** Longest `detail` kept (characters): enough for a failing command and its message. */
export const MAX_DETAIL = 4096;
const MAX_LIST = 4096;

const text = { type: 'string', maxLength: 256 } as const;
const count = { type: 'integer', minimum: 0 } as const;

/** JSON schema of a hardware report (the port's HardwareReport); sizes in bytes. */
export const hardwareSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['cpus', 'memoryBytes', 'disks', 'gpus', 'pciDevices', 'macs'],
  properties: {
    cpus: count,
    memoryBytes: count,
    disks: {
      type: 'array',
      maxItems: MAX_LIST,
      items: { type: 'object', additionalProperties: false, required: ['name', 'bytes'], properties: { name: text, bytes: count } },
    },
    gpus: { type: 'array', maxItems: MAX_LIST, items: text },
    pciDevices: { type: 'array', maxItems: MAX_LIST, items: text },
    macs: { type: 'array', maxItems: MAX_LIST, items: { type: 'string', pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5,19}$' } },
  },
} as const;

/** JSON schema of a POST /status body. */
export const reportBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['node', 'phase'],
  properties: {
    node: { type: 'string', minLength: 1, maxLength: 253 },
    phase: { type: 'string' },
    token: { type: 'string', maxLength: 256 },
    boot: count,
    detail: { type: 'string', maxLength: MAX_DETAIL },
    hardware: hardwareSchema,
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, useDefaults: false, removeAdditional: false });
const validateBody = ajv.compile(reportBodySchema);

function describe(errors: ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const where = e.instancePath === '' ? 'body' : e.instancePath.slice(1).replaceAll('/', '.');
      const extra = e.keyword === 'additionalProperties' ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")` : '';
      return `${where} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}

function phaseProblem(phase: string): RequestProblem | undefined {
  if (REPORT_PHASES.includes(phase)) return undefined;
  return { code: 'STATUS_UNKNOWN_PHASE', message: `unknown phase ${JSON.stringify(phase)}: expected one of ${REPORT_PHASES.join(', ')}` };
}

/** The report in a checked POST body (`token` left out), or what is wrong with the body. */
export function reportFromBody(body: unknown): ReceivedReport | RequestProblem {
  if (!validateBody(body)) return { code: 'STATUS_BAD_REQUEST', message: `bad status report: ${describe(validateBody.errors ?? [])}` };
  const b = body as { node: string; phase: string; boot?: number; detail?: string; hardware?: HardwareReport };
  const bad = phaseProblem(b.phase);
  if (bad !== undefined) return bad;
  const report: ReceivedReport = { node: b.node, phase: b.phase as PhaseReport['phase'] };
  if (b.boot !== undefined) report.boot = b.boot;
  if (b.detail !== undefined) report.detail = b.detail;
  if (b.hardware !== undefined) report.hardware = b.hardware;
  return report;
}

const QUERY_KEYS = new Set(['node', 'phase', 'token', 'boot', 'detail']);

/** The report in a GET query (`token` left out), or what is wrong with the query. */
export function reportFromQuery(query: Record<string, unknown>): ReceivedReport | RequestProblem {
  const bad = (message: string): RequestProblem => ({ code: 'STATUS_BAD_REQUEST', message });
  for (const [k, v] of Object.entries(query)) {
    if (!QUERY_KEYS.has(k)) return bad(`unknown query parameter "${k}": expected node, phase, boot, detail, token`);
    if (typeof v !== 'string') return bad(`query parameter "${k}" is given more than once`);
  }
  const { node, phase, boot, detail } = query as Record<string, string | undefined>;
  if (node === undefined || node === '' || node.length > 253) return bad('query parameter "node" is required (the node\'s name, 1-253 characters)');
  if (phase === undefined) return bad(`query parameter "phase" is required: one of ${REPORT_PHASES.join(', ')}`);
  const badPhase = phaseProblem(phase);
  if (badPhase !== undefined) return badPhase;
  const report: ReceivedReport = { node, phase: phase as PhaseReport['phase'] };
  if (boot !== undefined) {
    if (!/^\d{1,15}$/.test(boot)) return bad(`query parameter "boot" must be a whole number >= 0, got ${JSON.stringify(boot)}`);
    report.boot = Number(boot);
  }
  if (detail !== undefined) {
    if (detail.length > MAX_DETAIL) return bad(`query parameter "detail" is longer than ${MAX_DETAIL} characters`);
    report.detail = detail;
  }
  return report;
}

export function isProblem(r: ReceivedReport | RequestProblem): r is RequestProblem {
  return 'code' in r;
}
