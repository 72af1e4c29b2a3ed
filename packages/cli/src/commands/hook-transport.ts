/**
 * One OTLP/JSON POST with a hard deadline, on node:http(s) (cheaper to load than fetch, which matters
 * when a Claude Code hook starts a fresh process for every event).
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

export async function postTraces(
  target: ResolvedTarget,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  let url: URL;
  try {
    url = tracesUrl(target.endpoint);
  } catch {
    return { ok: false, status: null, retryable: true, detail: `"${target.endpoint}" is not a URL` };
  }
  const client = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
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
        const detail = Buffer.concat(chunks).toString('utf8').slice(0, 500);
        const ok = status >= 200 && status < 300;
        finish({ ok, status, retryable: !ok && !REJECTED.has(status), detail });
      });
      response.on('error', (error) =>
        finish({ ok: false, status: response.statusCode ?? null, retryable: true, detail: error.message }),
      );
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, status: null, retryable: true, detail: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, status: null, retryable: true, detail: error.code ?? error.message }),
    );
    request.end(body);
  });
}
