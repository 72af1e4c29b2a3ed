/**
 * One OTLP/JSON POST with a hard deadline. A Claude Code hook is a fresh process for every event, so what
 * the send loads counts: `http:` endpoints get one HTTP/1.1 request written by hand on a node:net socket
 * (node:http costs ~5 ms of a hook run to load and drive, for one request whose status is all a hook
 * needs); `https:` endpoints use node:https, loaded only then.
 */
import type { ResolvedTarget } from './hook-home.ts';

export interface PostResult {
  ok: boolean;
  /** HTTP status, or null when no answer came (refused, timed out, DNS) */
  status: number | null;
  /** worth keeping for later: no answer, or a status a later try may not get */
  retryable: boolean;
  /** the answer's body, or what went wrong */
  detail: string;
}

/** `http://host:4318` or `http://host:4318/` or `…/v1/traces` → the traces URL. */
export function tracesUrl(endpoint: string): URL {
  const base = endpoint.replace(/\/+$/, '');
  return new URL(base.endsWith('/v1/traces') ? base : `${base}/v1/traces`);
}

/** Statuses that mean "this body will never be accepted": keeping it would only resend it forever. */
const REJECTED = new Set([400, 413, 415]);
/** Of a refused body, this much of the answer is kept for the log. */
const MAX_DETAIL = 500;
/** An answer whose head is longer than this is not one. */
const MAX_HEAD_BYTES = 64 * 1024;

const answered = (status: number, detail: string): PostResult => {
  const ok = status >= 200 && status < 300;
  return { ok, status, retryable: !ok && !REJECTED.has(status), detail };
};

const noAnswer = (detail: string, status: number | null = null): PostResult => ({
  ok: false,
  status,
  retryable: true,
  detail,
});

export async function postTraces(
  target: ResolvedTarget,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  let url: URL;
  try {
    url = tracesUrl(target.endpoint);
  } catch {
    return noAnswer(`"${target.endpoint}" is not a URL`);
  }
  if (url.protocol === 'http:') return postOverSocket(url, target.apiKey, body, timeoutMs);
  return postWithNodeClient(url, target.apiKey, body, timeoutMs);
}

/** A header value Node's own client would send (no line breaks or other control characters). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The request head, with the headers node:http sent: content-type, content-length, authorization (the API
 * key, else the endpoint's own `user:password@`).
 */
function requestHead(url: URL, apiKey: string | undefined, bodyBytes: number): string {
  let head =
    `POST ${url.pathname}${url.search} HTTP/1.1\r\n` +
    `Host: ${url.host}\r\n` +
    'content-type: application/json\r\n' +
    `content-length: ${bodyBytes}\r\n`;
  if (apiKey) head += `authorization: Bearer ${apiKey}\r\n`;
  else if (url.username !== '' || url.password !== '') {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    head += `Authorization: Basic ${Buffer.from(credentials).toString('base64')}\r\n`;
  }
  return `${head}Connection: close\r\n\r\n`;
}

/** The parts of an answer's head this client needs. */
interface AnswerHead {
  status: number;
  /** bytes of head, up to the body */
  length: number;
  contentLength: number | null;
  chunked: boolean;
}

/**
 * The head at the start of `bytes`: null while incomplete, 'bad' when it is not HTTP. Interim (1xx)
 * answers are skipped.
 */
function readHead(bytes: Buffer): AnswerHead | null | 'bad' {
  let start = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', start, 'latin1');
    if (eol >= 0 && statusOf(bytes.toString('latin1', start, eol)) === null) return 'bad';
    const end = bytes.indexOf('\r\n\r\n', start, 'latin1');
    if (end < 0) return bytes.length - start > MAX_HEAD_BYTES ? 'bad' : null;
    const lines = bytes.toString('latin1', start, end).split('\r\n');
    const status = statusOf(lines[0]!)!;
    if (status < 200) {
      start = end + 4;
      continue;
    }
    let contentLength: number | null = null;
    let chunked = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length' && /^\d+$/.test(value)) contentLength = Number(value);
      else if (name === 'transfer-encoding') chunked = /(^|,)\s*chunked$/i.test(value);
    }
    return { status, length: end + 4, contentLength, chunked };
  }
}

