/**
 * npm run bench:isolation — does a heavy query hold up ingest? On a store of demo spans (loaded once into
 * .loopline/isolation-<n>), bench:ingest's clients send while a small query runs in a loop, first alone
 * and then beside heavy queries in a loop (a breakdown on span id with P99 and HEATMAP over the week).
 * Prints, for both phases of the one run, the ingest acknowledgement p50/p99 and the small query's
 * p50/p95, against the targets (ack p99 < 1 s, small-query p95 < 500 ms while the heavy queries run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fmt, loadDemoSpans, quantile, ROOT, startServe } from './bench-support.ts';
import { encodeDemoBodies, OtlpPoster } from './otlp-client.ts';

const STORE_SPANS = Number(process.env.BENCH_STORE_SPANS ?? 2_000_000);
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const HEAVY_LOOPS = Number(process.env.BENCH_HEAVY ?? 2);
/** ingest paced to this rate (a busy team's line, well under the server's capacity) */
const INGEST_RATE = Number(process.env.BENCH_INGEST_RATE ?? 20_000);
const DATA = path.join(ROOT, '.loopline', `isolation-${STORE_SPANS}`);
const MARKER = path.join(DATA, 'bench.json');

const WEEK = { time_range: 8 * 86400 };
const HEAVY = {
  ...WEEK,
  calculations: [
    { op: 'P99', column: 'duration_ms' },
    { op: 'HEATMAP', column: 'duration_ms' },
  ],
  breakdowns: ['span_id'],
  orders: [{ op: 'P99', column: 'duration_ms', order: 'descending' }],
  limit: 10_000,
};
const SMALL = {
  time_range: 3600,
  calculations: [{ op: 'COUNT' }],
  breakdowns: ['gen_ai.request.model'],
  filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'chat' }],
};

interface Phase {
  acks: number[];
  small: number[];
  heavy: { ok: number; failed: Map<string, number>; times: number[] };
  spans: number;
}

async function query(url: string, spec: object): Promise<{ ms: number; status: number; code?: string }> {
  const started = performance.now();
  const response = await fetch(`${url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const code = response.ok ? undefined : (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  return { ms, status: response.status, code };
}

async function runPhase(url: string, bodies: Uint8Array[], heavyLoops: number): Promise<Phase> {
  const phase: Phase = { acks: [], small: [], heavy: { ok: 0, failed: new Map(), times: [] }, spans: 0 };
  const until = performance.now() + PHASE_SECONDS * 1000;
  const running = (): boolean => performance.now() < until;
  const poster = new OtlpPoster(new URL(url), CLIENTS);
  const spansPerBody = 1000;
  const bodiesPerSecond = INGEST_RATE / spansPerBody;
  let next = 0;
  const started = performance.now();
  const client = async (): Promise<void> => {
    while (running()) {
      // paced: body k is due at k / rate seconds after the start
      const due = started + (next / bodiesPerSecond) * 1000;
      const body = bodies[next++ % bodies.length] as Uint8Array;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      const sent = performance.now();
      await poster.post(body);
      phase.acks.push(performance.now() - sent);
      phase.spans += spansPerBody;
    }
  };
  const small = async (): Promise<void> => {
    while (running()) {
      const answer = await query(url, SMALL);
      if (answer.status === 200) phase.small.push(answer.ms);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const heavy = async (): Promise<void> => {
    while (running()) {
      const answer = await query(url, HEAVY);
      if (answer.status === 200) {
        phase.heavy.ok++;
        phase.heavy.times.push(answer.ms);
      } else {
        const key = answer.code ?? String(answer.status);
        phase.heavy.failed.set(key, (phase.heavy.failed.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all([
    ...Array.from({ length: CLIENTS }, client),
    small(),
    ...Array.from({ length: heavyLoops }, heavy),
  ]);
  poster.close();
  return phase;
}

function report(label: string, phase: Phase): string[] {
  const ms = (values: number[], q: number): string => `${quantile(values, q).toFixed(0).padStart(5)} ms`;
  const failed = [...phase.heavy.failed].map(([code, n]) => `${code} ${n}`).join(', ');
  return [
    `  ${label}`,
    `    ingest acknowledgements  ${fmt(phase.acks.length)} requests (${fmt(phase.spans / PHASE_SECONDS)} spans/s)  p50 ${ms(phase.acks, 0.5)}  p99 ${ms(phase.acks, 0.99)}  max ${ms(phase.acks, 1)}`,
    `    small query              ${fmt(phase.small.length)} runs  p50 ${ms(phase.small, 0.5)}  p95 ${ms(phase.small, 0.95)}`,
    ...(phase.heavy.ok + phase.heavy.failed.size > 0
      ? [
          `    heavy queries            ${phase.heavy.ok} answered (p50 ${ms(phase.heavy.times, 0.5)})${failed ? `, ${failed}` : ''}`,
        ]
      : []),
  ];
}

async function main(): Promise<void> {
  const fresh = !fs.existsSync(MARKER);
  const server = await startServe(['--data-dir', DATA]);
  try {
    if (fresh) {
      process.stdout.write(`bench:isolation — loading ${fmt(STORE_SPANS)} demo spans once into ${DATA}…\n`);
      loadDemoSpans(server.url, STORE_SPANS, Date.now());
      fs.writeFileSync(MARKER, JSON.stringify({ spans: STORE_SPANS }));
    }
    process.stdout.write('bench:isolation — encoding ingest bodies…\n');
    const { bodies } = encodeDemoBodies(Math.max(100_000, INGEST_RATE * 3), 1000);
    process.stdout.write(
      `bench:isolation — ${PHASE_SECONDS} s of ingest at ${fmt(INGEST_RATE)} spans/s from ${CLIENTS} clients and a small query every 100 ms, alone, then beside ${HEAVY_LOOPS} heavy queries in a loop…\n`,
    );
    const quiet = await runPhase(server.url, bodies, 0);
    const busy = await runPhase(server.url, bodies, HEAVY_LOOPS);
    const ackP99 = quantile(busy.acks, 0.99);
    const smallP95 = quantile(busy.small, 0.95);
    const lines = [
      ...report('without heavy queries', quiet),
      ...report(`with ${HEAVY_LOOPS} heavy queries in a loop`, busy),
      `  targets with heavy queries: ack p99 < 1000 ms: ${ackP99 < 1000 ? 'met' : 'MISSED'} (${ackP99.toFixed(0)} ms); small-query p95 < 500 ms: ${smallP95 < 500 ? 'met' : 'MISSED'} (${smallP95.toFixed(0)} ms)`,
    ];
    for (const line of lines) process.stdout.write(`${line}\n`);
  } finally {
    await server.stop();
  }
}

await main();
