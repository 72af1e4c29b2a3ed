import fs from 'node:fs';
import {
  AppError,
  bundledPriceTable,
  loadPriceTable,
  mergePriceTables,
  type PriceTable,
} from '@loopline/model';
import { QueryService } from './api/query-service.ts';
import { errorText, messageChain } from './error-text.ts';
import { monitorEventLoop } from './event-loop-monitor.ts';
import { startOtlpGrpcServer } from './grpc/otlp-grpc-server.ts';
import type { ListeningPorts } from './http/api-routes.ts';
import { createHttpApp } from './http/http-app.ts';
import { ByteBudget } from './ingest/byte-budget.ts';
import { IngestService } from './ingest/ingest-service.ts';
import { DEFAULT_MAX_BODY_BYTES } from './ingest/request-body.ts';
import { defaultStoreMemoryLimit, resolveLimits, type ServerLimits } from './server-limits.ts';
import { DuckDbStorage } from './storage/duckdb/duckdb-storage.ts';
import type { Storage } from './storage/storage.ts';
import { WorkerStorage } from './storage/worker/worker-storage.ts';

export interface ServerOptions {
  /** folder for the DuckDB file; ':memory:' for a throwaway store */
  dataDir: string;
  host?: string;
  /** OTLP/HTTP + API + UI; default 4318; 0 picks a free port */
  httpPort?: number;
  /** OTLP/gRPC; default 4317; 0 picks a free port; null turns gRPC off */
  grpcPort?: number | null;
  /** the storage thread's script; without it storage runs on the main thread (tests, tools) */
  storageWorkerUrl?: URL;
  /** a JSON price table merged over the bundled one */
  pricesFile?: string;
  /** keep prompt and response bodies (off by default: they are dropped before storage) */
  captureContent?: boolean;
  maxBodyBytes?: number;
  /** refuse new data (503 + Retry-After) when this many rows wait for the store */
  maxPendingRows?: number;
  checkpointIntervalMs?: number;
  /** DuckDB's memory limit (e.g. '1GiB'); default 40 % of the machine's or container's memory */
  memoryLimit?: string;
  /** reader connections: queries that run at once (default 3); more wait in line */
  readers?: number;
  /** the built web UI folder (index.html + assets/), served at / */
  webRoot?: string;
  /** memory, connection and time limits; each one missing takes its default (`resolveLimits`) */
  limits?: Partial<ServerLimits>;
  /** host names the API and UI answer to besides loopback, IP addresses and the machine's name */
  allowedHosts?: string[];
  version?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  httpUrl: string;
  httpPort: number;
  grpcPort: number | null;
  queries: QueryService;
  ingest: IngestService;
  storage: Storage;
  close(): Promise<void>;
}

export function loadPrices(file: string | undefined): PriceTable {
  const bundled = bundledPriceTable();
  if (!file) return bundled;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('PRICING_INVALID', `cannot read the price file ${file}: ${(error as Error).message}`);
  }
  return mergePriceTables(bundled, loadPriceTable(json));
}

async function openStorage(
  options: ServerOptions,
  limits: ServerLimits,
  log: (line: string) => void,
): Promise<{ storage: Storage; stopTimer: () => void }> {
  const interval = options.checkpointIntervalMs ?? 30_000;
  const settings = {
    dataDir: options.dataDir,
    memoryLimit: options.memoryLimit ?? defaultStoreMemoryLimit(),
    readers: options.readers,
    limits: { timeoutMs: limits.queryTimeoutMs },
  };
  if (options.storageWorkerUrl) {
    const storage = await WorkerStorage.open({
      workerUrl: options.storageWorkerUrl,
      storage: settings,
      checkpointIntervalMs: interval,
      log,
    });
    return { storage, stopTimer: () => undefined };
  }
  const storage = await DuckDbStorage.open(settings);
  const checkpoint = (): void =>
    void storage.checkpoint().catch((error: unknown) => log(messageChain(error)));
  const timer = setInterval(checkpoint, interval);
  timer.unref();
  return { storage, stopTimer: () => clearInterval(timer) };
}

/**
 * Rows of each table read back at start for the duplicate filter, newest first by row order, before the
 * ports open: 50k spans took 0.3–0.4 s on a store of 10M spans. A log record or metric point is keyed by
 * all its fields, so reading one costs more (50k logs 1.3 s, 50k points 1.0 s): 5k of each cover the
 * last requests of their senders (OTel exporters send up to 512 log records a request).
 */
const RECENT_ROWS_REMEMBERED_AT_START = { spans: 50_000, logs: 5_000, metrics: 5_000 };

/** Starts Loopline: the store, OTLP/HTTP + API on one port, OTLP/gRPC on another. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const version = options.version ?? '0.0.0';
  const log = options.log ?? (() => undefined);
  const prices = loadPrices(options.pricesFile);
  const limits = resolveLimits(options.limits);
  const { storage, stopTimer } = await openStorage(options, limits, log);
  const ingest = new IngestService({
    storage,
    prices,
    captureContent: options.captureContent ?? false,
    maxPendingRows: options.maxPendingRows ?? 250_000,
  });
  const queries = new QueryService({ storage, isSampled: () => ingest.hasSampledRows });
  if (await queries.detectSampled()) ingest.markSampled();
  // a sender whose request was stored just before a crash or stop resends it after the restart
  ingest.remember(await queries.recentRowKeys(RECENT_ROWS_REMEMBERED_AT_START));
  const budget = new ByteBudget(limits.maxInflightBytes);
  const onError = (error: unknown): void => log(`error: ${errorText(error)}`);
  const eventLoop = monitorEventLoop();
  const ports: ListeningPorts = { http: null, grpc: null };
  const app = await createHttpApp({
    ingest,
    queries,
    storage,
    maxBodyBytes,
    version,
    onError,
    eventLoop,
    ports: () => ({ ...ports }),
    webRoot: options.webRoot,
    limits,
    budget,
    host,
    allowedHosts: options.allowedHosts ?? [],
  });
  await app.listen({ host, port: options.httpPort ?? 4318 });
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : (options.httpPort ?? 4318);
  const grpc =
    options.grpcPort === null
      ? null
      : await startOtlpGrpcServer({
          ingest,
          host,
          port: options.grpcPort ?? 4317,
          maxBodyBytes,
          limits,
          budget,
          onError,
        });
  ports.http = httpPort;
  ports.grpc = grpc?.port ?? null;
  return {
    httpUrl: `http://${host}:${httpPort}`,
    httpPort,
    grpcPort: grpc?.port ?? null,
    queries,
    ingest,
    storage,
    close: async () => {
      await grpc?.close();
      await app.close();
      stopTimer();
      eventLoop.stop();
      await storage.close();
    },
  };
}
