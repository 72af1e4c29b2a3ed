import http from 'node:http';
import { generateDemo } from '@loopline/demo';
import { encodeTracesProto } from '@loopline/otlp';

/** Demo spans of one day ending now, as ~`batch`-span OTLP protobuf bodies. */
export function encodeDemoBodies(spanCount: number, batch: number): { bodies: Uint8Array[]; spans: number } {
  const bodies: Uint8Array[] = [];
  let spans = 0;
  const endTimeMs = Date.now();
  for (const demo of generateDemo({ seed: 11, spans: spanCount, days: 1, endTimeMs, batchSpans: batch })) {
    if (demo.resourceSpans.length === 0) continue;
    bodies.push(encodeTracesProto(demo.resourceSpans));
    spans += demo.resourceSpans.reduce(
      (n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0),
      0,
    );
  }
  return { bodies, spans };
}

/**
 * POSTs OTLP bodies over a keep-alive `node:http` agent, as the OpenTelemetry JS OTLP/HTTP exporters send
 * (fetch's per-request work was a fifth of a core on this 2-core machine, taken from the server it
 * measures). Resolves with the status code.
 */
export class OtlpPoster {
  private readonly agent: http.Agent;

  constructor(
    private readonly url: URL,
    clients: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  }

  postOnce(body: Uint8Array, signal = '/v1/traces'): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: signal,
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.byteLength },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Posts until answered 200, waiting 50 ms after each 503 or 429. */
  async post(body: Uint8Array): Promise<void> {
    for (;;) {
      const status = await this.postOnce(body);
      if (status === 200) return;
      if (status !== 503 && status !== 429) throw new Error(`server answered ${status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
