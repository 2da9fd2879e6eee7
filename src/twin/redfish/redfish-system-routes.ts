/**
 * The ComputerSystem routes of the twin's Redfish endpoint: GET (PowerState and Boot, as the BMC
 * answers them), PATCH Boot, and POST ComputerSystem.Reset. Each is one BMC model command; bad
 * bodies get 400 with the Base registry's message, unknown systems 404.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BmcModel } from '../../models/bmc.ts';
import type { NO_ANSWER } from './redfish-endpoint.ts';
import { BOOT_ENABLED, computerSystem, redfishError, RESET_TYPES, SYSTEMS, type ResetType } from './redfish-resources.ts';

export interface SystemRoutesContext {
  bmcs: ReadonlyMap<string, BmcModel>;
  command: <T>(reply: FastifyReply, act: () => Promise<T>) => Promise<T | typeof NO_ANSWER>;
  bootTargets: readonly string[];
}

type Params = { Params: { id: string } };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function badRequest(reply: FastifyReply, messageId: string, message: string) {
  return reply.code(400).send(redfishError(messageId, message, 'Correct the request body and resubmit the request if the operation failed.'));
}

export function registerSystemRoutes(app: FastifyInstance, ctx: SystemRoutesContext): void {
  const { bmcs, command, bootTargets } = ctx;

  app.get<Params>(`${SYSTEMS}/:id`, async (request, reply) => {
    const bmc = bmcs.get(request.params.id);
    if (bmc === undefined) return reply.callNotFound();
    // One command: the BMC answers with its boot settings and, at that instant, its power state.
    const answer = await command(reply, async () => ({ boot: await bmc.getBootDevice(), power: bmc.power }));
    if (typeof answer === 'symbol') return reply;
    return computerSystem(request.params.id, answer.power, answer.boot, bootTargets);
  });

  app.patch<Params>(`${SYSTEMS}/:id`, async (request, reply) => {
    const bmc = bmcs.get(request.params.id);
    if (bmc === undefined) return reply.callNotFound();
    const body = request.body;
    if (!isObject(body)) return badRequest(reply, 'MalformedJSON', 'The request body submitted was malformed JSON and could not be parsed by the receiving service.');
    for (const key of Object.keys(body)) {
      if (key !== 'Boot') return badRequest(reply, 'PropertyUnknown', `The property ${key} is not in the list of valid properties for the resource.`);
    }
    const boot = body.Boot;
    if (!isObject(boot)) return badRequest(reply, 'PropertyValueTypeError', `The value ${JSON.stringify(boot)} for the property Boot is not a type that the property can accept.`);
    const target = boot.BootSourceOverrideTarget;
    const enabled = boot.BootSourceOverrideEnabled ?? 'Once';
    if (target === undefined) return badRequest(reply, 'PropertyMissing', 'The property BootSourceOverrideTarget is a required property and must be included in the request.');
    if (typeof target !== 'string' || !bootTargets.includes(target)) {
      return badRequest(reply, 'PropertyValueNotInList', `The value ${JSON.stringify(target)} for the property BootSourceOverrideTarget is not in the list of acceptable values (${bootTargets.join(', ')}).`);
    }
    if (typeof enabled !== 'string' || !(BOOT_ENABLED as readonly string[]).includes(enabled)) {
      return badRequest(reply, 'PropertyValueNotInList', `The value ${JSON.stringify(enabled)} for the property BootSourceOverrideEnabled is not in the list of acceptable values (${BOOT_ENABLED.join(', ')}).`);
    }
    const answer = await command(reply, () => bmc.setBootDevice(target === 'Pxe' ? 'pxe' : 'disk', enabled === 'Continuous'));
    return answer === undefined ? reply.code(204).send() : reply;
  });

  app.post<Params>(`${SYSTEMS}/:id/Actions/ComputerSystem.Reset`, async (request, reply) => {
    const bmc = bmcs.get(request.params.id);
    if (bmc === undefined) return reply.callNotFound();
    const resetType = isObject(request.body) ? request.body.ResetType : undefined;
    if (resetType === undefined) {
      return badRequest(reply, 'ActionParameterMissing', 'The action ComputerSystem.Reset requires the parameter ResetType to be present in the request body.');
    }
    if (typeof resetType !== 'string' || !(RESET_TYPES as readonly string[]).includes(resetType)) {
      return badRequest(reply, 'ActionParameterValueNotInList', `The value ${JSON.stringify(resetType)} for the parameter ResetType in the action ComputerSystem.Reset is not in the list of acceptable values (${RESET_TYPES.join(', ')}).`);
    }
    const act: Record<ResetType, () => Promise<void>> = {
      On: () => bmc.powerOn(),
      ForceOff: () => bmc.powerOff(),
      GracefulShutdown: () => bmc.softOff(),
      ForceRestart: () => bmc.powerCycle(),
      PowerCycle: () => bmc.powerCycle(),
    };
    const answer = await command(reply, act[resetType as ResetType]);
    return answer === undefined ? reply.code(204).send() : reply;
  });
}
