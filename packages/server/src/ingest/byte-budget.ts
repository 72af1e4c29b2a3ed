/** A claim on the budget; `release` is idempotent, so every path that ends a request may call it. */
export interface Reservation {
  /** bytes held; `grow` adds to them */
  readonly bytes: number;
  /** holds `more` bytes too; false (nothing held) when the budget cannot take them */
  grow(more: number): boolean;
  release(): void;
}

/**
 * The server-wide budget of request bytes being received, buffered and decoded (HTTP and gRPC alike). A
 * request is admitted only while its bytes fit; one larger than the whole budget is admitted when
 * nothing else is in flight, so a body under the size limit is never refused for ever.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.used;
  }

  /** a reservation of `bytes`, or null when they do not fit now */
  reserve(bytes: number): Reservation | null {
    if (!this.fits(bytes)) return null;
    this.used += bytes;
    let held = bytes;
    let released = false;
    return {
      get bytes() {
        return held;
      },
      grow: (more) => {
        if (released || !this.fits(more)) return false;
        this.used += more;
        held += more;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.used -= held;
      },
    };
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }
}
