import { bundledPriceTable } from '@loopline/model';
import { encodeLogsProto, encodeMetricsProto, encodeTracesProto } from '@loopline/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRecord, logs, metric, metrics, point } from '../../model/test/raw-builders.ts';
import { IngestService } from '../src/ingest/ingest-service.ts';
import type { ColumnBatch, Storage } from '../src/storage/storage.ts';
import { resourceSpans, type SpanSpec } from './helpers/api-client.ts';
import { startTestServer, type TestServer, tempDir } from './helpers/test-server.ts';

/**
 * A span sent again (an exporter's retry after a lost answer, a hook's resent spool) is received but not
 * stored twice, so its tokens and cost count once.
 */
let server: TestServer;
const NOW_MS = Date.now() - 60_000;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function chat(trace: number, i: number): SpanSpec {
  return {
    traceId: hex(0xd0000 + trace, 32),
    spanId: hex(trace * 1000 + i + 1, 16),
    name: 'chat claude-sonnet-4-5',
    startMs: NOW_MS + i,
    durationMs: 100,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 1000 + i,
      'gen_ai.usage.output_tokens': 10,
    },
  };
}

async function post(spans: SpanSpec[]): Promise<{ status: number; body: Uint8Array }> {
  const response = await fetch(`${server.httpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: encodeTracesProto([resourceSpans('agent', spans)]),
  });
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
}

async function stored(trace: number): Promise<{ count: number; input: number }> {
  const result = await server.query({
    calculations: [{ op: 'COUNT' }, { op: 'SUM', column: 'gen_ai.usage.input_tokens' }],
    filters: [{ column: 'trace.trace_id', op: '=', value: hex(0xd0000 + trace, 32) }],
    start_time: Math.floor(NOW_MS / 1000) - 3600,
    end_time: Math.floor(NOW_MS / 1000) + 3600,
  });
  const [count, input] = Object.values(result.totals);
  return { count: Number(count), input: Number(input ?? 0) };
}

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
});
afterAll(async () => {
  await server?.close();
});

describe('a span sent again is stored once', () => {
  it('the same request twice (a retry): both answered 200 with nothing rejected, the spans stored once', async () => {
    const spans = Array.from({ length: 50 }, (_, i) => chat(1, i));
    const first = await post(spans);
    const second = await post(spans);
    // 200 with an empty ExportTraceServiceResponse: no partial success, nothing for the sender to retry
    expect([first.status, first.body.length, second.status, second.body.length]).toEqual([200, 0, 200, 0]);
    const sum = spans.reduce((n, s) => n + Number(s.attributes?.['gen_ai.usage.input_tokens']), 0);
    expect(await stored(1)).toEqual({ count: 50, input: sum });
  });

  it('a span repeated inside one request, and a resend mixing old and new spans: each span once', async () => {
    const a = chat(2, 0);
    const b = chat(2, 1);
    const c = chat(2, 2);
    expect((await post([a, b, a])).status).toBe(200);
    expect((await post([b, c])).status).toBe(200);
    expect(await stored(2)).toEqual({ count: 3, input: 1000 + 1001 + 1002 });
  });

  it('the same span id in another trace, or the same ids from another service, is another span', async () => {
    const a = chat(3, 0);
    expect((await post([a, { ...a, traceId: hex(0xd0000 + 4, 32) }])).status).toBe(200);
    expect((await stored(3)).count).toBe(1);
    expect((await stored(4)).count).toBe(1);
    const other = await fetch(`${server.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeTracesProto([resourceSpans('another-service', [a])]),
    });
    expect(other.status).toBe(200);
    expect((await stored(3)).count).toBe(2);
  });
});

const NOW_US = NOW_MS * 1000;
const RANGE = { start_time: Math.floor(NOW_MS / 1000) - 3600, end_time: Math.floor(NOW_MS / 1000) + 3600 };

/** Claude Code's native events as it exports them: an api_request with its cost, a user prompt. */
function nativeEvents(session: string) {
  return logs(
    [0, 1, 2].flatMap((i) => [
      logRecord({
        timeUs: NOW_US + i * 1000,
        body: 'claude_code.user_prompt',
        attributes: { 'event.name': 'user_prompt', 'session.id': session, prompt_length: 10 + i },
      }),
      logRecord({
        timeUs: NOW_US + i * 1000 + 500,
        body: 'claude_code.api_request',
        attributes: {
          'event.name': 'api_request',
          'session.id': session,
          cost_usd: 0.25,
          model: 'claude-sonnet-4-5',
        },
      }),
    ]),
  );
}

/** A delta token counter with one point per token type, as Claude Code's native metrics send it. */
function tokenCounter(session: string, value: number, timeUs = NOW_US + 60_000_000) {
  return metrics(
    [
      metric({
        type: 'sum',
        name: 'claude_code.token.usage',
        isMonotonic: true,
        dataPoints: ['input', 'output'].map((type, i) =>
          point({
            startUs: NOW_US,
            timeUs,
            value: value * (i + 1),
            attributes: { 'session.id': session, type },
          }),
        ),
      }),
    ],
    { 'service.name': 'claude-code' },
  );
}

