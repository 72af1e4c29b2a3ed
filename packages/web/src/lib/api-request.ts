import { createRequestLimiter, type RequestLimiter, type RequestPriority } from './request-limiter.ts';
import { createSharedRequests, type SharedRequests } from './shared-requests.ts';

/**
 * The one way the UI talks to the server. Every request:
 * - takes an AbortSignal: aborting it cancels the fetch (the server then cancels its query) and rejects
 *   with the signal's reason, never with an ApiError, so a page that let go of a request shows nothing;
 * - waits for a slot of the page's request limiter (request-limiter.ts), at its priority;
 * - if it is a GET, is shared with every identical GET in flight (shared-requests.ts), and its answer
 *   may be kept for `cacheMs`.
 * Every failure of the server becomes an ApiError with the server's stable code and message, never a stack.
 */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** What a caller of `api.*` can say about one call. */
export interface CallOptions {
  signal?: AbortSignal;
  /** `background` for panels a page fills on its own; anything else the user asked for (the default) */
  priority?: RequestPriority;
}

export interface RequestOptions extends CallOptions {
  body?: unknown;
  /** keep a GET's answer this long and hand it to later callers (default: not kept) */
  cacheMs?: number;
}

export type ApiRequest = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

/** Background panels run 4 at a time; what the user asks for may also use the browser's other 2 slots. */
export const BACKGROUND_LIMIT = 4;
export const USER_LIMIT = 6;

export function createApiRequest(
  deps: { fetch?: typeof fetch; limiter?: RequestLimiter; shared?: SharedRequests } = {},
): ApiRequest {
  const send = deps.fetch ?? ((input, init) => fetch(input, init));
  const limiter = deps.limiter ?? createRequestLimiter({ limit: BACKGROUND_LIMIT, userLimit: USER_LIMIT });
  const shared = deps.shared ?? createSharedRequests();
  const limited = <T>(method: string, path: string, options: RequestOptions, signal?: AbortSignal) =>
    limiter.run(() => exchange<T>(send, { method, path, body: options.body, signal }), {
      signal,
      priority: options.priority,
    });
  return <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> =>
    method === 'GET'
      ? shared.get(path, (signal) => limited<T>(method, path, options, signal), {
          signal: options.signal,
          ttlMs: options.cacheMs,
        })
      : limited<T>(method, path, options, options.signal);
}

/** One fetch and its JSON answer; the limiter's slot is held until the body has been read. */
async function exchange<T>(
  send: typeof fetch,
  call: { method: string; path: string; body: unknown; signal: AbortSignal | undefined },
): Promise<T> {
  const { body, signal } = call;
  let response: Response;
  let text: string;
  try {
    response = await send(call.path, {
      method: call.method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    text = response.status === 204 ? '' : await response.text();
  } catch {
    if (signal?.aborted) throw signal.reason;
    throw new ApiError(
      'UNREACHABLE',
      'The Loopline server cannot be reached. Is `loopline serve` still running?',
      0,
    );
  }
  if (response.status === 204) return undefined as T;
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
      response.status,
    );
  }
  return parsed as T;
}

/** The page's requests: one limiter and one set of shared GETs for the whole tab. */
export const request: ApiRequest = createApiRequest();
