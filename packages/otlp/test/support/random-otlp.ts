/**
 * Seeded random Raw* requests for the property tests: random attribute trees, unicode and empty strings,
 * big and negative int64 values, odd-length and empty ids, extreme times and counts.
 */
import type {
  Attributes,
  AttrValue,
  MetricType,
  RawDataPoint,
  RawLogRecord,
  RawMetric,
  RawResource,
  RawResourceLogs,
  RawResourceMetrics,
  RawResourceSpans,
  RawScope,
  RawSpan,
} from '@loopline/model';

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  times<T>(maxCount: number, make: () => T): T[] {
    return Array.from({ length: this.int(maxCount + 1) }, make);
  }
}

const WORDS = ['gen_ai.system', 'openai', 'gpt-4o', 'http.method', 'service.name', 'a', 'x.y.z', 'tool_call'];
const UNICODE = [
  'é',
  'ß',
  '日本語',
  '🌍',
  '👩‍💻',
  'e\u0301',
  '\u0000',
  '\uFEFF',
  'Ω≈ç√',
  '\u{10FFFF}',
  '\u007F',
  '\u0080',
];

export function randomString(rnd: Random): string {
  if (rnd.chance(0.1)) return '';
  if (rnd.chance(0.1)) return '\uFEFF' + rnd.pick(WORDS); // a leading BOM must survive decoding
  const parts = rnd.times(6, () => (rnd.chance(0.6) ? rnd.pick(WORDS) : rnd.pick(UNICODE)));
  if (rnd.chance(0.05)) parts.push('long-'.repeat(40 + rnd.int(200)));
  return parts.join(rnd.pick(['', ' ', '.', '/']));
}

/** Integers across the int64 range (all exactly representable doubles), plus small and negative ones. */
export function randomInt64(rnd: Random): number {
  switch (rnd.int(6)) {
    case 0:
      return rnd.int(200) - 100;
    case 1:
      return -(2 ** 63);
    case 2:
      return (rnd.chance(0.5) ? -1 : 1) * Math.floor(rnd.next() * 2 ** 53);
    case 3:
      return (rnd.chance(0.5) ? -1 : 1) * rnd.int(2 ** 20) * 2 ** (20 + rnd.int(22)); // up to 2^61
    case 4:
      return rnd.pick([2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 32 - 1, -1, 2 ** 53 + 2, -(2 ** 62)]);
    default:
      return rnd.int(100_000);
  }
}

function randomDouble(rnd: Random): number {
  const special = [NaN, Infinity, -Infinity, -0, 0.1, 1e-300, 1.7976931348623157e308, 5e-324];
  if (rnd.chance(0.2)) return rnd.pick(special);
  return (rnd.next() - 0.5) * 10 ** rnd.int(12) + 0.5; // never an integer in practice
}

export function randomAttrValue(rnd: Random, depth = 0): AttrValue {
  const kind = rnd.int(depth >= 3 ? 5 : 7);
  if (kind === 0) return randomString(rnd);
  if (kind === 1) return rnd.chance(0.5);
  if (kind === 2) return randomInt64(rnd);
  if (kind === 3) {
    const d = randomDouble(rnd);
    return Number.isInteger(d) && !Object.is(d, -0) ? d + 0.5 : d;
  }
  if (kind === 4) return rnd.chance(0.5) ? null : randomString(rnd);
  if (kind === 5) return rnd.times(4, () => randomAttrValue(rnd, depth + 1));
  return randomAttributes(rnd, 4, depth + 1);
}

export function randomAttributes(rnd: Random, max: number, depth = 0): Attributes {
  const out: Attributes = {};
  const count = rnd.int(max + 1);
  for (let i = 0; i < count; i++) out[`${randomString(rnd)}#${i}`] = randomAttrValue(rnd, depth);
  return out;
}

/** Hex ids: usually 16 or 8 bytes, sometimes empty or an odd number of bytes. */
function randomId(rnd: Random, bytes: number): string {
  if (rnd.chance(0.1)) return '';
  const length = rnd.chance(0.1) ? rnd.int(20) : bytes;
  return Array.from({ length }, () => rnd.int(256).toString(16).padStart(2, '0')).join('');
}

/** Integer microseconds up to 2^52 (year 2112), with edges. */
function randomTimeUs(rnd: Random): number {
  if (rnd.chance(0.1)) return rnd.pick([0, 1, 999, 1000, 4294967, 4294968, 2 ** 52]);
  return 1_500_000_000_000_000 + Math.floor(rnd.next() * 2 ** 50);
}

function randomUint32(rnd: Random): number {
  return rnd.chance(0.5) ? 0 : rnd.pick([1, 255, 0x301, 2 ** 31, 2 ** 32 - 1, rnd.int(1000)]);
}

function randomEnum(rnd: Random, max: number): number {
  return rnd.chance(0.05) ? rnd.pick([-1, 1000, 2 ** 31 - 1]) : rnd.int(max + 1);
}

function randomResource(rnd: Random): RawResource {
  return { attributes: randomAttributes(rnd, 5), droppedAttributesCount: randomUint32(rnd) };
}

