/**
 * The keys of recently stored spans (and of log records and metric points, keyed as spans by
 * `row-keys.ts`), so a row sent again is not stored twice. A key is the trace id, span
 * id, dataset (service), name and start time: an exact resend matches, while made-up ids reused for
 * different spans (tests, hand-written files) stay different spans. An
 * exporter retries a request whose answer it never got (a timeout while the server was still writing),
 * and a hook resends its spool after a lost answer; either would otherwise count the span's tokens and
 * cost twice. A pair is kept as a 64-bit hash in open-addressing tables of two generations: when the
 * current one holds `generationSize` pairs it becomes the previous one and the oldest generation is
 * dropped, so memory stays bounded and the window is the last `generationSize` to `2 × generationSize`
 * spans. Two different pairs share a hash with odds of about one in 2^63 per pair.
 */
export class RecentSpanIds {
  private current: HashTable;
  private previous: HashTable | null = null;

  constructor(private readonly generationSize = 1 << 20) {
    this.current = new HashTable(Math.min(generationSize, 1 << 14));
  }

  /**
   * Claims a pair: true (and remembered) when it was not seen in the window, false for a repeat. The
   * hash of a claimed pair is written to `claims` so a failed write can `release` it.
   */
  claim(span: SpanKey, claims?: number[]): boolean {
    const { trace_id: traceId, span_id: spanId, timestamp } = span;
    const detail = hashString(span.dataset, hashString(span.name, mix(timestamp >>> 0, timestamp / 2 ** 32)));
    const hi = hashString(traceId, hashString(spanId, detail));
    const lo = hashString(spanId, hashString(traceId, 0x85ebca6b)) | 1;
    if (this.current.has(hi, lo) || this.previous?.has(hi, lo)) return false;
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new HashTable(Math.min(this.generationSize, 1 << 14));
    }
    this.current.add(hi, lo);
    claims?.push(hi, lo);
    return true;
  }

  /** Forgets pairs claimed for rows that were not stored (the write failed), so a retry stores them. */
  release(claims: readonly number[]): void {
    for (let i = 0; i < claims.length; i += 2) {
      const hi = claims[i] as number;
      const lo = claims[i + 1] as number;
      this.current.remove(hi, lo);
      this.previous?.remove(hi, lo);
    }
  }
}

/** What makes two spans the same span (row fields; `timestamp`: start, µs). */
export interface SpanKey {
  trace_id: string;
  span_id: string;
  dataset: string;
  name: string;
  timestamp: number;
}

/** Two 32-bit words (a number's low and high halves) mixed into one. */
function mix(low: number, high: number): number {
  let h = Math.imul(low | 0, 0xcc9e2d51) ^ Math.imul(high | 0, 0x1b873593);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** A 32-bit hash of a string (its UTF-16 units, murmur3-style mixing) from `seed`. */
function hashString(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= text.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Open addressing with linear probing over (hi, lo) pairs; lo is odd for a pair, 0 for an empty slot and
 * 2 for a removed one. Grows to keep at most half its slots in use.
 */
class HashTable {
  private his: Int32Array;
  private los: Int32Array;
  private used = 0;
  size = 0;

  constructor(capacity: number) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.his = new Int32Array(slots);
    this.los = new Int32Array(slots);
  }

  has(hi: number, lo: number): boolean {
    const mask = this.his.length - 1;
    for (let i = (hi ^ lo) & mask; ; i = (i + 1) & mask) {
      const slot = this.los[i] as number;
      if (slot === 0) return false;
      if (slot === lo && this.his[i] === hi) return true;
    }
  }

  add(hi: number, lo: number): void {
    if ((this.used + 1) * 2 > this.his.length) this.rehash(this.size * 2 + 2 > this.his.length / 2);
    const mask = this.his.length - 1;
    let i = (hi ^ lo) & mask;
    while ((this.los[i] as number) & 1) i = (i + 1) & mask;
    if (this.los[i] === 0) this.used++;
    this.his[i] = hi;
    this.los[i] = lo;
    this.size++;
  }

  remove(hi: number, lo: number): void {
    const mask = this.his.length - 1;
    for (let i = (hi ^ lo) & mask; ; i = (i + 1) & mask) {
      const slot = this.los[i] as number;
      if (slot === 0) return;
      if (slot === lo && this.his[i] === hi) {
        this.los[i] = 2;
        this.size--;
        return;
      }
    }
  }

  /** Rebuilds without removed slots, twice as large when `grow`. */
  private rehash(grow: boolean): void {
    const his = this.his;
    const los = this.los;
    const slots = grow ? his.length * 2 : his.length;
    this.his = new Int32Array(slots);
    this.los = new Int32Array(slots);
    this.used = 0;
    this.size = 0;
    for (let i = 0; i < his.length; i++) {
      if ((los[i] as number) & 1) this.add(his[i] as number, los[i] as number);
    }
  }
}
