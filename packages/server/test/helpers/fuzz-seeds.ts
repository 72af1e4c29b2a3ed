/**
 * The valid requests the ingest fuzz test starts from, as protobuf bytes and OTLP/JSON objects: slices of
 * the demo line (gen_ai spans with tokens and cost, Claude Code's `claude_code.*` and Codex's
 * `codex.sse_event` log events, the assistants' metrics), the codec tests' random requests (odd strings,
 * extreme numbers), and one known agent trace that is never mutated, for the lookup afterwards.
 */
import { generateDemo } from '@loopline/demo';
import type { RawResourceLogs, RawResourceMetrics, RawResourceSpans } from '@loopline/model';
import {
  encodeLogsJson,
  encodeLogsProto,
  encodeMetricsJson,
  encodeMetricsProto,
  encodeTracesJson,
  encodeTracesProto,
} from '@loopline/otlp';
import { Random, randomLogs, randomMetrics, randomTraces } from '../../../otlp/test/support/random-otlp.ts';
import { resourceSpans, type SpanSpec } from './api-client.ts';

export type Signal = 'traces' | 'logs' | 'metrics';
export const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

export interface SeedRequest {
  signal: Signal;
  label: string;
  proto: Uint8Array;
  json: object;
}

/** The demo's window ends here (a fixed instant, so runs are repeatable). */
export const DEMO_END_MS = Date.UTC(2026, 10, 20, 12, 0, 0);

function traces(label: string, items: RawResourceSpans[]): SeedRequest {
  return { signal: 'traces', label, proto: encodeTracesProto(items), json: encodeTracesJson(items) };
}
function logs(label: string, items: RawResourceLogs[]): SeedRequest {
  return { signal: 'logs', label, proto: encodeLogsProto(items), json: encodeLogsJson(items) };
}
function metrics(label: string, items: RawResourceMetrics[]): SeedRequest {
  return { signal: 'metrics', label, proto: encodeMetricsProto(items), json: encodeMetricsJson(items) };
}

/** A day of the demo line in batches of 20 spans, with the logs and metrics that come with them. */
export function demoSeeds(): SeedRequest[] {
  const seeds: SeedRequest[] = [];
  const batches = generateDemo({ seed: 7, spans: 600, batchSpans: 20, endTimeMs: DEMO_END_MS, days: 1 });
  for (const [i, batch] of [...batches].entries()) {
    seeds.push(traces(`demo traces #${i}`, batch.resourceSpans));
    if (batch.resourceLogs.length > 0) seeds.push(logs(`demo logs #${i}`, batch.resourceLogs));
    if (batch.resourceMetrics.length > 0) seeds.push(metrics(`demo metrics #${i}`, batch.resourceMetrics));
  }
  return seeds;
}

/** The codec tests' random requests: every attribute type, unicode, extreme int64s and doubles. */
export function randomSeeds(count: number): SeedRequest[] {
  const rnd = new Random(1234);
  const seeds: SeedRequest[] = [];
  for (let i = 0; i < count; i++) {
    seeds.push(traces(`random traces #${i}`, randomTraces(rnd)));
    seeds.push(logs(`random logs #${i}`, randomLogs(rnd)));
    seeds.push(metrics(`random metrics #${i}`, randomMetrics(rnd)));
  }
  return seeds;
}

export const KNOWN_TRACE_ID = 'f022'.repeat(8);
export const KNOWN_DATASET = 'fuzz-known-agent';
const KNOWN_START_MS = DEMO_END_MS - 3_600_000;

/** An agent run: the agent span, two model calls with tokens, a tool call in between. */
export const KNOWN_SPANS: readonly SpanSpec[] = [
  {
    traceId: KNOWN_TRACE_ID,
    spanId: 'a1'.repeat(8),
    name: 'invoke_agent fuzz-agent',
    startMs: KNOWN_START_MS,
    durationMs: 9000,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'fuzz-agent',
      'gen_ai.conversation.id': 'fuzz-conversation-1',
    },
  },
  ...[0, 1].map((n) => ({
    traceId: KNOWN_TRACE_ID,
    spanId: `b${n}`.repeat(8),
    parentSpanId: 'a1'.repeat(8),
    name: 'chat claude-sonnet-4-5',
    startMs: KNOWN_START_MS + 100 + n * 5000,
    durationMs: 3000,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 1200 + n,
      'gen_ai.usage.output_tokens': 340 + n,
      'gen_ai.conversation.id': 'fuzz-conversation-1',
    },
  })),
  {
    traceId: KNOWN_TRACE_ID,
    spanId: 'c1'.repeat(8),
    parentSpanId: 'a1'.repeat(8),
    name: 'execute_tool Bash',
    startMs: KNOWN_START_MS + 3200,
    durationMs: 1500,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'Bash' },
    error: true,
  },
];

/** The known trace as an OTLP/JSON request. */
export function knownTraceSeed(): SeedRequest {
  return traces('known trace', [resourceSpans(KNOWN_DATASET, [...KNOWN_SPANS])]);
}