function randomScope(rnd: Random): RawScope {
  return { name: randomString(rnd), version: randomString(rnd), attributes: randomAttributes(rnd, 2) };
}

function randomSpan(rnd: Random): RawSpan {
  return {
    traceId: randomId(rnd, 16),
    spanId: randomId(rnd, 8),
    parentSpanId: randomId(rnd, 8),
    traceState: rnd.chance(0.2) ? 'rojo=00f067aa0ba902b7' : '',
    flags: randomUint32(rnd),
    name: randomString(rnd),
    kind: randomEnum(rnd, 5),
    startUs: randomTimeUs(rnd),
    endUs: randomTimeUs(rnd),
    attributes: randomAttributes(rnd, 12),
    droppedAttributesCount: randomUint32(rnd),
    events: rnd.times(3, () => ({
      timeUs: randomTimeUs(rnd),
      name: randomString(rnd),
      attributes: randomAttributes(rnd, 3),
    })),
    links: rnd.times(2, () => ({
      traceId: randomId(rnd, 16),
      spanId: randomId(rnd, 8),
      traceState: randomString(rnd),
      attributes: randomAttributes(rnd, 3),
    })),
    statusCode: randomEnum(rnd, 2),
    statusMessage: rnd.chance(0.3) ? randomString(rnd) : '',
  };
}

export function randomTraces(rnd: Random): RawResourceSpans[] {
  return rnd.times(3, () => ({
    resource: randomResource(rnd),
    scopeSpans: rnd.times(3, () => ({ scope: randomScope(rnd), spans: rnd.times(5, () => randomSpan(rnd)) })),
  }));
}

function randomLogRecord(rnd: Random): RawLogRecord {
  return {
    timeUs: randomTimeUs(rnd),
    observedTimeUs: randomTimeUs(rnd),
    severityNumber: randomEnum(rnd, 24),
    severityText: randomString(rnd),
    body: randomAttrValue(rnd),
    attributes: randomAttributes(rnd, 8),
    droppedAttributesCount: randomUint32(rnd),
    flags: randomUint32(rnd),
    traceId: randomId(rnd, 16),
    spanId: randomId(rnd, 8),
    eventName: rnd.chance(0.3) ? randomString(rnd) : '',
  };
}

export function randomLogs(rnd: Random): RawResourceLogs[] {
  return rnd.times(3, () => ({
    resource: randomResource(rnd),
    scopeLogs: rnd.times(3, () => ({
      scope: randomScope(rnd),
      logRecords: rnd.times(5, () => randomLogRecord(rnd)),
    })),
  }));
}

function randomCount(rnd: Random): number {
  return rnd.chance(0.1) ? rnd.pick([0, 2 ** 32, 2 ** 53 - 1, 2 ** 60]) : rnd.int(1_000_000);
}

function randomPoint(rnd: Random, type: MetricType): RawDataPoint {
  const point: RawDataPoint = {
    startUs: randomTimeUs(rnd),
    timeUs: randomTimeUs(rnd),
    attributes: randomAttributes(rnd, 4),
    flags: rnd.chance(0.2) ? 1 : 0,
  };
  if (type === 'gauge' || type === 'sum') {
    if (rnd.chance(0.9)) point.value = rnd.chance(0.5) ? randomInt64(rnd) : randomDouble(rnd);
    return point;
  }
  point.count = randomCount(rnd);
  if (type === 'summary') {
    point.sum = randomDouble(rnd);
    point.quantiles = rnd.times(4, () => ({ quantile: rnd.next(), value: randomDouble(rnd) }));
    return point;
  }
  for (const key of ['sum', 'min', 'max'] as const) if (rnd.chance(0.7)) point[key] = randomDouble(rnd);
  if (type === 'histogram') {
    point.bucketCounts = rnd.times(6, () => randomCount(rnd));
    point.explicitBounds = rnd.times(5, () => randomDouble(rnd));
    return point;
  }
  point.scale = rnd.int(41) - 20;
  point.zeroCount = randomCount(rnd);
  const buckets = (): { offset: number; bucketCounts: number[] } => ({
    offset: rnd.int(2001) - 1000,
    bucketCounts: rnd.times(6, () => randomCount(rnd)),
  });
  point.positive = buckets();
  point.negative = buckets();
  return point;
}

const METRIC_TYPES: readonly MetricType[] = ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'];

function randomMetric(rnd: Random): RawMetric {
  const type = rnd.pick(METRIC_TYPES);
  return {
    name: randomString(rnd),
    description: randomString(rnd),
    unit: rnd.pick(['', '1', 'ms', '{token}']),
    type,
    aggregationTemporality: type === 'gauge' || type === 'summary' ? 0 : randomEnum(rnd, 2),
    isMonotonic: type === 'sum' && rnd.chance(0.5),
    dataPoints: rnd.times(4, () => randomPoint(rnd, type)),
  };
}

export function randomMetrics(rnd: Random): RawResourceMetrics[] {
  return rnd.times(3, () => ({
    resource: randomResource(rnd),
    scopeMetrics: rnd.times(3, () => ({
      scope: randomScope(rnd),
      metrics: rnd.times(5, () => randomMetric(rnd)),
    })),
  }));
}
