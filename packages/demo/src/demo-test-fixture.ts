import type { Attributes, RawDataPoint, RawLogRecord, RawMetric, RawSpan } from '@loopline/model';
import { generateDemo } from './demo-generator.ts';
import type { DemoOptions } from './demo-options.ts';

/** A fixed window end so test runs are reproducible: Friday 2026-11-20 12:00 UTC. */
export const TEST_END_MS = Date.UTC(2026, 10, 20, 12, 0);

export interface CollectedSpan {
  readonly dataset: string;
  readonly resource: Attributes;
  readonly span: RawSpan;
}

export interface CollectedDemo {
  readonly spans: CollectedSpan[];
  readonly logs: { dataset: string; log: RawLogRecord }[];
  readonly points: { dataset: string; metric: RawMetric; point: RawDataPoint }[];
  readonly batchSizes: number[];
}

const cache = new Map<string, CollectedDemo>();

/** Runs the generator to the end and keeps everything (tests only: this holds the whole run). */
export function collectDemo(options: DemoOptions): CollectedDemo {
  const full = { endTimeMs: TEST_END_MS, ...options };
  const key = JSON.stringify(full);
  const known = cache.get(key);
  if (known !== undefined) return known;
  const demo: CollectedDemo = { spans: [], logs: [], points: [], batchSizes: [] };
  for (const batch of generateDemo(full)) {
    demo.batchSizes.push(batch.spanCount);
    for (const rs of batch.resourceSpans) {
      const dataset = String(rs.resource.attributes['service.name']);
      const resource = rs.resource.attributes;
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) demo.spans.push({ dataset, resource, span });
    }
    for (const rl of batch.resourceLogs) {
      const dataset = String(rl.resource.attributes['service.name']);
      for (const sl of rl.scopeLogs) for (const log of sl.logRecords) demo.logs.push({ dataset, log });
    }
    for (const rm of batch.resourceMetrics) {
      const dataset = String(rm.resource.attributes['service.name']);
      for (const sm of rm.scopeMetrics) {
        for (const metric of sm.metrics)
          for (const point of metric.dataPoints) demo.points.push({ dataset, metric, point });
      }
    }
  }
  cache.set(key, demo);
  return demo;
}

/** Share of `part` in `whole`, in percent. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : (part / whole) * 100;
}

/** Counts values by key. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
