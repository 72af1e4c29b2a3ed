import type {
  Attributes,
  MetricType,
  RawDataPoint,
  RawLogRecord,
  RawMetric,
  RawResourceLogs,
  RawResourceMetrics,
  RawResourceSpans,
  RawScope,
  RawSpan,
} from '@loopline/model';

/** One lazily generated slice of the demo: exactly `batchSpans` spans except the last batch. */
export interface DemoBatch {
  resourceSpans: RawResourceSpans[];
  resourceLogs: RawResourceLogs[];
  resourceMetrics: RawResourceMetrics[];
  spanCount: number;
}

/** A metric's identity without its points. */
export interface MetricShape {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly type: MetricType;
  readonly aggregationTemporality: number;
  readonly isMonotonic: boolean;
}

interface ResourceEntry {
  readonly attributes: Attributes;
  readonly scope: RawScope;
}

interface PendingPoint {
  readonly res: number;
  readonly shape: MetricShape;
  readonly point: RawDataPoint;
}

/**
 * Buffers generated signals, remembers which resource each belongs to, and cuts them into batches.
 * Holds at most one batch plus the unit being generated, so memory stays flat however many spans
 * are asked for. A span may add attributes to its resource (a CI job's `cicd.*` and `vcs.*`): its
 * process exports with that resource, so it is batched apart from the resource's other spans.
 */
export class SignalSink {
  totalSpans = 0;
  private readonly resources: ResourceEntry[] = [];
  private readonly resourceKeys = new Map<string, number>();
  private spans: RawSpan[] = [];
  private spanRes: number[] = [];
  private spanExtra: (Attributes | undefined)[] = [];
  private logs: RawLogRecord[] = [];
  private logRes: number[] = [];
  private points: PendingPoint[] = [];
  private unitMarks = { spans: 0, logs: 0, points: 0 };

  /** The index of the resource registered under `key`, registering it on first use. */
  resource(key: string, make: () => ResourceEntry): number {
    const known = this.resourceKeys.get(key);
    if (known !== undefined) return known;
    this.resources.push(make());
    this.resourceKeys.set(key, this.resources.length - 1);
    return this.resources.length - 1;
  }

  /** Adds a span of resource `res`; `extra`, shared by every span of one process, adds to that resource. */
  addSpan(res: number, span: RawSpan, extra?: Attributes): RawSpan {
    this.spans.push(span);
    this.spanRes.push(res);
    this.spanExtra.push(extra);
    this.totalSpans++;
    return span;
  }

  addLog(res: number, log: RawLogRecord): void {
    this.logs.push(log);
    this.logRes.push(res);
  }

  addPoint(res: number, shape: MetricShape, point: RawDataPoint): void {
    this.points.push({ res, shape, point });
  }

  get pendingSpans(): number {
    return this.spans.length;
  }

  /** True while anything (spans, logs or points) waits for a batch. */
  hasPending(): boolean {
    return this.spans.length > 0 || this.logs.length > 0 || this.points.length > 0;
  }

  beginUnit(): void {
    this.unitMarks = { spans: this.spans.length, logs: this.logs.length, points: this.points.length };
  }

  /** The latest span end in the current unit. */
  unitEndUs(): number {
    let max = 0;
    for (let i = this.unitMarks.spans; i < this.spans.length; i++) {
      const end = this.spans[i]!.endUs;
      if (end > max) max = end;
    }
    return max;
  }

  /** Moves everything generated in the current unit earlier by `deltaUs`. */
  shiftUnit(deltaUs: number): void {
    for (let i = this.unitMarks.spans; i < this.spans.length; i++) {
      const span = this.spans[i]!;
      span.startUs -= deltaUs;
      span.endUs -= deltaUs;
      for (const event of span.events) event.timeUs -= deltaUs;
    }
    for (let i = this.unitMarks.logs; i < this.logs.length; i++) {
      const log = this.logs[i]!;
      log.timeUs -= deltaUs;
      log.observedTimeUs -= deltaUs;
    }
    for (let i = this.unitMarks.points; i < this.points.length; i++) {
      const point = this.points[i]!.point;
      point.startUs -= deltaUs;
      point.timeUs -= deltaUs;
    }
  }

  /** Takes up to `maxSpans` spans, with every pending log and metric point. */
  takeBatch(maxSpans: number): DemoBatch {
    const count = Math.min(maxSpans, this.spans.length);
    const spans = this.spans.splice(0, count);
    const spanRes = this.spanRes.splice(0, count);
    const spanExtra = this.spanExtra.splice(0, count);
    const batch: DemoBatch = {
      resourceSpans: this.groupSpans(spans, spanRes, spanExtra),
      resourceLogs: this.groupLogs(this.logs, this.logRes),
      resourceMetrics: this.groupPoints(this.points),
      spanCount: count,
    };
    this.logs = [];
    this.logRes = [];
    this.points = [];
    this.unitMarks = { spans: this.spans.length, logs: 0, points: 0 };
    return batch;
  }

  private copyResource(
    res: number,
    extra?: Attributes,
  ): { attributes: Attributes; droppedAttributesCount: number } {
    return { attributes: { ...this.resources[res]!.attributes, ...extra }, droppedAttributesCount: 0 };
  }

  private copyScope(res: number): RawScope {
    const scope = this.resources[res]!.scope;
    return { name: scope.name, version: scope.version, attributes: {} };
  }

  /** One group per resource and extra attributes, in order of first appearance. */
  private groupSpans(
    spans: RawSpan[],
    spanRes: number[],
    spanExtra: (Attributes | undefined)[],
  ): RawResourceSpans[] {
    const groups = new Map<number, Map<Attributes | undefined, RawSpan[]>>();
    for (let i = 0; i < spans.length; i++) {
      const res = spanRes[i]!;
      const extra = spanExtra[i];
      let byExtra = groups.get(res);
      if (byExtra === undefined) {
        byExtra = new Map();
        groups.set(res, byExtra);
      }
      const group = byExtra.get(extra);
      if (group === undefined) byExtra.set(extra, [spans[i]!]);
      else group.push(spans[i]!);
    }
    return [...groups].flatMap(([res, byExtra]) =>
      [...byExtra].map(([extra, group]) => ({
        resource: this.copyResource(res, extra),
        scopeSpans: [{ scope: this.copyScope(res), spans: group }],
      })),
    );
  }

  private groupLogs(logs: RawLogRecord[], logRes: number[]): RawResourceLogs[] {
    const groups = new Map<number, RawLogRecord[]>();
    for (let i = 0; i < logs.length; i++) {
      const res = logRes[i]!;
      const group = groups.get(res);
      if (group === undefined) groups.set(res, [logs[i]!]);
      else group.push(logs[i]!);
    }
    return [...groups].map(([res, group]) => ({
      resource: this.copyResource(res),
      scopeLogs: [{ scope: this.copyScope(res), logRecords: group }],
    }));
  }

  private groupPoints(points: PendingPoint[]): RawResourceMetrics[] {
    const groups = new Map<number, Map<string, RawMetric>>();
    for (const { res, shape, point } of points) {
      const metrics = groups.get(res) ?? new Map<string, RawMetric>();
      groups.set(res, metrics);
      const metric = metrics.get(shape.name) ?? { ...shape, dataPoints: [] };
      metrics.set(shape.name, metric);
      metric.dataPoints.push(point);
    }
    return [...groups].map(([res, metrics]) => ({
      resource: this.copyResource(res),
      scopeMetrics: [{ scope: this.copyScope(res), metrics: [...metrics.values()] }],
    }));
  }
}
