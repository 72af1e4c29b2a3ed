/**
 * What the ingest fuzz test demands of every answer: a status a sender can act on (never 5xx), the
 * body in the request's encoding and well formed (an export response or a google.rpc.Status), a sane
 * message, and never the engine's or the runtime's own text.
 */

/**
 * Text that belongs in the server log, never in an answer: DuckDB's error kinds (`Binder Error: `,
 * `INTERNAL Error: `), JS runtime errors, stack frames, source paths.
 */
export const ENGINE_TEXT =
  /duckdb|\b(?:[A-Z][A-Za-z]* ){0,2}Error: |INTERNAL Error|Catalog|\b(?:Type|Range|Reference|Syntax)Error\b|\n\s+at |^\s+at |node:internal|node_modules|\/src\/|\.[cm]?[jt]s:\d+|Maximum call stack/;

export interface Answer {
  status: number;
  contentType: string;
  retryAfter: string | null;
  body: Uint8Array;
}

export type Encoding = 'protobuf' | 'json';

/** OTLP/HTTP statuses a fuzzed request may get: accepted (maybe partly), malformed, too large, bad type. */
const OTLP_STATUSES: Readonly<Record<number, RegExp>> = {
  200: /^$/,
  400: /^(OTLP_MALFORMED_BODY|OTLP_BAD_COMPRESSION): \S/,
  413: /^OTLP_BODY_TOO_LARGE: \S/,
  415: /^OTLP_UNSUPPORTED_CONTENT_TYPE: \S/,
};

/** Error and partial-success messages are short (the store bounds them: 10 problems, 48-char examples). */
const MAX_MESSAGE = 4000;

interface Decoded {
  /** google.rpc.Status code, or the partial success's rejected count */
  number: number | null;
  message: string;
}

/** Reads fields 1 (varint) and 2 (string) of a message, and field 1 as a nested message when asked. */
function readProto(bytes: Uint8Array, nested: boolean): Decoded {
  let pos = 0;
  let number: number | null = null;
  let message = '';
  const varint = (): number => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[pos++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    if (key === 0x08) {
      number = varint();
      continue;
    }
    if (key !== 0x0a && key !== 0x12) throw new Error(`unexpected field key ${key}`);
    const length = varint();
    if (pos + length > bytes.length) throw new Error('length past the end');
    const payload = bytes.subarray(pos, pos + length);
    pos += length;
    if (key === 0x0a && nested) return readProto(payload, false);
    if (key === 0x12) message = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  }
  return { number, message };
}

/** The partial success's count of rejected items, by the path's signal. */
const REJECTED_FIELD: Readonly<Record<string, string>> = {
  '/v1/traces': 'rejectedSpans',
  '/v1/logs': 'rejectedLogRecords',
  '/v1/metrics': 'rejectedDataPoints',
};

function readJson(text: string, status: number, path: string): Decoded {
  const body = JSON.parse(text) as Record<string, unknown>;
  if (status !== 200) {
    if (body.code !== 3 || !Array.isArray(body.details)) throw new Error('not a google.rpc.Status');
    return { number: body.code, message: String(body.message) };
  }
  const partial = body.partialSuccess as Record<string, unknown> | undefined;
  if (partial === undefined) return { number: null, message: '' };
  const count = partial[REJECTED_FIELD[path] ?? ''];
  if (typeof count !== 'string' || !/^\d+$/.test(count)) throw new Error(`rejected count ${String(count)}`);
  return { number: Number(count), message: String(partial.errorMessage ?? '') };
}

/** Every way the answer to a fuzzed OTLP request falls short; empty when it is fine. */
export function otlpAnswerProblems(
  answer: Answer,
  request: { path: string; encoding: Encoding | null },
): string[] {
  const { path, encoding } = request;
  const problems: string[] = [];
  const text = Buffer.from(answer.body).toString('utf8');
  const expectedCode = OTLP_STATUSES[answer.status];
  if (expectedCode === undefined) problems.push(`status ${answer.status}`);
  if (ENGINE_TEXT.test(text)) problems.push('engine text in the answer');
  const json = encoding !== 'protobuf' || answer.status === 415;
  const type = json ? 'application/json' : 'application/x-protobuf';
  if (!answer.contentType.startsWith(type)) problems.push(`content type ${answer.contentType}, not ${type}`);
  let decoded: Decoded | null = null;
  try {
    decoded = json ? readJson(text, answer.status, path) : readProto(answer.body, answer.status === 200);
  } catch (error) {
    problems.push(`unreadable body: ${(error as Error).message}`);
  }
  if (decoded && expectedCode) problems.push(...messageProblems(answer.status, decoded, expectedCode));
  return problems;
}

function messageProblems(status: number, decoded: Decoded, expectedCode: RegExp): string[] {
  const problems: string[] = [];
  if (decoded.message.length > MAX_MESSAGE) problems.push(`message of ${decoded.message.length} characters`);
  if (status === 200) {
    if ((decoded.number ?? 0) > 0 && decoded.message === '') problems.push('rejections without a message');
    return problems;
  }
  if (decoded.number !== 3) problems.push(`rpc code ${decoded.number}, not INVALID_ARGUMENT`);
  if (!expectedCode.test(decoded.message)) problems.push(`message ${JSON.stringify(decoded.message)}`);
  return problems;
}

/** Problems of an answer of the JSON API: a status below 500, JSON, no engine text. */
export function apiAnswerProblems(status: number, text: string, allowed: readonly number[]): string[] {
  const problems: string[] = [];
  if (!allowed.includes(status)) problems.push(`status ${status}`);
  if (ENGINE_TEXT.test(text)) problems.push('engine text in the answer');
  if (status >= 400) {
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') {
        problems.push('not an { error: { code, message } } body');
      }
    } catch {
      problems.push('not JSON');
    }
  }
  return problems;
}
