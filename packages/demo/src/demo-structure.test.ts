import type { RawSpan } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES } from './dataset-catalogue.ts';
import { collectDemo, percent, TEST_END_MS } from './demo-test-fixture.ts';

const CLOCK_TOLERANCE_US = 1000;
const demo = collectDemo({ spans: 20_000, seed: 7 });

function spansByTrace(): Map<string, Map<string, RawSpan>> {
  const traces = new Map<string, Map<string, RawSpan>>();
  for (const { span } of demo.spans) {
    const trace = traces.get(span.traceId) ?? new Map<string, RawSpan>();
    trace.set(span.spanId, span);
    traces.set(span.traceId, trace);
  }
  return traces;
}

describe('demo structure', () => {
  it('fills every dataset, even in a small run', () => {
    for (const size of [2_000, 20_000]) {
      const datasets = new Set(collectDemo({ spans: size, seed: 7 }).spans.map((s) => s.dataset));
      expect([...datasets].sort()).toEqual([...DATASET_NAMES].sort());
    }
  });

  it('uses W3C-shaped ids, unique span ids and integer microsecond times', () => {
    const spans = demo.spans.map(({ span }) => span);
    expect(spans.filter((span) => !/^[0-9a-f]{32}$/.test(span.traceId))).toEqual([]);
    expect(spans.filter((span) => !/^[0-9a-f]{16}$/.test(span.spanId))).toEqual([]);
    expect(spans.filter((span) => !Number.isInteger(span.startUs) || !Number.isInteger(span.endUs))).toEqual(
      [],
    );
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length);
  });

  it('gives every span a parent in its own trace whose time range holds it', () => {
    const traces = spansByTrace();
    const orphans: string[] = [];
    const outside: string[] = [];
    const backwards: string[] = [];
    for (const { span } of demo.spans) {
      if (span.endUs < span.startUs) backwards.push(span.name);
      if (span.parentSpanId === '') continue;
      const parent = traces.get(span.traceId)?.get(span.parentSpanId);
      if (parent === undefined) orphans.push(span.name);
      else if (
        span.startUs < parent.startUs - CLOCK_TOLERANCE_US ||
        span.endUs > parent.endUs + CLOCK_TOLERANCE_US
      ) {
        outside.push(`${span.name} under ${parent.name}`);
      }
    }
    expect(backwards).toEqual([]);
    expect(orphans).toEqual([]);
    expect(outside).toEqual([]);
  });

  it('keeps every signal inside the window', () => {
    const startUs = (TEST_END_MS - 7 * 86_400_000) * 1000;
    const endUs = TEST_END_MS * 1000;
    const spanTimes = demo.spans.flatMap(({ span }) => [span.startUs, span.endUs]);
    const otherTimes = [
      ...demo.logs.map(({ log }) => log.timeUs),
      ...demo.points.map(({ point }) => point.timeUs),
    ];
    const times = [...spanTimes, ...otherTimes];
    expect(times.filter((t) => t < startUs || t > endUs)).toEqual([]);
  });

  it('writes chat spans by the gen_ai conventions, input tokens inclusive of cache', () => {
    const chats = demo.spans.filter(({ span }) => span.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.length).toBeGreaterThan(1000);
    const malformed = chats.filter(({ span }) => {
      const a = span.attributes;
      const named = span.kind === 3 && span.name === `chat ${a['gen_ai.request.model']}`;
      const described =
        typeof a['gen_ai.provider.name'] === 'string' && typeof a['gen_ai.response.model'] === 'string';
      return !named || !described;
    });
    expect(malformed).toEqual([]);
    const badUsage = chats.filter(({ span }) => {
      const a = span.attributes;
      if (span.statusCode === 2) return false;
      const cached =
        Number(a['gen_ai.usage.cache_read.input_tokens']) +
        Number(a['gen_ai.usage.cache_creation.input_tokens'] ?? 0);
      const reasoning = Number(a['gen_ai.usage.reasoning.output_tokens'] ?? 0);
      return (
        Number(a['gen_ai.usage.input_tokens']) < cached ||
        reasoning > Number(a['gen_ai.usage.output_tokens']) ||
        !(Number(a['gen_ai.response.time_to_first_chunk']) > 0)
      );
    });
    expect(badUsage).toEqual([]);
  });

  it('names every tool call and gives it a call id', () => {
    const tools = demo.spans.filter(
      ({ span }) => span.attributes['gen_ai.operation.name'] === 'execute_tool',
    );
    const malformed = tools.filter(({ span }) => {
      const named = span.name === `execute_tool ${span.attributes['gen_ai.tool.name']}`;
      return (
        !named || !/^(toolu_01|call_)[0-9A-Za-z]{22}$/.test(String(span.attributes['gen_ai.tool.call.id']))
      );
    });
    expect(tools.length).toBeGreaterThan(1000);
    expect(malformed).toEqual([]);
  });

  it('fails about 2 % of spans, each with an error.type', () => {
    const errors = demo.spans.filter(({ span }) => span.statusCode === 2);
    expect(percent(errors.length, demo.spans.length)).toBeGreaterThan(1);
    expect(percent(errors.length, demo.spans.length)).toBeLessThan(4);
    expect(errors.filter(({ span }) => typeof span.attributes['error.type'] !== 'string')).toEqual([]);
  });

  it('never records prompt or completion bodies', () => {
    const forbidden =
      /^(gen_ai\.(input|output)\.messages|gen_ai\.system_instructions|gen_ai\.prompt|gen_ai\.completion|prompt|response)$/;
    const keys = new Set<string>();
    for (const { span } of demo.spans) for (const key of Object.keys(span.attributes)) keys.add(key);
    for (const { log } of demo.logs) for (const key of Object.keys(log.attributes)) keys.add(key);
    expect([...keys].filter((key) => forbidden.test(key))).toEqual([]);
  });

  it('ties logs to spans that exist and keeps logs and metric points small beside the spans', () => {
    const spanIds = new Set(demo.spans.map(({ span }) => span.spanId));
    expect(demo.logs.filter(({ log }) => !spanIds.has(log.spanId))).toEqual([]);
    expect(demo.logs.length).toBeGreaterThan(0);
    expect(percent(demo.logs.length, demo.spans.length)).toBeLessThan(20);
    expect(percent(demo.points.length, demo.spans.length)).toBeLessThan(20);
  });

  it('keeps histogram points consistent: bucket counts add up to the count', () => {
    const histograms = demo.points.filter(({ metric }) => metric.type === 'histogram');
    expect(histograms.length).toBeGreaterThan(0);
    for (const { point } of histograms) {
      expect(point.bucketCounts!.reduce((a, b) => a + b, 0)).toBe(point.count);
      expect(point.bucketCounts).toHaveLength(point.explicitBounds!.length + 1);
    }
  });
});