/** `HTTP/1.1 204 No Content` → 204; null when not a status line. */
function statusOf(line: string): number | null {
  const match = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/.exec(line);
  return match ? Number(match[1]) : null;
}

/** The status alone, from the first line once it is complete (a success needs nothing more). */
function earlyStatus(bytes: Buffer): number | null {
  const eol = bytes.indexOf('\r\n', 0, 'latin1');
  if (eol < 0) return null;
  const status = statusOf(bytes.toString('latin1', 0, eol));
  return status !== null && status >= 200 && status < 300 ? status : null;
}

/** A chunked body, decoded as far as it goes; `done` once the last chunk came. */
function dechunk(bytes: Buffer): { body: Buffer; done: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at, 'latin1');
    if (eol < 0) break;
    const size = Number.parseInt(bytes.toString('latin1', at, eol).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) break;
    if (size === 0) return { body: Buffer.concat(parts), done: true };
    const from = eol + 2;
    parts.push(bytes.subarray(from, Math.min(bytes.length, from + size)));
    if (from + size + 2 > bytes.length) break;
    at = from + size + 2;
  }
  return { body: Buffer.concat(parts), done: false };
}

/**
 * HTTP/1.1 over a node:net socket. A 2xx status line means delivered (Loopline answers once the spans are
 * committed), whatever follows it; any other answer is read to its end (or the deadline) for the log.
 * The socket is never half-closed before the answer: a Node server drops a request whose client ended.
 */
async function postOverSocket(
  url: URL,
  apiKey: string | undefined,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  if (apiKey !== undefined && !HEADER_VALUE.test(apiKey)) {
    return {
      ok: false,
      status: null,
      retryable: false,
      detail: 'the API key holds characters no header can',
    };
  }
  const net = await import('node:net');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? 80 : Number(url.port);
  return new Promise((resolve) => {
    let settled = false;
    let received: Buffer = Buffer.alloc(0);
    let head: AnswerHead | null = null;
    const socket = net.connect({ host, port });
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // after a success the server closes the connection (Connection: close); tearing the socket down
      // here would only cost the hook time (~0.5 ms), and an unref'd socket never holds its process
      if (result.ok) socket.unref();
      else socket.destroy();
      resolve(result);
    };
    /** The refused answer so far: its status and as much of its body as came. */
    const refusal = (): PostResult => {
      const rest = received.subarray(head!.length);
      const text = (head!.chunked ? dechunk(rest).body : rest).toString('utf8');
      return answered(head!.status, text.slice(0, MAX_DETAIL));
    };
    const timer = setTimeout(
      () => finish(head === null ? noAnswer(`no answer within ${timeoutMs} ms`) : refusal()),
      timeoutMs,
    );
    socket.on('data', (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      if (head === null) {
        const success = earlyStatus(received);
        if (success !== null) return finish(answered(success, ''));
        const read = readHead(received);
        if (read === 'bad') return finish(noAnswer(`not an HTTP answer: ${preview(received)}`));
        if (read === null) return;
        head = read;
        if (head.status >= 200 && head.status < 300) return finish(answered(head.status, ''));
      }
      const rest = received.length - head.length;
      if (
        head.chunked ? dechunk(received.subarray(head.length)).done : rest >= (head.contentLength ?? Infinity)
      )
        finish(refusal());
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(noAnswer(error.code ?? error.message)));
    socket.on('close', () =>
      finish(head === null ? noAnswer('connection closed without an answer') : refusal()),
    );
    socket.write(requestHead(url, apiKey, Buffer.byteLength(body)) + body);
  });
}

function preview(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1', 0, Math.min(bytes.length, 40)));
}

/** node:https (or node:http for an endpoint that is neither), loaded only for such an endpoint. */
async function postWithNodeClient(
  url: URL,
  apiKey: string | undefined,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const client = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(url, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        finish(answered(status, Buffer.concat(chunks).toString('utf8').slice(0, MAX_DETAIL)));
      });
      response.on('error', (error) => finish(noAnswer(error.message, response.statusCode ?? null)));
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish(noAnswer(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish(noAnswer(error.code ?? error.message)));
    request.end(body);
  });
}