/** Codex's `response.completed` event: the server derives a chat span from it. */
function codexCompleted(session: string, input: number) {
  return logs(
    [
      logRecord({
        timeUs: NOW_US + input,
        attributes: {
          'event.name': 'codex.sse_event',
          'event.kind': 'response.completed',
          input_token_count: input,
          output_token_count: 40,
          'event.timestamp': new Date(NOW_MS + input).toISOString(),
          'conversation.id': session,
          model: 'gpt-5',
        },
      }),
    ],
    { 'service.name': 'codex_exec', 'service.version': '0.169.0' },
    'codex_otel',
  );
}

async function postOtlp(url: string, signal: 'logs' | 'metrics', body: Uint8Array): Promise<number> {
  const response = await fetch(`${url}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** The same request sent twice, as a retry after a lost answer: both statuses. */
async function postTwice(signal: 'logs' | 'metrics', body: Uint8Array): Promise<number[]> {
  return [await postOtlp(server.httpUrl, signal, body), await postOtlp(server.httpUrl, signal, body)];
}

async function total(target: TestServer, spec: object): Promise<number[]> {
  const result = await target.query({ ...RANGE, ...spec });
  return Object.values(result.totals).map(Number);
}

describe('a log record or metric point sent again is stored once', () => {
  it('the same logs request twice: each event once, their reported cost once', async () => {
    const body = encodeLogsProto(nativeEvents('dup-logs-1'));
    expect(await postTwice('logs', body)).toEqual([200, 200]);
    const session = { column: 'session.id', op: '=', value: 'dup-logs-1' };
    expect(
      await total(server, { source: 'logs', filters: [session], calculations: [{ op: 'COUNT' }] }),
    ).toEqual([6]);
    const [cost] = await total(server, {
      source: 'logs',
      filters: [session, { column: 'event.name', op: '=', value: 'claude_code.api_request' }],
      calculations: [{ op: 'SUM', column: 'cost_usd' }],
    });
    expect(cost).toBeCloseTo(0.75, 9);
  });

  it('a record that differs in anything (here its body) is another record', async () => {
    const first = nativeEvents('dup-logs-2');
    const second = nativeEvents('dup-logs-2');
    const record = second[0]?.scopeLogs[0]?.logRecords[0];
    if (record) record.body = 'claude_code.user_prompt (edited)';
    await postOtlp(server.httpUrl, 'logs', encodeLogsProto(first));
    await postOtlp(server.httpUrl, 'logs', encodeLogsProto(second));
    const session = { column: 'session.id', op: '=', value: 'dup-logs-2' };
    expect(
      await total(server, { source: 'logs', filters: [session], calculations: [{ op: 'COUNT' }] }),
    ).toEqual([7]);
  });

  it('the same metrics request twice: a delta counter sums once; a later point still adds', async () => {
    const body = encodeMetricsProto(tokenCounter('dup-metrics-1', 100));
    expect(await postTwice('metrics', body)).toEqual([200, 200]);
    const spec = {
      source: 'metrics',
      filters: [
        { column: 'metric.name', op: '=', value: 'claude_code.token.usage' },
        { column: 'session.id', op: '=', value: 'dup-metrics-1' },
      ],
      calculations: [{ op: 'COUNT' }, { op: 'SUM', column: 'value' }],
    };
    expect(await total(server, spec)).toEqual([2, 300]);
    await postOtlp(
      server.httpUrl,
      'metrics',
      encodeMetricsProto(tokenCounter('dup-metrics-1', 100, NOW_US + 120_000_000)),
    );
    expect(await total(server, spec)).toEqual([4, 600]);
  });

  it("Codex's events sent twice: the events and the chat spans derived from them, once each", async () => {
    const body = encodeLogsProto(codexCompleted('dup-codex-1', 1001));
    expect(await postTwice('logs', body)).toEqual([200, 200]);
    const conversation = { column: 'gen_ai.conversation.id', op: '=', value: 'dup-codex-1' };
    expect(
      await total(server, {
        filters: [conversation],
        calculations: [{ op: 'COUNT' }, { op: 'SUM', column: 'gen_ai.usage.input_tokens' }],
      }),
    ).toEqual([1, 1001]);
    expect(
      await total(server, {
        source: 'logs',
        filters: [
          { column: 'event.name', op: '=', value: 'codex.sse_event' },
          { column: 'conversation.id', op: '=', value: 'dup-codex-1' },
        ],
        calculations: [{ op: 'COUNT' }],
      }),
    ).toEqual([1]);
  });
});

describe('across a restart', () => {
  it('requests (spans, logs, metrics) stored just before the server stopped, sent again after it started, are stored once', async () => {
    const dataDir = tempDir('duplicates-restart');
    const spans = Array.from({ length: 20 }, (_, i) => chat(7, i));
    const body = encodeTracesProto([resourceSpans('agent', spans)]);
    const send = async (url: string) =>
      (
        await fetch(`${url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body,
        })
      ).status;
    const logsBody = encodeLogsProto(nativeEvents('dup-restart'));
    const metricsBody = encodeMetricsProto(tokenCounter('dup-restart', 7));
    const sendAll = async (url: string) => [
      await send(url),
      await postOtlp(url, 'logs', logsBody),
      await postOtlp(url, 'metrics', metricsBody),
    ];
    const first = await startTestServer({ dataDir, grpcPort: null });
    expect(await sendAll(first.httpUrl)).toEqual([200, 200, 200]);
    await first.close();
    const second = await startTestServer({ dataDir, grpcPort: null });
    try {
      expect(await sendAll(second.httpUrl)).toEqual([200, 200, 200]);
      const session = { column: 'session.id', op: '=', value: 'dup-restart' };
      expect(
        await total(second, { source: 'logs', filters: [session], calculations: [{ op: 'COUNT' }] }),
      ).toEqual([6]);
      expect(
        await total(second, {
          source: 'metrics',
          filters: [session],
          calculations: [{ op: 'SUM', column: 'value' }],
        }),
      ).toEqual([21]);
      const result = await second.query({
        calculations: [{ op: 'COUNT' }],
        filters: [{ column: 'trace.trace_id', op: '=', value: hex(0xd0000 + 7, 32) }],
        start_time: Math.floor(NOW_MS / 1000) - 3600,
        end_time: Math.floor(NOW_MS / 1000) + 3600,
      });
      expect(Object.values(result.totals)).toEqual([20]);
    } finally {
      await second.close();
    }
  });
});

