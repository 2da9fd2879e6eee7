/**
 * How the dashboard server answers what it cannot do: a 4xx (or 5xx) with a JSON body
 * {error: {code, message}}, code from the ErrorCodes catalogue. Validation failures of the route
 * schemas, unknown routes, bodies that are too large or of the wrong type, and DeployTwinErrors
 * thrown by handlers all end here.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { DeployTwinError, ErrorCodes } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } } satisfies ErrorBody);
}

/** HTTP status of a DeployTwinError thrown by a handler. */
function statusOf(e: DeployTwinError): number {
  if (e.code === ErrorCodes.SERVER_BUSY) return 429;
  if (e.code === ErrorCodes.SERVER_UNAUTHORIZED) return 401;
  if (e.code === ErrorCodes.SERVER_NOT_FOUND) return 404;
  if (e.code === ErrorCodes.SERVER_RUN_NOT_FINISHED) return 409;
  if (e.code === ErrorCodes.SERVER_REAL_RUN_READ_ONLY) return 409;
  if (e.code === ErrorCodes.SERVER_BAD_SWEEP) return 422;
  return e.kind === 'usage' ? 400 : 500;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DeployTwinError, req, reply) => {
    if (err instanceof DeployTwinError) return sendError(reply, statusOf(err), err.code, err.message);
    if (err.validation) return sendError(reply, 400, ErrorCodes.SERVER_BAD_REQUEST, `${req.method} ${req.routeOptions.url}: ${err.message}`);
    const status = err.statusCode ?? 500;
    if (status < 500) return sendError(reply, status, ErrorCodes.SERVER_BAD_REQUEST, err.message);
    req.log.error(err);
    return sendError(reply, 500, ErrorCodes.SERVER_RUN_FAILED, `internal error: ${err.message}`);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, ErrorCodes.SERVER_NOT_FOUND, `no such endpoint or file: ${req.method} ${req.url.split('?')[0]}`));
}
