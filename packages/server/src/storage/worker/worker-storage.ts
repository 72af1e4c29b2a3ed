import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '@loopline/model';
import { transferables } from '../column-batch.ts';
import type { DuckDbStorageOptions } from '../duckdb/duckdb-storage.ts';
import { cancelled, DEFAULT_READERS, timedOut } from '../read-limits.ts';
import type { ColumnBatch, QueryOptions, ResultRow, SqlParam, Storage, StorageStats } from '../storage.ts';
import type { WorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

interface Pending {
  resolve: (rows: ResultRow[]) => void;
  reject: (error: Error) => void;
  rows: number;
}

type Outgoing = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface WorkerStorageOptions {
  workerUrl: URL;
  storage: DuckDbStorageOptions;
  checkpointIntervalMs?: number;
  commitLingerMs?: number;
  /** lines for the server log (failed checkpoints) */
  log?: (line: string) => void;
}

/** A query the thread has not answered this long after its own time limit is given up on here. */
const WEDGED_GRACE_MS = 5_000;

/** The main-thread face of the storage thread: every call is a message; appends count as pending rows. */
export class WorkerStorage implements Storage {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private pendingRows = 0;
  private appendedRows = 0;
  private threadStats: StorageStats = { pendingRows: 0, appendedRows: 0 };
  /** queries sent and not yet answered (the thread's own counters arrive only now and then) */
  private queriesInFlight = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly log: (line: string) => void,
    private readonly readers: number,
  ) {
    worker.on('message', (message: WorkerResponse) => this.onMessage(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('storage thread exited')));
  }

  static open(options: WorkerStorageOptions): Promise<WorkerStorage> {
    const data: WorkerData = {
      storage: options.storage,
      checkpointIntervalMs: options.checkpointIntervalMs ?? 30_000,
      commitLingerMs: options.commitLingerMs ?? 5,
    };
    const worker = new Worker(options.workerUrl, { workerData: data });
    return new Promise((resolve, reject) => {
      const onReady = (message: WorkerResponse): void => {
        if ('type' in message && message.type === 'ready') {
          worker.off('message', onReady);
          resolve(
            new WorkerStorage(
              worker,
              options.log ?? (() => undefined),
              options.storage.readers ?? DEFAULT_READERS,
            ),
          );
        } else if ('type' in message && message.type === 'open-failed') {
          worker.off('message', onReady);
          void worker.terminate();
          reject(new AppError('STORAGE_FAILED', `cannot open the store: ${message.message}`));
        }
      };
      worker.on('message', onReady);
      worker.once('error', reject);
    });
  }

  private call(request: Outgoing, rows = 0, transfer: ArrayBuffer[] = []): Promise<ResultRow[]> {
    const id = this.nextId++;
    this.pendingRows += rows;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, rows });
      this.worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  private onMessage(message: WorkerResponse): void {
    if ('type' in message && message.type === 'log') this.log(message.line);
    if ('type' in message && message.type === 'stats') this.threadStats = message.stats;
    if (!('id' in message)) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    this.pendingRows -= pending.rows;
    if (message.ok) {
      this.appendedRows += pending.rows;
      pending.resolve(message.rows ?? []);
    } else {
      const cause = message.cause
        ? Object.assign(new Error(message.cause.message), message.cause)
        : undefined;
      pending.reject(
        new AppError(
          message.code as ErrorCode,
          message.message,
          message.details,
          cause ? { cause } : undefined,
        ),
      );
    }
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(
        new AppError('STORAGE_FAILED', 'the storage thread failed', undefined, { cause: error }),
      );
    }
    this.pendingRows = 0;
  }

  async append(batches: ColumnBatch[]): Promise<void> {
    const rows = batches.reduce((sum, batch) => sum + batch.rowCount, 0);
    await this.call({ type: 'append', batches }, rows, transferables(batches));
  }

  /**
   * A query on the storage thread, which enforces its time limit with the engine's interrupt. A client
   * that goes away stops it there too and is answered at once; a thread that has not answered well past
   * the limit is given up on here.
   */
  query(sql: string, params: readonly SqlParam[], options: QueryOptions = {}): Promise<ResultRow[]> {
    const { signal, timeoutMs, limitMs } = options;
    if (signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId;
    const answer = this.call({ type: 'query', sql, params: [...params], timeoutMs, limitMs });
    let onAbort: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        this.worker.postMessage({ type: 'cancel', id: 0, query: id } satisfies WorkerRequest);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => reject(timedOut(limitMs ?? timeoutMs)), timeoutMs + WEDGED_GRACE_MS);
        timer.unref();
      }
    });
    stopped.catch(() => undefined);
    this.queriesInFlight++;
    return Promise.race([answer, stopped]).finally(() => {
      this.queriesInFlight--;
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    });
  }

  async checkpoint(): Promise<void> {
    await this.call({ type: 'checkpoint' });
  }

  stats(): StorageStats {
    const reads = this.threadStats.reads ?? { readers: 0, timedOut: 0, cancelled: 0, refused: 0 };
    const readers = reads.readers || this.readers;
    return {
      ...this.threadStats,
      pendingRows: this.pendingRows,
      appendedRows: this.appendedRows,
      reads: {
        ...reads,
        readers,
        busy: Math.min(this.queriesInFlight, readers),
        waiting: Math.max(0, this.queriesInFlight - readers),
      },
    };
  }

  /**
   * Asks the thread to finish its work, checkpoint and close DuckDB; if that has not happened within
   * `timeoutMs` the thread is stopped anyway (every acknowledged append is already committed to the WAL).
   * The final checkpoint of a store of millions of rows took 4-9 s in tests; stopping the thread in the
   * middle of it ended the process with a native exception (`Napi::Error`), so the wait is long.
   */
  async close(timeoutMs = 60_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // the thread ends by itself once DuckDB is closed; stopping it at once could cut the binding's own
    // clean-up short (a native exception ended the process when a closed store was stopped mid-teardown)
    await Promise.race([
      this.call({ type: 'close' })
        .catch(() => undefined)
        .then(() => exited),
      timedOut,
    ]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
