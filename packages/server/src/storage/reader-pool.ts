import { AppError } from '@loopline/model';

/**
 * A fixed set of reader connections lent out one query at a time. A query takes the first free reader
 * (no round-robin: a trace lookup never queues behind a heatmap while another reader idles); when all are
 * busy it waits in line, and a line longer than `maxWaiting` is refused at once (`QUERY_BUSY`), so a
 * burst of queries cannot pile up without bound. A waiter that is aborted leaves the line.
 */
export interface ReaderPoolStats {
  readers: number;
  busy: number;
  waiting: number;
}

interface Waiter<T> {
  resolve: (reader: T) => void;
  reject: (error: Error) => void;
}

export class ReaderPool<T> {
  private readonly free: T[];
  private readonly line: Waiter<T>[] = [];

  constructor(
    private readonly readers: readonly T[],
    private readonly maxWaiting: number,
  ) {
    this.free = [...readers];
  }

  /** A free reader, or one as soon as it is released; rejects with `signal`'s reason when aborted. */
  acquire(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const reader = this.free.pop();
    if (reader !== undefined) return Promise.resolve(reader);
    if (this.line.length >= this.maxWaiting) {
      return Promise.reject(
        new AppError(
          'QUERY_BUSY',
          `${this.readers.length} queries are running and ${this.line.length} are waiting; try again shortly`,
          { retryAfterSeconds: 1 },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject };
      const onAbort = (): void => {
        const index = this.line.indexOf(waiter);
        if (index >= 0) this.line.splice(index, 1);
        reject(signal?.reason);
      };
      waiter.resolve = (value) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(waiter);
    });
  }

  /** Gives a reader back: to the first in line, else to the free set. */
  release(reader: T): void {
    const next = this.line.shift();
    if (next) next.resolve(reader);
    else this.free.push(reader);
  }

  /** Every reader, lent or not (for closing). */
  all(): readonly T[] {
    return this.readers;
  }

  /** Refuses everyone still in line (the store is closing). */
  rejectWaiting(error: Error): void {
    for (const waiter of this.line.splice(0)) waiter.reject(error);
  }

  stats(): ReaderPoolStats {
    return {
      readers: this.readers.length,
      busy: this.readers.length - this.free.length,
      waiting: this.line.length,
    };
  }
}
