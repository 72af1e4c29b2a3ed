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
  type SignalTable,
} from '@loopline/model';
import { toColumnBatch } from '../storage/column-batch.ts';
import type { ColumnBatch, Storage } from '../storage/storage.ts';
import { RecentSpanIds, type SpanKey } from './recent-span-ids.ts';
import { ROW_KEYS } from './row-keys.ts';
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
  /**
   * rows already stored or being stored (a retry, a resent spool): received, not stored again, unless
   * the write of the first copy fails. `counted`: the request's own rows (accepted), not derived ones.
   */
  repeats: Repeats[];
  /** the row-key hashes this batch claimed, released should its write fail */
  claims: number[];
}

interface Repeats {
  table: SignalTable;
  rows: object[];
  counted: boolean;
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
  private readonly recentSpans = new RecentSpanIds();
  /** appends not yet committed: a repeat of one of their spans waits for them */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: IngestOptions) {}

  /** true once any stored row carried a sample rate other than 1 */
  get hasSampledRows(): boolean {
    return this.sampled;
  }

  /**
   * Keys of rows already stored (read back at start, `ROW_KEYS`), so a resend after a restart is not
   * stored again.
   */
  remember(keys: readonly SpanKey[]): void {
    for (const key of keys) this.recentSpans.claim(key);
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
    const claims: number[] = [];
    if (signal === 'traces') {
      return this.unseenBatch('spans', normalizeSpans(request.traces ?? [], normalizeOptions), claims, true);
    }
    if (signal === 'metrics') {
      return this.unseenBatch(
        'metrics',
        normalizeMetrics(request.metrics ?? [], normalizeOptions),
        claims,
        true,
      );
    }
    const logs = request.logs ?? [];
    const prepared = this.unseenBatch('logs', normalizeLogs(logs, normalizeOptions), claims, true);
    const derived = deriveSpansFromLogs(logs);
    if (derived.spans.length > 0) {
      const spans = this.unseenBatch('spans', normalizeSpans(derived.spans, normalizeOptions), claims, false);
      if (spans.batch.rowCount > 0) prepared.derived.push(spans.batch);
      prepared.repeats.push(...spans.repeats);
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

  /**
   * Stores a prepared batch; resolves once it is committed. A span already stored counts as accepted (the
   * sender must not retry it); should the write fail, its spans are forgotten so the retry stores them.
   */
  async commit(prepared: PreparedBatch): Promise<IngestResult> {
    const batches = [prepared.batch, ...prepared.derived].filter((batch) => batch.rowCount > 0);
    if (prepared.repeats.length > 0) {
      // the first copy may still be in flight: wait for it, and store the row after all if it failed
      await Promise.allSettled([...this.inFlight]);
      for (const { table, rows } of prepared.repeats) {
        const key = ROW_KEYS[table] as (row: object) => SpanKey;
        const retry = rows.filter((row) => this.recentSpans.claim(key(row), prepared.claims));
        if (retry.length > 0) batches.push(toColumnBatch(table, retry as never));
      }
    }
    if (batches.length > 0) {
      const append = this.options.storage.append(batches);
      this.inFlight.add(append);
      try {
        await append;
      } catch (error) {
        this.recentSpans.release(prepared.claims);
        throw error;
      } finally {
        this.inFlight.delete(append);
      }
    }
    return {
      accepted:
        prepared.batch.rowCount +
        prepared.repeats.reduce((n, repeats) => n + (repeats.counted ? repeats.rows.length : 0), 0),
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

  /**
   * A table's rows as a batch of those not stored in the recent window (`RecentSpanIds`, keyed by
   * `ROW_KEYS`), also dropping a row repeated within the request; each kept row's claim goes to `claims`,
   * the others to `repeats`.
   */
  private unseenBatch<Row extends { sample_rate: number }>(
    table: SignalTable,
    result: { rows: Row[]; rejected: number; errors: string[] },
    claims: number[],
    counted: boolean,
  ): PreparedBatch {
    if (!this.sampled && result.rows.some((row) => row.sample_rate !== 1)) this.sampled = true;
    const key = ROW_KEYS[table] as unknown as (row: Row) => SpanKey;
    const rows: Row[] = [];
    const repeats: Row[] = [];
    for (const row of result.rows) {
      if (this.recentSpans.claim(key(row), claims)) rows.push(row);
      else repeats.push(row);
    }
    return {
      batch: toColumnBatch(table, rows as never),
      derived: [],
      rejected: result.rejected,
      errorMessage: result.errors.join('; '),
      repeats: repeats.length > 0 ? [{ table, rows: repeats, counted }] : [],
      claims,
    };
  }
}
