import {
  AppError,
  normalizeLogs,
  normalizeMetrics,
  normalizeSpans,
  type PriceTable,
  type RawResourceLogs,
  type RawResourceMetrics,
  type RawResourceSpans,
} from '@loopline/model';
import { toColumnBatch } from '../storage/column-batch.ts';
import type { Storage } from '../storage/storage.ts';

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

  constructor(private readonly options: IngestOptions) {}

  /** true once any stored row carried a sample rate other than 1 */
  get hasSampledRows(): boolean {
    return this.sampled;
  }

  markSampled(): void {
    this.sampled = true;
  }

  assertCapacity(): void {
    const { pendingRows } = this.options.storage.stats();
    if (pendingRows > this.options.maxPendingRows) {
      throw new AppError('INGEST_OVERLOADED', `the store is ${pendingRows} rows behind; retry shortly`, {
        retryAfterSeconds: 1,
      });
    }
  }

  async ingest(signal: Signal, request: DecodedRequest): Promise<IngestResult> {
    this.assertCapacity();
    const { prices, captureContent } = this.options;
    const normalizeOptions = { prices, captureContent };
    const outcome =
      signal === 'traces'
        ? this.batchOf('spans', normalizeSpans(request.traces ?? [], normalizeOptions))
        : signal === 'logs'
          ? this.batchOf('logs', normalizeLogs(request.logs ?? [], normalizeOptions))
          : this.batchOf('metrics', normalizeMetrics(request.metrics ?? [], normalizeOptions));
    if (outcome.batch.rowCount > 0) await this.options.storage.append([outcome.batch]);
    return {
      accepted: outcome.batch.rowCount,
      rejected: outcome.rejected,
      errorMessage: outcome.errorMessage,
    };
  }

  private batchOf<Row extends { sample_rate: number }>(
    table: 'spans' | 'logs' | 'metrics',
    result: { rows: Row[]; rejected: number; errors: string[] },
  ): { batch: ReturnType<typeof toColumnBatch>; rejected: number; errorMessage: string } {
    if (!this.sampled && result.rows.some((row) => row.sample_rate !== 1)) this.sampled = true;
    return {
      batch: toColumnBatch(table, result.rows),
      rejected: result.rejected,
      errorMessage: result.errors.join('; '),
    };
  }
}
