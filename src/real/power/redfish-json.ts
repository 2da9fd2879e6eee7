/**
 * Checks on the JSON a Redfish service sends back, for the few properties the client relies on
 * (DMTF schemas: ComputerSystemCollection, ComputerSystem, Message). A BMC that answers with
 * something else gets a fatal REDFISH_BAD_RESPONSE naming the property and what was there,
 * instead of a TypeError somewhere later.
 */
import { DeployTwinError, ErrorCodes } from '../../errors.ts';

export const POWER_STATES = ['On', 'Off', 'PoweringOn', 'PoweringOff', 'Paused'] as const;
export type RedfishPowerState = (typeof POWER_STATES)[number];

export interface RedfishSystem {
  powerState: RedfishPowerState;
  /** URI of the ComputerSystem.Reset action, undefined if the system has none. */
  resetTarget: string | undefined;
  /** ResetType@Redfish.AllowableValues, undefined if the service does not say. */
  resetTypes: string[] | undefined;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}...` : s;
}

function bad(where: string, what: string, got: unknown): never {
  throw new DeployTwinError(ErrorCodes.REDFISH_BAD_RESPONSE, `${where}: ${what}, got ${show(got)}`, 'fatal');
}

function stringList(v: unknown, where: string, path: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) bad(where, `${path} must be a list of strings`, v);
  return v as string[];
}

/** The @odata.id of every member of a resource collection. */
export function parseMembers(body: unknown, where: string): string[] {
  if (!isObject(body)) bad(where, 'expected a resource collection (a JSON object)', body);
  const members = body.Members;
  if (!Array.isArray(members)) bad(where, 'Members must be a list', members);
  return members.map((m, i) => {
    if (!isObject(m) || typeof m['@odata.id'] !== 'string' || !m['@odata.id'].startsWith('/')) bad(where, `Members[${i}] must be {"@odata.id": "/..."}`, m);
    return m['@odata.id'] as string;
  });
}

/** The parts of a ComputerSystem the client uses. */
export function parseSystem(body: unknown, where: string): RedfishSystem {
  if (!isObject(body)) bad(where, 'expected a ComputerSystem (a JSON object)', body);
  const powerState = body.PowerState;
  if (typeof powerState !== 'string' || !(POWER_STATES as readonly string[]).includes(powerState)) {
    bad(where, `PowerState must be one of ${POWER_STATES.join(', ')}`, powerState);
  }
  let resetTarget: string | undefined;
  let resetTypes: string[] | undefined;
  if (body.Actions !== undefined) {
    if (!isObject(body.Actions)) bad(where, 'Actions must be an object', body.Actions);
    const reset = body.Actions['#ComputerSystem.Reset'];
    if (reset !== undefined) {
      if (!isObject(reset) || typeof reset.target !== 'string') bad(where, 'Actions["#ComputerSystem.Reset"].target must be a URI', reset);
      resetTarget = reset.target as string;
      resetTypes = stringList(reset['ResetType@Redfish.AllowableValues'], where, 'ResetType@Redfish.AllowableValues');
    }
  }
  return { powerState: powerState as RedfishPowerState, resetTarget, resetTypes };
}

/**
 * What a Redfish error body says: error.message and every @Message.ExtendedInfo[].Message (with
 * its MessageId), as text lines. Tolerant: anything else gives no lines.
 */
export function extendedInfo(body: unknown): string[] {
  if (!isObject(body) || !isObject(body.error)) return [];
  const error = body.error;
  const lines: string[] = [];
  const info = error['@Message.ExtendedInfo'];
  if (Array.isArray(info)) {
    for (const m of info) {
      if (!isObject(m)) continue;
      const text = typeof m.Message === 'string' ? m.Message : undefined;
      const id = typeof m.MessageId === 'string' ? m.MessageId : undefined;
      if (text || id) lines.push(id && text ? `${text} (${id})` : (text ?? id)!);
    }
  }
  if (lines.length === 0 && typeof error.message === 'string') lines.push(error.message);
  return lines;
}
