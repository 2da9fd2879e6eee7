/**
 * GET /api/runs/:id/events: a run's events (run-events.ts).
 *
 * Over WebSocket (read-only, so no token):
 * - live (no ?speed): the events so far, then each batch as the simulation worker produces it,
 *   then an "end" message once the run ends; a run that has ended is sent whole, then "end";
 * - replay (?speed=S, S > 0, an ended run only): the recorded events paced at S simulated
 *   seconds per wall-clock second (?speed=10 plays a 831 s deployment in 83 s), then "end".
 * Messages are StreamMessage JSON objects; the server closes the socket (1000) after "end".
 *
 * Over plain HTTP it answers the events recorded so far: {"events": [...]}.
 */
import type { FastifyInstance } from 'fastify';
import { DeployTwinError, ErrorCodes } from '../errors.ts';
import { findRun, idParams as params } from './api-routes.ts';
import { jsonWithArray } from './json-stream.ts';
import { MAX_BATCH, replay } from './replay.ts';
import type { RunEvent, StreamMessage } from './run-events.ts';
import type { RunRegistry } from './run-registry.ts';
import { SocketQueue } from './socket-queue.ts';


const query = {
  type: 'object',
  properties: { speed: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 } },
  additionalProperties: false,
} as const;

function sendBatches(queue: SocketQueue, events: readonly RunEvent[]): void {
  for (let i = 0; i < events.length; i += MAX_BATCH) queue.send({ type: 'events', events: events.slice(i, i + MAX_BATCH) } satisfies StreamMessage);
}

export function registerStreamRoute(app: FastifyInstance, registry: RunRegistry): void {
  app.route({
    method: 'GET',
    url: '/api/runs/:id/events',
    schema: { params, querystring: query },
    // Checked before the upgrade, so an unknown run or a replay of a running run is a plain 4xx.
    preHandler: async (req) => {
      const run = findRun(registry, (req.params as { id: string }).id);
      const { speed } = req.query as { speed?: number };
      if (speed !== undefined && run.state === 'running') {
        throw new DeployTwinError(ErrorCodes.SERVER_RUN_NOT_FINISHED, `run ${run.id} is still running: watch it live (no ?speed) or replay it once it has ended`, 'usage');
      }
    },
    // Plain HTTP: the events so far, as {"events": [...]} (streamed: a big run's are tens of MB).
    handler: async (req, reply) => {
      const { events } = findRun(registry, (req.params as { id: string }).id);
      return reply.type('application/json; charset=utf-8').send(jsonWithArray({}, 'events', events.length, (i) => events[i]));
    },
    wsHandler: (socket, req) => {
      const run = findRun(registry, (req.params as { id: string }).id);
      const { speed } = req.query as { speed?: number };
      const queue = new SocketQueue(socket);
      const send = (message: StreamMessage) => queue.send(message);
      const finish = () => {
        send({ type: 'end', run: run.info() });
        queue.close();
      };
      if (speed !== undefined) {
        send({ type: 'hello', run: run.info(), mode: 'replay', speed });
        const cancel = replay(run.events, speed, { events: (batch) => send({ type: 'events', events: batch }), end: finish });
        socket.on('close', cancel);
        return;
      }
      send({ type: 'hello', run: run.info(), mode: 'live', speed: null });
      // Snapshot and subscription in the same turn of the event loop: no batch is missed or sent twice.
      sendBatches(queue, run.events);
      if (run.state !== 'running') return finish();
      const unsubscribe = run.subscribe({ events: (batch) => sendBatches(queue, batch), end: finish });
      socket.on('close', unsubscribe);
    },
  });
}
