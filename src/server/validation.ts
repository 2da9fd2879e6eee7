/**
 * Route schema validation with two Ajv instances of our own instead of fastify's default one,
 * which coerces types and silently drops unknown keys everywhere: request bodies are validated
 * strictly (no coercion, unknown keys rejected by the schemas' additionalProperties: false, no
 * defaults), while the query string and URL parameters, which are always text, are coerced to
 * the schema's types ("?speed=10" -> 10).
 */
import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';

export function installValidators(app: FastifyInstance): void {
  const strict = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: true });
  const coercing = new Ajv({ allErrors: false, coerceTypes: true, removeAdditional: false, useDefaults: false, strict: true });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
