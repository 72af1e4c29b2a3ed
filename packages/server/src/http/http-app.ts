import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { QueryService } from '../api/query-service.ts';
import type { EventLoopMonitor } from '../event-loop-monitor.ts';
import type { ByteBudget } from '../ingest/byte-budget.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { ServerLimits } from '../server-limits.ts';
import type { Storage } from '../storage/storage.ts';
import { apiRoutes, type ListeningPorts } from './api-routes.ts';
import { bodyGuard } from './body-guard.ts';
import { connectionOptions } from './connection-limits.ts';
import { hostGuard } from './host-guard.ts';
import { errorBody, toHttpError } from './http-errors.ts';
import { otlpHttpRoutes } from './otlp-http-routes.ts';
import { webUiRoutes } from './web-ui.ts';

export interface HttpAppOptions {
  ingest: IngestService;
  queries: QueryService;
  storage: Storage;
  maxBodyBytes: number;
  version: string;
  eventLoop: EventLoopMonitor;
  /** the ports listened on, as GET /api/health reports them */
  ports: () => ListeningPorts;
  limits: ServerLimits;
  /** request bytes being received, shared with gRPC */
  budget: ByteBudget;
  /** the address listened on, and more names the API and UI answer to */
  host: string;
  allowedHosts: readonly string[];
  /** the built web UI folder, served at / */
  webRoot?: string;
  logger?: boolean;
  onError?: (error: unknown) => void;
}

/** One HTTP port: OTLP/HTTP under /v1, the JSON API under /api and the built web UI at /. */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const { limits } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.maxBodyBytes,
    ...connectionOptions(limits),
    // ids in paths are the senders' own (a conversation id may be long); the request line bounds them
    routerOptions: { maxParamLength: 16_384 },
    // a path the router cannot decode (`%ff`) gets the API's error body, like every other failure
    frameworkErrors: (thrown, _request, reply) => {
      const { status, error } = toHttpError(thrown);
      if (status >= 500) options.onError?.(thrown);
      (reply as FastifyReply).code(status).send(errorBody(error));
    },
  });
  // past this many open connections a new one is closed at once (`drop`)
  app.server.maxConnections = limits.maxConnections;
  app.addHook('onRequest', hostGuard({ host: options.host, allowedHosts: options.allowedHosts }));
  app.addHook('preParsing', bodyGuard({ budget: options.budget, ...limits }));
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
    ports: options.ports,
    timeouts: limits,
    onError: options.onError,
  });
  await app.register(webUiRoutes, { root: options.webRoot, version: options.version });
  return app;
}
