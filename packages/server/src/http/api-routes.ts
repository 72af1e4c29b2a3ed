import type { FastifyInstance } from 'fastify';
import { BoardService } from '../api/board-service.ts';
import { type QueryService, traceViewOf } from '../api/query-service.ts';
import { ServerTiming } from '../api/server-timing.ts';
import type { EventLoopMonitor } from '../event-loop-monitor.ts';
import type { QueryOptions, Storage } from '../storage/storage.ts';
import { errorBody, toHttpError } from './http-errors.ts';
import { useJsonBodyParser } from './json-body-parser.ts';
import { type QueryTimeouts, readOptionsOf } from './read-options.ts';

/** The ports this server listens on, for clients to name in hints (null: not listening, or gRPC is off). */
export interface ListeningPorts {
  http: number | null;
  grpc: number | null;
}

export interface ApiRoutesOptions {
  queries: QueryService;
  storage: Storage;
  version: string;
  startedAt: Date;
  eventLoop: EventLoopMonitor;
  ports: () => ListeningPorts;
  /** the default and the largest time limit of a request's store reads (`?timeout_ms=`) */
  timeouts: QueryTimeouts;
  onError?: (error: unknown) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the request's phases, sent back as the Server-Timing header */
    timing: ServerTiming | null;
    /** the limits of the request's store reads: its time limit, and cancel when its client goes away */
    read: QueryOptions | undefined;
  }
}

/** The JSON API. Every error is `{ error: { code, message, details } }` with a stable code. */
export async function apiRoutes(app: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  const { queries } = options;
  const boards = new BoardService(options.storage);
  useJsonBodyParser(app);
  app.setErrorHandler((thrown, _request, reply) => {
    const { status, error } = toHttpError(thrown);
    if (status >= 500) options.onError?.(thrown);
    reply.code(status).send(errorBody(error));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(notFound(request.url)));
  });
  // every API answer says where its time went (Server-Timing: the store reads, then the total)
  app.decorateRequest('timing', null);
  app.decorateRequest('read', undefined);
  app.addHook('onRequest', async (request, reply) => {
    request.timing = new ServerTiming();
    request.read = readOptionsOf(request, reply, options.timeouts);
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.timing) reply.header('server-timing', request.timing.header());
  });
  app.post('/api/query', async (request) => {
    const showSql = (request.query as Record<string, string>).show_sql === 'true';
    return queries.query(request.body, { showSql, timing: request.timing ?? undefined, read: request.read });
  });
  app.post('/api/traces/search', async (request) => queries.searchTraces(request.body, request.read));
  app.get('/api/traces/:traceId', async (request, reply) => {
    const traceId = (request.params as { traceId: string }).traceId;
    const view = traceViewOf((request.query as Record<string, unknown>).view);
    // built as JSON text by DuckDB: sent as it is
    return reply
      .type('application/json; charset=utf-8')
      .send(await queries.traceJson(traceId, view, request.timing ?? undefined, request.read));
  });
  app.get('/api/traces/:traceId/spans/:spanId', async (request) => {
    const { traceId, spanId } = request.params as { traceId: string; spanId: string };
    return queries.span(traceId, spanId, request.read);
  });
  app.get('/api/conversations', async (request) => queries.conversations(request.query, request.read));
  // the router has decoded the id once already: decoding it again broke ids holding `%`
  app.get('/api/conversations/:id', async (request) =>
    queries.conversation((request.params as { id: string }).id, request.timing ?? undefined, request.read),
  );
  app.get('/api/boards', async () => boards.list());
  app.post('/api/boards', async (request, reply) => {
    reply.code(201);
    return boards.create(request.body);
  });
  app.get('/api/boards/:id', async (request) => boards.get((request.params as { id: string }).id));
  app.put('/api/boards/:id', async (request) =>
    boards.update((request.params as { id: string }).id, request.body),
  );
  app.delete('/api/boards/:id', async (request, reply) => {
    await boards.remove((request.params as { id: string }).id);
    reply.code(204).send();
  });
  app.post('/api/boards/:id/panels', async (request, reply) => {
    const board = await boards.addPanel((request.params as { id: string }).id, request.body);
    reply.code(201);
    return board;
  });
  app.get('/api/datasets', async (request) => queries.datasets(request.read));
  app.get('/api/health', async (request) => {
    const maxStallMs = options.eventLoop.maxStallMs();
    if ((request.query as Record<string, string>).reset_stalls === 'true') options.eventLoop.reset();
    return {
      status: 'ok',
      version: options.version,
      startedAt: options.startedAt.toISOString(),
      storage: options.storage.stats(),
      eventLoop: { maxStallMs },
      ports: options.ports(),
    };
  });
}

function notFound(url: string): import('@loopline/model').AppError {
  return toHttpError(
    Object.assign(new Error(`no route for ${url}; see GET /api/health, POST /api/query`), {
      statusCode: 404,
    }),
  ).error;
}
