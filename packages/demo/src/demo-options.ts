import { AppError } from '@loopline/model';

export interface DemoOptions {
  /** PRNG seed; the same seed and options give byte-identical output (default 42) */
  seed?: number;
  /** about how many spans to generate in total (default 200,000) */
  spans?: number;
  /** end of the window, epoch milliseconds (default: now, rounded down to the minute) */
  endTimeMs?: number;
  /** window length in days (default 7) */
  days?: number;
  /** spans per yielded batch (default 2,000) */
  batchSpans?: number;
}

export type ResolvedDemoOptions = Required<DemoOptions>;

const MINUTE_MS = 60_000;

function check(ok: boolean, name: string, rule: string, value: unknown): void {
  if (!ok) throw new AppError('BAD_REQUEST', `demo option ${name} must be ${rule}`, { [name]: value });
}

/** Fills defaults and rejects values the generator cannot honour. */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const resolved: ResolvedDemoOptions = {
    seed: options.seed ?? 42,
    spans: options.spans ?? 200_000,
    endTimeMs: options.endTimeMs ?? Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS,
    days: options.days ?? 7,
    batchSpans: options.batchSpans ?? 2000,
  };
  check(Number.isSafeInteger(resolved.seed), 'seed', 'a safe integer', resolved.seed);
  check(
    Number.isSafeInteger(resolved.spans) && resolved.spans > 0,
    'spans',
    'a positive integer',
    resolved.spans,
  );
  check(
    Number.isSafeInteger(resolved.endTimeMs) && resolved.endTimeMs > 0,
    'endTimeMs',
    'epoch milliseconds',
    resolved.endTimeMs,
  );
  check(
    Number.isFinite(resolved.days) && resolved.days >= 1 / 24 && resolved.days <= 366,
    'days',
    'between 1/24 and 366',
    resolved.days,
  );
  check(
    Number.isSafeInteger(resolved.batchSpans) && resolved.batchSpans > 0,
    'batchSpans',
    'a positive integer',
    resolved.batchSpans,
  );
  return resolved;
}
