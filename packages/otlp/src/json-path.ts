import { AppError } from '@loopline/model';
import { MAX_NESTING } from './otlp-limits.ts';

/**
 * Where a JSON decoder is, as a stack of keys and indexes, so reading a well-formed body allocates no path
 * strings: the path is only formatted when a value has the wrong type.
 */
export class JsonPath {
  private readonly parts: (string | number)[] = [];
  private nesting = 0;

  /** Enters one level of AnyValue nesting (arrays and kvlists), refusing more than MAX_NESTING. */
  enter(): void {
    if (++this.nesting > MAX_NESTING) this.fail(`values nested deeper than ${MAX_NESTING} levels`);
  }

  leave(): void {
    this.nesting--;
  }

  /** How many parts deep the path is (for `truncate`). */
  get depth(): number {
    return this.parts.length;
  }

  /** Back to `depth` parts and no AnyValue nesting, after a failure inside an item (a span, a record). */
  truncate(depth: number): void {
    this.parts.length = depth;
    this.nesting = 0;
  }

  push(part: string | number): void {
    this.parts.push(part);
  }

  pop(): void {
    this.parts.pop();
  }

  /**
   * Throws OTLP_MALFORMED_BODY for the current path (plus `key`, when given), e.g. `a[0].b: expected x`;
   * `details` hold the path and the message alone (`reason`).
   */
  fail(message: string, key?: string): never {
    const path = this.format(key);
    throw new AppError('OTLP_MALFORMED_BODY', `${path || '(body)'}: ${message}`, { path, reason: message });
  }

  format(key?: string): string {
    let out = '';
    for (const part of this.parts) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
    if (key !== undefined) out += out ? `.${key}` : key;
    return out;
  }
}
