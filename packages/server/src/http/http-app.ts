import Fastify, { type FastifyInstance } from 'fastify';
import type { QueryService } from '../api/query-service.ts';
import type { EventLoopMonitor } from '../event-loop-monitor.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { Storage } from '../storage/storage.ts';
import { apiRoutes } from './api-routes.ts';
import { otlpHttpRoutes } from './otlp-http-routes.ts';

export interface HttpAppOptions {
  ingest: IngestService;
  queries: QueryService;
  storage: Storage;
  maxBodyBytes: number;
  version: string;
  eventLoop: EventLoopMonitor;
  logger?: boolean;
  onError?: (error: unknown) => void;
}

/** One HTTP port: OTLP/HTTP under /v1, the JSON API under /api (and the UI at / later). */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.maxBodyBytes });
  await app.register(otlpHttpRoutes, {
    ingest: options.ingest,
    maxBodyBytes: options.maxBodyBytes,
    onError: options.onError,
  });
  await app.register(apiRoutes, {
    queries: options.queries,
    storage: options.storage,
    version: options.version,
    startedAt: new Date(),
    eventLoop: options.eventLoop,
    onError: options.onError,
  });
  app.get('/', async (_request, reply) => {
    reply
      .type('text/plain')
      .send(
        [
          `Loopline ${options.version}`,
          'OTLP/HTTP: POST /v1/traces, /v1/logs, /v1/metrics (protobuf or JSON, gzip ok); OTLP/gRPC on port 4317',
          'API: POST /api/query, GET /api/traces/:traceId, GET /api/conversations/:id, GET /api/datasets, GET /api/health',
          'The web UI arrives in a later release.',
        ].join('\n'),
      );
  });
  return app;
}
