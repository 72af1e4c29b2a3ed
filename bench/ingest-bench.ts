/**
 * npm run bench:ingest — replays pre-encoded OTLP protobuf bodies from concurrent loopback clients
 * against `loopline serve` (its own process, DuckDB on disk) and prints sustained spans/s, the server's
 * CPU, its longest event-loop stall, and, in the same run, the raw DuckDB column-batch append rate for
 * the same rows. With `--flood`, 32 clients send ~60 MB bodies instead and it prints the server's peak RSS.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { bundledPriceTable, normalizeSpans } from '@loopline/model';
import { decodeTracesProto, encodeTracesProto, measureTraceDecodeRate } from '@loopline/otlp';
import { type ColumnBatch, DuckDbStorage, toColumnBatch } from '@loopline/server';
import { cpuSeconds, fmt, startServe } from './bench-support.ts';
import { encodeDemoBodies, OtlpPoster } from './otlp-client.ts';

const SPANS = Number(process.env.BENCH_SPANS ?? 400_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);

async function replay(url: string, bodies: Uint8Array[]): Promise<void> {
  const poster = new OtlpPoster(new URL(url), CLIENTS);
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < bodies.length) await poster.post(bodies[next++] as Uint8Array);
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  poster.close();
}

async function rawAppendRate(bodies: Uint8Array[]): Promise<number> {
  const prices = bundledPriceTable();
  const batches: ColumnBatch[] = bodies.map((body) =>
    toColumnBatch('spans', normalizeSpans(decodeTracesProto(body), { prices, captureContent: false }).rows),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopline-raw-'));
  const storage = await DuckDbStorage.open({ dataDir: dir });
  const rows = batches.reduce((n, b) => n + b.rowCount, 0);
  const started = performance.now();
  for (let i = 0; i < batches.length; i += 16) await storage.append(batches.slice(i, i + 16));
  const seconds = (performance.now() - started) / 1000;
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows / seconds;
}

/** Our hand-written decoder against protobufjs (OTel JS's generated code) on the same bytes. */
function decoderRates(): { ours: number; reference: number } {
  const generated = createRequire(import.meta.url)('otlp-proto-reference/build/src/generated/root.js') as {
    opentelemetry: {
      proto: {
        collector: { trace: { v1: { ExportTraceServiceRequest: { decode(b: Uint8Array): unknown } } } };
      };
    };
  };
  const request = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  const ours = measureTraceDecodeRate({ durationMs: 1500 }).spansPerSecond;
  const reference = measureTraceDecodeRate({
    durationMs: 1500,
    decode: (b) => request.decode(b),
  }).spansPerSecond;
  return { ours, reference };
}

/** peak resident memory (VmHWM) and current (VmRSS) of a process, in bytes, from /proc */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number =>
    Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

/** One OTLP request of about `mb` MB: spans each carrying a 64 KiB attribute (not content: it is stored). */
function bigBody(mb: number): Uint8Array {
  const filler = 'x'.repeat(64 * 1024);
  const count = Math.floor((mb * 1e6) / (filler.length + 200));
  const now = Date.now() * 1000;
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: 'flood',
    kind: 1,
    startUs: now + i,
    endUs: now + i + 1000,
    attributes: { payload: filler },
    droppedAttributesCount: 0,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
  }));
  return encodeTracesProto([
    {
      resource: { attributes: { 'service.name': 'flood' }, droppedAttributesCount: 0 },
      scopeSpans: [{ scope: { name: 'bench', version: '1', attributes: {} }, spans }],
    },
  ]);
}

interface FloodOutcome {
  statuses: Map<string, number>;
  peak: number;
  after: number;
  alive: boolean;
}

/** `clients` clients post `body` for `seconds` s at a server started with `args`; its memory meanwhile. */
async function floodOnce(
  args: string[],
  body: Uint8Array,
  clients: number,
  seconds: number,
): Promise<FloodOutcome> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopline-bench-flood-'));
  const server = await startServe(['--data-dir', dataDir, ...args]);
  const pid = server.child.pid as number;
  const poster = new OtlpPoster(new URL(server.url), clients);
  const statuses = new Map<string, number>();
  let peakSampled = 0;
  const sampler = setInterval(() => {
    peakSampled = Math.max(peakSampled, memoryOf(pid).now);
  }, 50);
  const until = performance.now() + seconds * 1000;
  const client = async (): Promise<void> => {
    while (performance.now() < until) {
      const status = await poster.postOnce(body).then(String, (error: Error) => error.message);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== '200') await new Promise((r) => setTimeout(r, 200));
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  clearInterval(sampler);
  const memory = memoryOf(pid);
  const alive = (await fetch(`${server.url}/api/health`)).status === 200;
  poster.close();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { statuses, peak: Math.max(memory.peak, peakSampled), after: memory.now, alive };
}

