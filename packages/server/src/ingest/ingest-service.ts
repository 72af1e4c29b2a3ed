import {
  AppError,
  deriveSpansFromLogs,
  normalizeLogs,
  normalizeMetrics,
  normalizeSpans,
  type PriceTable,
  type RawResourceLogs,
  type RawResourceMetrics,
  type RawResourceSpans,
} from '@loopline/model';
import { toColumnBatch } from '../storage/column-batch.ts';
import type { ColumnBatch, Storage } from '../storage/storage.ts';
import { TurnQueue } from './turn-queue.ts';

/** requests decoded but not yet normalised, above which new ones are refused (each holds its body) */
const MAX_WAITING_REQUESTS = 256;

export type Signal = 'traces' | 'logs' | 'metrics';

export interface DecodedRequest {
  traces?: RawResourceSpans[];
  logs?: RawResourceLogs[];
  metrics?: RawResourceMetrics[];
}

export interface IngestResult {
  accepted: number;
  rejected: number;
  errorMessage: string;
}

export interface PreparedBatch {
  /** the request's own rows (what OTLP counts as accepted) */
  batch: ColumnBatch;
  /** rows derived from them and committed with them: spans from assistants' log events */
  derived: ColumnBatch[];
  rejected: number;
  errorMessage: string;
}

export interface IngestOptions {
  storage: Storage;
  prices: PriceTable;
  captureContent: boolean;
  /** above this many rows waiting for the store, new requests are refused with INGEST_OVERLOADED */
  maxPendingRows: number;
}

/**
 * From decoded OTLP to stored rows: normalise (aliases, usage, cost, redaction), then append. Resolves
 * only once the rows are committed, so a 200 means the data is on disk.
 */
export class IngestService {
  private sampled = false;
  private readonly turns = new TurnQueue();

  constructor(private readonly options: IngestOptions) {}

  /** true once any stored row carried a sample rate other than 1 */
  get hasSampledRows(): boolean {
    return this.sampled;
  }

  markSampled(): void {
    this.sampled = true;
  }

  assertCapacity(): void {
    if (this.turns.waiting >= MAX_WAITING_REQUESTS) {
      throw new AppError(
        'INGEST_OVERLOADED',
        `${this.turns.waiting} requests are waiting to be decoded; retry shortly`,
        { retryAfterSeconds: 1 },
      );
    }
    const { pendingRows } = this.options.storage.stats();
    if (pendingRows > this.options.maxPendingRows) {
      throw new AppError('INGEST_OVERLOADED', `the store is ${pendingRows} rows behind; retry shortly`, {
        retryAfterSeconds: 1,
      });
    }
  }

  /**
   * Normalises a decoded request into a column batch, synchronously. Kept apart from `commit` so the
   * decoded objects and rows are garbage as soon as this returns, not held across the wait for the store.
   */
  prepare(signal: Signal, request: DecodedRequest): PreparedBatch {
    this.assertCapacity();
    const { prices, captureContent } = this.options;
    const normalizeOptions = { prices, captureContent };
    if (signal === 'traces')
      return this.batchOf('spans', normalizeSpans(request.traces ?? [], normalizeOptions));
    if (signal === 'metrics')
      return this.batchOf('metrics', normalizeMetrics(request.metrics ?? [], normalizeOptions));
    const logs = request.logs ?? [];
    const prepared = this.batchOf('logs', normalizeLogs(logs, normalizeOptions));
    const derived = deriveSpansFromLogs(logs);
    if (derived.spans.length > 0) {
      const spans = this.batchOf('spans', normalizeSpans(derived.spans, normalizeOptions));
      if (spans.batch.rowCount > 0) prepared.derived.push(spans.batch);
      derived.errors.push(...(spans.errorMessage ? [spans.errorMessage] : []));
    }
    // a span that could not be derived is a warning: its log record is stored all the same
    if (derived.errors.length > 0) {
      prepared.errorMessage = [prepared.errorMessage, ...derived.errors].filter(Boolean).join('; ');
    }
    return prepared;
  }

  /**
   * Decodes (`decode`) and prepares a request in its own event-loop turn, after the requests before it:
   * the heavy synchronous part of ingest never runs back to back with other requests' in one turn.
   */
  prepareInTurn(signal: Signal, decode: () => DecodedRequest): Promise<PreparedBatch> {
    return this.turns.run(() => this.prepare(signal, decode()));
  }

  /** Stores a prepared batch; resolves once it is committed. */
  async commit(prepared: PreparedBatch): Promise<IngestResult> {
    const batches = [prepared.batch, ...prepared.derived].filter((batch) => batch.rowCount > 0);
    if (batches.length > 0) await this.options.storage.append(batches);
    return {
      accepted: prepared.batch.rowCount,
      rejected: prepared.rejected,
      errorMessage: prepared.errorMessage,
    };
  }

  ingest(signal: Signal, request: DecodedRequest): Promise<IngestResult> {
    return this.commit(this.prepare(signal, request));
  }

  /** `ingest`, with decoding and normalising in their own event-loop turn (`prepareInTurn`). */
  async ingestInTurn(signal: Signal, decode: () => DecodedRequest): Promise<IngestResult> {
    return this.commit(await this.prepareInTurn(signal, decode));
  }

  private batchOf<Row extends { sample_rate: number }>(
    table: 'spans' | 'logs' | 'metrics',
    result: { rows: Row[]; rejected: number; errors: string[] },
  ): PreparedBatch {
    if (!this.sampled && result.rows.some((row) => row.sample_rate !== 1)) this.sampled = true;
    return {
      batch: toColumnBatch(table, result.rows),
      derived: [],
      rejected: result.rejected,
      errorMessage: result.errors.join('; '),
    };
  }
}
