/**
 * The JSON the twin's Redfish endpoint serves, in the shape of the DMTF schemas (ServiceRoot,
 * ComputerSystemCollection, ComputerSystem, SessionService, Session) and of Redfish error
 * responses (an `error` object with `code`, `message` and `@Message.ExtendedInfo`, message ids
 * from the Base message registry). Only what a deployment tool reads is there.
 */
import type { BootDevice, PowerState } from '../../models/bmc-params.ts';

export const ROOT = '/redfish/v1';
export const SYSTEMS = `${ROOT}/Systems`;
export const SESSIONS = `${ROOT}/SessionService/Sessions`;
export const RESET_TYPES = ['On', 'ForceOff', 'GracefulShutdown', 'ForceRestart', 'PowerCycle'] as const;
export type ResetType = (typeof RESET_TYPES)[number];
export const BOOT_TARGETS = ['Pxe', 'Hdd'] as const;
export const BOOT_ENABLED = ['Once', 'Continuous'] as const;

const REGISTRY = 'Base.1.16';

export function serviceRoot(uuid: string) {
  return {
    '@odata.id': `${ROOT}/`,
    '@odata.type': '#ServiceRoot.v1_16_0.ServiceRoot',
    Id: 'RootService',
    Name: 'deploytwin Redfish service (BMC model)',
    RedfishVersion: '1.18.0',
    UUID: uuid,
    Systems: { '@odata.id': SYSTEMS },
    SessionService: { '@odata.id': `${ROOT}/SessionService` },
    Links: { Sessions: { '@odata.id': SESSIONS } },
  };
}

export function collection(type: string, name: string, id: string, members: string[]) {
  return {
    '@odata.id': id,
    '@odata.type': `#${type}.${type}`,
    Name: name,
    'Members@odata.count': members.length,
    Members: members.map((m) => ({ '@odata.id': m })),
  };
}

export function sessionService() {
  return {
    '@odata.id': `${ROOT}/SessionService`,
    '@odata.type': '#SessionService.v1_1_9.SessionService',
    Id: 'SessionService',
    Name: 'Session Service',
    ServiceEnabled: true,
    SessionTimeout: 1800,
    Sessions: { '@odata.id': SESSIONS },
  };
}

export function session(id: string, user: string) {
  return { '@odata.id': `${SESSIONS}/${id}`, '@odata.type': '#Session.v1_7_0.Session', Id: id, Name: `Session ${id}`, UserName: user };
}

export function computerSystem(id: string, power: PowerState, boot: { device: BootDevice; persistent: boolean }, bootTargets: readonly string[]) {
  const uri = `${SYSTEMS}/${id}`;
  return {
    '@odata.id': uri,
    '@odata.type': '#ComputerSystem.v1_22_0.ComputerSystem',
    Id: id,
    Name: `System ${id}`,
    SystemType: 'Physical',
    PowerState: power === 'on' ? 'On' : 'Off',
    Boot: {
      BootSourceOverrideTarget: boot.device === 'pxe' ? 'Pxe' : 'Hdd',
      'BootSourceOverrideTarget@Redfish.AllowableValues': bootTargets,
      BootSourceOverrideEnabled: boot.persistent ? 'Continuous' : 'Once',
      'BootSourceOverrideEnabled@Redfish.AllowableValues': BOOT_ENABLED,
    },
    Actions: {
      '#ComputerSystem.Reset': { target: `${uri}/Actions/ComputerSystem.Reset`, 'ResetType@Redfish.AllowableValues': RESET_TYPES },
    },
  };
}

/** A Redfish error response body; `messageId` is a Base registry message (e.g. "ResourceNotFound"). */
export function redfishError(messageId: string, message: string, resolution = 'None.') {
  const id = `${REGISTRY}.${messageId}`;
  return {
    error: {
      code: id,
      message,
      '@Message.ExtendedInfo': [{ '@odata.type': '#Message.v1_1_2.Message', MessageId: id, Message: message, MessageSeverity: 'Warning', Resolution: resolution }],
    },
  };
}
