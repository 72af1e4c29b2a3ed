import type { FastifyInstance } from 'fastify';
import type { QueryService } from '../api/query-service.ts';
import type { EventLoopMonitor } from '../event-loop-monitor.ts';
import type { Storage } from '../storage/storage.ts';
import { errorBody, toHttpError } from './http-errors.ts';

export interface ApiRoutesOptions {
  queries: QueryService;
  storage: Storage;
  version: string;
  startedAt: Date;
  eventLoop: EventLoopMonitor;
  onError?: (error: unknown) => void;
}

/** The JSON API. Every error is `{ error: { code, message, details } }` with a stable code. */
export async function apiRoutes(app: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  const { queries } = options;
  app.setErrorHandler((thrown, _request, reply) => {
    const { status, error } = toHttpError(thrown);
    if (status >= 500) options.onError?.(thrown);
    reply.code(status).send(errorBody(error));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(notFound(request.url)));
  });
  app.post('/api/query', async (request) => {
    const showSql = (request.query as Record<string, string>).show_sql === 'true';
    return queries.query(request.body, { showSql });
  });
  app.get('/api/traces/:traceId', async (request) =>
    queries.trace((request.params as { traceId: string }).traceId),
  );
  app.get('/api/conversations/:id', async (request) =>
    queries.conversation(decodeURIComponent((request.params as { id: string }).id)),
  );
  app.get('/api/datasets', async () => queries.datasets());
  app.get('/api/health', async (request) => {
    const maxStallMs = options.eventLoop.maxStallMs();
    if ((request.query as Record<string, string>).reset_stalls === 'true') options.eventLoop.reset();
    return {
      status: 'ok',
      version: options.version,
      startedAt: options.startedAt.toISOString(),
      storage: options.storage.stats(),
      eventLoop: { maxStallMs },
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
