/**
 * The ingest fuzz test's plumbing: one request with its answer read whole, a small worker pool, and which
 * cases a run sends (all of them, or the ones LOOPLINE_FUZZ_CASE names for a replay).
 */
import type { Answer } from './fuzz-checks.ts';

export type TextAnswer = Answer & { text: string };

export async function send(baseUrl: string, path: string, init: RequestInit): Promise<TextAnswer> {
  const response = await fetch(`${baseUrl}${path}`, init);
  const body = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
    body,
    text: Buffer.from(body).toString('utf8'),
  };
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The case indexes of a run: `count` of them, or those of `only` (`17`, or a range `500-749`). */
export function caseIndexes(count: number, only: string | undefined): number[] {
  if (only === undefined || only === '') return Array.from({ length: count }, (_, i) => i);
  const [first, last = first] = only.split('-').map(Number);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || (last as number) < (first as number)) {
    throw new Error(`LOOPLINE_FUZZ_CASE is "${only}"; give a case number or a range like 500-749`);
  }
  return Array.from({ length: (last as number) - (first as number) + 1 }, (_, i) => (first as number) + i);
}

/** Consecutive slices of `items`, `size` long. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}