/**
 * `bench:ingest --flood`: 32 clients send ~60 MB bodies for 20 s at a server sized as in a 2 GB container
 * (DuckDB 800 MiB, 256 MiB of request bodies in flight), then, in the same run, at one without those
 * bounds (no body budget, DuckDB's own 80 % of RAM, as before); prints the server's peak RSS for both.
 */
async function flood(): Promise<void> {
  const clients = Number(process.env.BENCH_FLOOD_CLIENTS ?? 32);
  const mb = Number(process.env.BENCH_FLOOD_MB ?? 60);
  const seconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 20);
  const body = bigBody(mb);
  process.stdout.write(
    `bench:ingest --flood — ${clients} clients sending ${(body.byteLength / 1e6).toFixed(0)} MB bodies for ${seconds} s, bounded then unbounded…\n`,
  );
  const bounded = await floodOnce(
    ['--memory-limit', '800MiB', '--max-inflight-bytes', '256MiB'],
    body,
    clients,
    seconds,
  );
  const totalMemory = `${Math.floor((os.totalmem() * 0.8) / 2 ** 20)}MiB`;
  const unbounded = await floodOnce(
    ['--memory-limit', totalMemory, '--max-inflight-bytes', '64GiB'],
    body,
    clients,
    seconds,
  );
  const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MiB`;
  const answers = (o: FloodOutcome): string =>
    [...o.statuses].map(([status, n]) => `${status}: ${fmt(n)}`).join(', ');
  const lines: [string, string][] = [
    ['bounded (2 GB container sizing)', 'DuckDB --memory-limit 800MiB, --max-inflight-bytes 256MiB'],
    ['  answers', answers(bounded)],
    ['  server peak RSS (VmHWM)', mib(bounded.peak)],
    ['  server RSS after the flood', mib(bounded.after)],
    ['  target: peak under 2,048 MiB', bounded.peak < 2 * 2 ** 30 ? 'met' : 'MISSED'],
    ['  server still answering', bounded.alive ? 'yes' : 'NO'],
    ['unbounded (as before)', `DuckDB --memory-limit ${totalMemory} (80 % of RAM), no body budget`],
    ['  answers', answers(unbounded)],
    ['  server peak RSS (VmHWM)', mib(unbounded.peak)],
    ['  server RSS after the flood', mib(unbounded.after)],
    ['bounded / unbounded peak', `${((bounded.peak / unbounded.peak) * 100).toFixed(0)} %`],
  ];
  for (const [label, value] of lines) process.stdout.write(`  ${label.padEnd(34)} ${value}\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--flood')) return flood();
  process.stdout.write(
    `bench:ingest — encoding ${fmt(SPANS)} demo spans into ~${BATCH}-span OTLP protobuf bodies…\n`,
  );
  const { bodies, spans } = encodeDemoBodies(SPANS, BATCH);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopline-bench-ingest-'));
  const server = await startServe(['--data-dir', dataDir]);
  const pid = server.child.pid as number;
  const warm = Math.max(1, Math.floor(bodies.length / 20));
  await replay(server.url, bodies.slice(0, warm));
  await fetch(`${server.url}/api/health?reset_stalls=true`);
  const cpuBefore = cpuSeconds(pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  await replay(server.url, bodies.slice(warm));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;
  const clientUsage = process.cpuUsage(clientBefore);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
    eventLoop: { maxStallMs: number };
  };
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const measuredSpans = Math.round((spans * (bodies.length - warm)) / bodies.length);
  const rate = measuredSpans / seconds;
  process.stdout.write('bench:ingest — measuring the raw DuckDB column-batch append of the same rows…\n');
  // best of three: the fairest (highest) raw rate makes the ratio conservative
  const decoders = decoderRates();
  const raw = Math.max(await rawAppendRate(bodies), await rawAppendRate(bodies), await rawAppendRate(bodies));
  const lines: [string, string][] = [
    ['spans sent (after warm-up)', fmt(measuredSpans)],
    ['concurrent clients', String(CLIENTS)],
    ['sustained ingest', `${fmt(rate)} spans/s (normalisation + cost on)`],
    ['server CPU', `${(cpu / seconds).toFixed(2)} cores of ${os.cpus().length}`],
    ['client CPU (this process)', `${(clientCpu / seconds).toFixed(2)} cores`],
    ['longest event-loop stall', `${health.eventLoop.maxStallMs} ms`],
    ['raw DuckDB DataChunk append', `${fmt(raw)} rows/s (best of 3, same rows, 16 batches a commit)`],
    [
      'OTLP protobuf decode',
      `${fmt(decoders.ours)} spans/s vs protobufjs ${fmt(decoders.reference)} (same bytes, ${(decoders.ours / decoders.reference).toFixed(1)}×)`,
    ],
    ['ingest / raw append', `${((rate / raw) * 100).toFixed(0)} %`],
  ];
  for (const [label, value] of lines) process.stdout.write(`  ${label.padEnd(30)} ${value}\n`);
}

await main();
