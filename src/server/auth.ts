/**
 * The dashboard server's one secret. Reading is open (the server listens on 127.0.0.1 by
 * default); every request that starts, stops or changes a run, that is every route that is not
 * GET or HEAD, must carry "Authorization: Bearer <token>". The token is generated with the
 * system CSPRNG at start and printed, or given (--token, DEPLOYTWIN_TOKEN).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ErrorCodes, UsageError } from '../errors.ts';
import { MIN_TOKEN_LENGTH, newDeploymentToken, tokenMatches } from '../real/events/token.ts';
import { sendError } from './http-errors.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The token to use: `given` if any (checked), else a fresh random one (32 base64url characters). */
export function serverToken(given: string | undefined): string {
  if (given === undefined) return newDeploymentToken();
  if (given.length < MIN_TOKEN_LENGTH || !TOKEN_PATTERN.test(given)) {
    throw new UsageError(ErrorCodes.SERVER_WEAK_TOKEN, `the server token must be at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 _ - (got ${given.length} characters)`);
  }
  return given;
}

/** Methods that only read. */
export function isReadOnly(method: RouteOptions['method']): boolean {
  const methods = Array.isArray(method) ? method : [method];
  return methods.every((m) => m === 'GET' || m === 'HEAD');
}

/**
 * Adds the token check, as the first onRequest hook (before body parsing and validation: an
 * unauthenticated request learns nothing about what a valid body is), to every route that is
 * not read-only, including routes registered later. Call before registering routes.
 */
export function requireTokenForControl(app: FastifyInstance, token: string): void {
  const check = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (tokenMatches(given, token)) return;
    reply.header('www-authenticate', 'Bearer realm="deploytwin"');
    const why = given === undefined ? 'this request changes a run: send "Authorization: Bearer <token>" (printed by deploytwin serve)' : 'wrong token';
    return sendError(reply, 401, ErrorCodes.SERVER_UNAUTHORIZED, why);
  };
  app.addHook('onRoute', (route) => {
    if (isReadOnly(route.method)) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [check, ...existing];
  });
}
