/**
 * npm run bench:query — on a store of 10M demo spans (loaded once through the real ingest path and kept
 * in .loopline/bench-<n>), prints p50/p95 over repeated runs, through the HTTP API, of: a 1-hour
 * breakdown, 24-hour percentiles by span name, a trace lookup (full and the UI's light waterfall view) and a
 * conversation across its traces.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseServerTiming } from '@loopline/server';
import { fmt, loadDemoSpans, quantile, ROOT, startServe } from './bench-support.ts';

const SPANS = Number(process.env.BENCH_SPANS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DATA = path.join(ROOT, '.loopline', `bench-${SPANS}`);
const MARKER = path.join(DATA, 'bench.json');

/** The server's own time for the last answer: `total` of its Server-Timing header (NaN if absent). */
let lastServerMs = Number.NaN;

async function api(url: string, route: string, body?: object): Promise<unknown> {
  const response = await fetch(`${url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  const parsed = await response.json();
  lastServerMs = parseServerTiming(response.headers.get('server-timing')).total ?? Number.NaN;
  return parsed;
}

const ms = (values: number[], q: number): string => quantile(values, q).toFixed(1).padStart(6);

/**
 * p50/p95 of `RUNS` calls of `run(0..RUNS-1)` as the client saw them, and the server's own time (its
 * Server-Timing total: the rest is the HTTP exchange and JSON parsing in the client). Three warm-up calls
 * first take inputs `RUNS..RUNS+2`, so a lookup measured "cold" reads a trace nothing has read before.
 */
async function timed(label: string, run: (i: number) => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 3; i++) await run(RUNS + i);
  const times: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
    server.push(lastServerMs);
  }
  return `  ${label.padEnd(44)} p50 ${ms(times, 0.5)} ms  p95 ${ms(times, 0.95)} ms   (server p50 ${ms(server, 0.5)}, p95 ${ms(server, 0.95)})`;
}

async function main(): Promise<void> {
  const fresh = !fs.existsSync(MARKER);
  const server = await startServe(['--data-dir', DATA]);
  try {
    let endTimeMs: number;
    if (fresh) {
      endTimeMs = Math.floor(Date.now() / 60_000) * 60_000;
      process.stdout.write(
        `bench:query — loading ${fmt(SPANS)} demo spans once into ${DATA} (kept for next runs)…\n`,
      );
      loadDemoSpans(server.url, SPANS, endTimeMs);
      fs.writeFileSync(MARKER, JSON.stringify({ endTimeMs, spans: SPANS }));
    } else {
      endTimeMs = (JSON.parse(fs.readFileSync(MARKER, 'utf8')) as { endTimeMs: number }).endTimeMs;
    }
    const end = Math.floor(endTimeMs / 1000);
    const total = (await api(server.url, '/api/query', {
      calculations: [{ op: 'COUNT' }],
      start_time: end - 8 * 86400,
      end_time: end,
    })) as { totals: Record<string, number> };
    process.stdout.write(
      `bench:query — ${fmt(Object.values(total.totals)[0] ?? 0)} spans in the store; ${RUNS} runs each\n`,
    );
    const hour = { start_time: end - 3600, end_time: end };
    const day = { start_time: end - 86400, end_time: end };
    const traces = (await api(server.url, '/api/query', {
      ...day,
      breakdowns: ['trace.trace_id'],
      calculations: [{ op: 'COUNT' }],
      limit: 200,
    })) as { groups: { key: Record<string, string> }[] };
    const ids = traces.groups.map((g) => g.key['trace.trace_id'] as string);
    const conversations = (await api(server.url, '/api/query', {
      ...day,
      filters: [{ column: 'gen_ai.conversation.id', op: 'exists' }],
      breakdowns: ['gen_ai.conversation.id'],
      calculations: [{ op: 'COUNT' }],
      limit: 100,
    })) as { groups: { key: Record<string, string> }[] };
    const conversationIds = conversations.groups.map((g) => g.key['gen_ai.conversation.id'] as string);
    const lines = [
      await timed('1-hour breakdown: COUNT, SUM(cost) by model', () =>
        api(server.url, '/api/query', {
          ...hour,
          breakdowns: ['gen_ai.request.model'],
          calculations: [{ op: 'COUNT' }, { op: 'SUM', column: 'cost_usd' }],
        }),
      ),
      await timed('24-hour P50/P95/P99(duration_ms) by name', () =>
        api(server.url, '/api/query', {
          ...day,
          breakdowns: ['name'],
          calculations: [
            { op: 'P50', column: 'duration_ms' },
            { op: 'P95', column: 'duration_ms' },
            { op: 'P99', column: 'duration_ms' },
          ],
        }),
      ),
      // the first RUNS traces are read for the first time here (cold), then once more (warm); the
      // waterfall reads traces from the second half of the list, which nothing has read before
      await timed('trace lookup, full (GET /api/traces/:id)', (i) =>
        api(server.url, `/api/traces/${ids[i % ids.length]}`),
      ),
      await timed('  the same traces again (warm)', (i) =>
        api(server.url, `/api/traces/${ids[i % ids.length]}`),
      ),
      await timed('trace waterfall (?view=waterfall, what the UI loads)', (i) =>
        api(server.url, `/api/traces/${ids[(Math.floor(ids.length / 2) + i) % ids.length]}?view=waterfall`),
      ),
      await timed('conversation (GET /api/conversations/:id)', (i) =>
        api(
          server.url,
          `/api/conversations/${encodeURIComponent(conversationIds[i % conversationIds.length] ?? '')}`,
        ),
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(
      '  targets: breakdown p95 < 100 ms, percentiles p95 < 300 ms, trace lookup < 10 ms\n',
    );
  } finally {
    await server.stop();
  }
}

await main();