describe('when the write of the first copy fails', () => {
  /** A store whose first append fails, as a full disk would. */
  function flakyStore(): Storage & { appended: ColumnBatch[] } {
    let calls = 0;
    const appended: ColumnBatch[] = [];
    return {
      appended,
      async append(batches: ColumnBatch[]) {
        calls++;
        if (calls === 1) throw new Error('disk full');
        appended.push(...batches);
      },
      query: async () => [],
      checkpoint: async () => undefined,
      stats: () => ({ pendingRows: 0, appendedRows: 0 }),
      close: async () => undefined,
    };
  }

  it('the retry is stored (the failed copy does not count as stored)', async () => {
    const storage = flakyStore();
    const ingest = new IngestService({
      storage,
      prices: bundledPriceTable(),
      captureContent: false,
      maxPendingRows: 1000,
    });
    const request = { traces: [resourceSpans('agent', [chat(5, 0), chat(5, 1)])] };
    await expect(ingest.ingest('traces', request)).rejects.toThrow('disk full');
    const retry = await ingest.ingest('traces', request);
    expect(retry.accepted).toBe(2);
    expect(storage.appended.map((batch) => batch.rowCount)).toEqual([2]);
    // and once stored, a third copy is not
    await ingest.ingest('traces', request);
    expect(storage.appended.map((batch) => batch.rowCount)).toEqual([2]);
  });

  /**
   * An ingest service over a store whose first append hangs until `fail` is called; later appends are
   * recorded as `{table, rows}` per batch.
   */
  function firstWritePending() {
    let fail: (error: Error) => void = () => undefined;
    const appended: { table: string; rows: number }[] = [];
    let calls = 0;
    const storage: Storage = {
      append: (batches: ColumnBatch[]) => {
        calls++;
        if (calls === 1) return new Promise<void>((_, reject) => (fail = reject));
        appended.push(...batches.map((batch) => ({ table: batch.table, rows: batch.rowCount })));
        return Promise.resolve();
      },
      query: async () => [],
      checkpoint: async () => undefined,
      stats: () => ({ pendingRows: 0, appendedRows: 0 }),
      close: async () => undefined,
    };
    const ingest = new IngestService({
      storage,
      prices: bundledPriceTable(),
      captureContent: false,
      maxPendingRows: 1000,
    });
    return { ingest, appended, fail: (error: Error) => fail(error) };
  }

  it('a copy that arrives while the first is still being written waits for it, and is stored if it failed', async () => {
    const { ingest, appended, fail } = firstWritePending();
    const request = { traces: [resourceSpans('agent', [chat(6, 0), chat(6, 1), chat(6, 2)])] };
    const first = ingest.ingest('traces', request);
    const second = ingest.ingest('traces', request);
    fail(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    expect((await second).accepted).toBe(3);
    expect(appended).toEqual([{ table: 'spans', rows: 3 }]);
  });

  it('so do the spans derived from log events: a copy waits for the first write, and is stored if it failed', async () => {
    const { ingest, appended, fail } = firstWritePending();
    const request = { logs: codexCompleted('dup-codex-inflight', 2002) };
    const first = ingest.ingest('logs', request);
    const second = ingest.ingest('logs', request);
    fail(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    // one log record accepted; the log and its derived chat span stored by the second copy, once
    expect((await second).accepted).toBe(1);
    expect(appended.sort((a, b) => a.table.localeCompare(b.table))).toEqual([
      { table: 'logs', rows: 1 },
      { table: 'spans', rows: 1 },
    ]);
  });
});
