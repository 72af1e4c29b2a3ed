/** What `loopline import claude-code` asks of and sends to the Loopline server. */
import { type SpanAttributes, type SpanRecord, spansToOtlpJson } from '@loopline/claude-code';
import { AppError } from '@loopline/model';
import { getJson, postJson, postOtlp } from '../http-client.ts';

/** Span ids per existence query (the query language takes at most 1000 values in an `in` filter). */
const IDS_PER_QUERY = 1000;
/** Spans per OTLP request, and a soft cap on its size (content capture makes spans large). */
const SPANS_PER_BATCH = 500;
const BYTES_PER_BATCH = 2 * 1024 * 1024;
/** A short retry on 503 / 429: a few tries, then the import stops with the server's answer. */
const SEND_RETRIES = 4;
const DAY_S = 86_400;

interface QueryResult {
  groups: Array<{ key: Record<string, unknown> }>;
}

/** Fails fast, with what to do, when nothing answers at `url`. */
export async function checkServer(url: string): Promise<void> {
  await getJson(`${url}/api/health`);
}

/** Which of these spans' ids the server already holds (any trace: the live hook re-parents chat spans). */
export async function existingSpanIds(url: string, spans: readonly SpanRecord[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (spans.length === 0) return found;
  let minS = Number.POSITIVE_INFINITY;
  let maxS = 0;
  for (const span of spans) {
    const startS = Number(span.startTimeUnixNano.slice(0, -9) || '0');
    if (startS < minS) minS = startS;
    if (startS > maxS) maxS = startS;
  }
  // A day of slack either side: a hook-made span with the same id may start a little differently.
  const start = Math.max(0, minS - DAY_S);
  const end = maxS + DAY_S;
  const ids = [...new Set(spans.map((s) => s.spanId))];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const result = await postJson<QueryResult>(`${url}/api/query`, {
      calculations: [{ op: 'COUNT' }],
      filters: [{ column: 'trace.span_id', op: 'in', value: chunk }],
      breakdowns: ['trace.span_id'],
      limit: IDS_PER_QUERY,
      start_time: start,
      end_time: end,
      granularity: end - start,
    });
    for (const group of result.groups) {
      const id = group.key['trace.span_id'];
      if (typeof id === 'string') found.add(id);
    }
  }
  return found;
}

/** OTLP/JSON bodies of at most SPANS_PER_BATCH spans and about BYTES_PER_BATCH bytes each. */
export function batches(spans: readonly SpanRecord[], resource: SpanAttributes): string[] {
  const bodies: string[] = [];
  let current: SpanRecord[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (current.length > 0) bodies.push(JSON.stringify(spansToOtlpJson(current, resource)));
    current = [];
    bytes = 0;
  };
  for (const span of spans) {
    const size = JSON.stringify(span).length;
    if (current.length >= SPANS_PER_BATCH || (current.length > 0 && bytes + size > BYTES_PER_BATCH)) flush();
    current.push(span);
    bytes += size;
  }
  flush();
  return bodies;
}

/** Posts one OTLP/JSON body to /v1/traces; returns how many spans the server rejected. */
export async function sendBatch(url: string, body: string): Promise<number> {
  const { status, text } = await postOtlp(`${url}/v1/traces`, {
    body,
    contentType: 'application/json',
    retries: SEND_RETRIES,
  });
  if (status !== 200) {
    throw new AppError(
      status === 503 || status === 429 ? 'INGEST_OVERLOADED' : 'BAD_REQUEST',
      `the server answered ${status} to /v1/traces: ${text.slice(0, 300)}; spans sent so far are kept, and running the import again sends only the rest`,
    );
  }
  try {
    const answer = JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number } };
    return Number(answer.partialSuccess?.rejectedSpans ?? 0) || 0;
  } catch {
    return 0;
  }
}
