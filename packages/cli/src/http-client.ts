import { AppError, type ErrorCode } from '@loopline/model';

export const DEFAULT_URL = process.env.LOOPLINE_URL ?? 'http://127.0.0.1:4318';

export interface PostOptions {
  body: Uint8Array | string;
  contentType: string;
  contentEncoding?: string;
  /** retries on 429/503 honouring Retry-After */
  retries?: number;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new AppError(
      'SERVER_UNREACHABLE',
      `cannot reach Loopline at ${new URL(url).origin} (${cause}); start it with "loopline serve" or pass --url`,
    );
  }
}

async function errorFrom(response: Response): Promise<AppError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as {
      error?: { code: ErrorCode; message: string; details?: object };
      message?: string;
    };
    if (body.error)
      return new AppError(body.error.code, body.error.message, body.error.details as Record<string, unknown>);
    if (body.message) return new AppError('BAD_REQUEST', `${response.status}: ${body.message}`);
  } catch {
    // not JSON: fall through
  }
  return new AppError('BAD_REQUEST', `${response.status} ${response.statusText}: ${text.slice(0, 200)}`);
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await call(url, { method: 'GET' });
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()) as T;
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()) as T;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs an OTLP body; returns the parsed response text. Retries 429/502/503/504 as OTLP says. */
export async function postOtlp(url: string, options: PostOptions): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': options.contentType };
  if (options.contentEncoding) headers['content-encoding'] = options.contentEncoding;
  const retries = options.retries ?? 30;
  for (let attempt = 0; ; attempt++) {
    const response = await call(url, { method: 'POST', headers, body: options.body });
    const retryable = [429, 502, 503, 504].includes(response.status);
    if (!retryable || attempt >= retries) {
      const text = Buffer.from(await response.arrayBuffer()).toString(
        options.contentType.includes('json') ? 'utf8' : 'latin1',
      );
      return { status: response.status, text };
    }
    await response.arrayBuffer();
    const seconds = Number(response.headers.get('retry-after') ?? '1');
    await sleep(Math.min(10, Number.isFinite(seconds) ? seconds : 1) * 1000 * (0.5 + Math.random() / 2));
  }
}
