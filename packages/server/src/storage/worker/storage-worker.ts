/**
 * The storage thread: owns DuckDB, so appends, flushes and checkpoints never stall the thread that
 * serves HTTP and gRPC. Append requests that arrive together are committed together, then each is acked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '@loopline/model';
import { messageChain } from '../../error-text.ts';
import { DuckDbStorage } from '../duckdb/duckdb-storage.ts';
import type { WorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('storage-worker must run in a worker thread');
const data = workerData as WorkerData;
const COMMIT_ROWS = 16_000;
/** appends arriving within this long of the last commit's end count as a stream worth grouping */
const STREAMING_WINDOW_MS = 50;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function send(message: WorkerResponse): void {
  port?.postMessage(message);
}

function failure(id: number, error: unknown): WorkerResponse {
  if (isAppError(error)) {
    const cause = error.cause instanceof Error ? error.cause : undefined;
    return {
      id,
      ok: false,
      code: error.code,
      message: error.message,
      details: error.details,
      ...(cause ? { cause: { message: cause.message, stack: cause.stack } } : {}),
    };
  }
  return {
    id,
    ok: false,
    code: 'STORAGE_FAILED',
    message: 'the storage thread failed',
    cause: wrapped(error),
  };
}

/** An engine error as it crosses to the main thread (the stack is the worker's, for the log). */
function wrapped(error: unknown): { message: string; stack?: string } {
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}

async function main(): Promise<void> {
  let storage: DuckDbStorage;
  try {
    storage = await DuckDbStorage.open(data.storage);
  } catch (error) {
    send({ type: 'open-failed', message: (error as Error).message });
    return;
  }
  let queued: Extract<WorkerRequest, { type: 'append' }>[] = [];
  let draining = false;
  let dirty = false;

  // Group commit: a commit costs about the same for 1,000 rows as for 16,000, so while appends stream in
  // (the last commit ended moments ago) and fewer than COMMIT_ROWS are waiting, linger briefly for more
  // before committing (bench:ingest shows the effect). A request to an idle store commits at once: a
  // hook's lone POST waits for nothing (bench:hook, Stop).
  let lastCommitEnd = Number.NEGATIVE_INFINITY;
  const streaming = (): boolean => performance.now() - lastCommitEnd < STREAMING_WINDOW_MS;
  const queuedRows = (): number =>
    queued.reduce((sum, request) => sum + request.batches.reduce((n, batch) => n + batch.rowCount, 0), 0);
  const drain = async (): Promise<void> => {
    draining = true;
    while (queued.length > 0) {
      if (streaming() && queuedRows() < COMMIT_ROWS) await sleep(data.commitLingerMs);
      const batch = queued;
      queued = [];
      try {
        await storage.append(batch.flatMap((request) => request.batches));
        dirty = true;
        for (const request of batch) send({ id: request.id, ok: true });
      } catch (error) {
        for (const request of batch) send(failure(request.id, error));
      }
      lastCommitEnd = performance.now();
    }
    draining = false;
  };

  // queries and checkpoints in flight: closing DuckDB under a running statement can block for good, so
  // `close` first lets the appends drain and these settle
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  let closing = false;

  const sendStats = (): void => send({ type: 'stats', stats: storage.stats() });
  // a failed checkpoint is logged and counted (GET /api/health), and tried again at the next tick: the
  // WAL keeps growing until one succeeds, and past `checkpoint_threshold` DuckDB would checkpoint inside
  // a commit
  const timer = setInterval(() => {
    if (!dirty || closing) return;
    dirty = false;
    track(storage.checkpoint())
      .catch((error: unknown) => {
        dirty = true;
        send({ type: 'log', line: messageChain(error) });
      })
      .finally(sendStats);
  }, data.checkpointIntervalMs);

  // queries in flight by request id, so a client that went away can stop its own
  const running = new Map<number, AbortController>();

  const close = async (): Promise<void> => {
    closing = true;
    clearInterval(timer);
    while (draining || queued.length > 0) await sleep(5);
    await Promise.allSettled([...inFlight]);
    await storage.checkpoint().catch(() => undefined);
    await storage.close();
  };

  port?.on('message', (request: WorkerRequest) => {
    if (request.type === 'append') {
      queued.push(request);
      if (!draining) void drain();
      return;
    }
    if (request.type === 'cancel') {
      running.get(request.query)?.abort();
      return;
    }
    void handle(request);
  });
  send({ type: 'ready' });

  async function handle(request: WorkerRequest): Promise<void> {
    try {
      if (request.type === 'query') {
        const controller = new AbortController();
        running.set(request.id, controller);
        const rows = await track(
          storage.query(request.sql, request.params, {
            signal: controller.signal,
            timeoutMs: request.timeoutMs,
            limitMs: request.limitMs,
          }),
        ).finally(() => running.delete(request.id));
        send({ id: request.id, ok: true, rows });
      } else if (request.type === 'checkpoint') {
        await track(storage.checkpoint());
        send({ id: request.id, ok: true });
      } else if (request.type === 'close') {
        await close();
        send({ id: request.id, ok: true });
        port?.close();
      }
    } catch (error) {
      send(failure(request.id, error));
      if (request.type === 'query') sendStats();
    }
  }
}

void main();
