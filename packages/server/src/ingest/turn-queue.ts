/**
 * Runs CPU-heavy steps one per event-loop turn, in arrival order. Decoding and normalising a 1,000-span
 * request takes ~20 ms; when many requests finish arriving together, running them back to back in one
 * I/O phase held timers and other requests (an API query, a health check) for all of them at once
 * (bench:ingest, longest event-loop stall). Here each step runs in its own `setImmediate`, so the loop
 * goes round between two of them.
 */
export class TurnQueue {
  private readonly jobs: (() => void)[] = [];
  private scheduled = false;

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => {
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      });
      this.schedule();
    });
  }

  /** steps waiting for their turn */
  get waiting(): number {
    return this.jobs.length;
  }

  private schedule(): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  private readonly next = (): void => {
    this.scheduled = false;
    this.jobs.shift()?.();
    this.schedule();
  };
}
