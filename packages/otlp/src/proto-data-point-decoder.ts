import type { RawDataPoint } from '@loopline/model';
import { decodeItem, decodeKeyValue } from './proto-common-decoder.ts';
import { I64, LEN, type MessageFields, messageFields, VARINT } from './proto-fields.ts';
import type { ProtoReader } from './proto-reader.ts';

// Each point decoder reads one data point; a point that cannot be read comes back `malformed` (decodeItem).

const NUMBER_POINT_FIELDS = messageFields('NumberDataPoint', {
  2: ['start_time_unix_nano', I64],
  3: ['time_unix_nano', I64],
  4: ['as_double', I64],
  5: ['exemplars', LEN],
  6: ['as_int', I64],
  7: ['attributes', LEN],
  8: ['flags', VARINT],
});
const HISTOGRAM_POINT_FIELDS = messageFields('HistogramDataPoint', {
  2: ['start_time_unix_nano', I64],
  3: ['time_unix_nano', I64],
  4: ['count', I64],
  5: ['sum', I64],
  6: ['bucket_counts', LEN],
  7: ['explicit_bounds', LEN],
  8: ['exemplars', LEN],
  9: ['attributes', LEN],
  10: ['flags', VARINT],
  11: ['min', I64],
  12: ['max', I64],
});
const EXPONENTIAL_POINT_FIELDS = messageFields('ExponentialHistogramDataPoint', {
  1: ['attributes', LEN],
  2: ['start_time_unix_nano', I64],
  3: ['time_unix_nano', I64],
  4: ['count', I64],
  5: ['sum', I64],
  6: ['scale', VARINT],
  7: ['zero_count', I64],
  8: ['positive', LEN],
  9: ['negative', LEN],
  10: ['flags', VARINT],
  11: ['exemplars', LEN],
  12: ['min', I64],
  13: ['max', I64],
  14: ['zero_threshold', I64],
});
const SUMMARY_POINT_FIELDS = messageFields('SummaryDataPoint', {
  2: ['start_time_unix_nano', I64],
  3: ['time_unix_nano', I64],
  4: ['count', I64],
  5: ['sum', I64],
  6: ['quantile_values', LEN],
  7: ['attributes', LEN],
  8: ['flags', VARINT],
});
const BUCKETS_FIELDS = messageFields('ExponentialHistogramDataPoint.Buckets', {
  1: ['offset', VARINT],
  2: ['bucket_counts', LEN],
});
const QUANTILE_FIELDS = messageFields('SummaryDataPoint.ValueAtQuantile', {
  1: ['quantile', I64],
  2: ['value', I64],
});

function newPoint(): RawDataPoint {
  return { startUs: 0, timeUs: 0, attributes: {}, flags: 0 };
}

/** NumberDataPoint: 7 attributes, 2 start, 3 time, 4 as_double, 6 as_int, 8 flags (5 exemplars skipped). */
export function decodeNumberPoint(r: ProtoReader, end: number): RawDataPoint {
  return decodeItem(r, end, newPoint(), decodeNumberPointFields);
}

function decodeNumberPointFields(r: ProtoReader, end: number, point: RawDataPoint): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 58) decodeKeyValue(r, r.end(end), point.attributes);
    else if (tag === 17) point.startUs = r.timeUs();
    else if (tag === 25) point.timeUs = r.timeUs();
    else if (tag === 33) point.value = r.double();
    else if (tag === 49) point.value = r.sfixed64();
    else if (tag === 64) point.flags = r.uint32();
    else r.skip(tag, end, NUMBER_POINT_FIELDS);
  }
  r.expectEnd(end);
}

/**
 * HistogramDataPoint: 9 attributes, 2 start, 3 time, 4 count, 5 sum, 6 bucket_counts, 7 explicit_bounds,
 * 10 flags, 11 min, 12 max (8 exemplars skipped). Repeated numbers are accepted packed and unpacked.
 */
export function decodeHistogramPoint(r: ProtoReader, end: number): RawDataPoint {
  const point: RawDataPoint = { ...newPoint(), count: 0, bucketCounts: [], explicitBounds: [] };
  return decodeItem(r, end, point, decodeHistogramPointFields);
}

function decodeHistogramPointFields(r: ProtoReader, end: number, point: RawDataPoint): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 74) decodeKeyValue(r, r.end(end), point.attributes);
    else if (tag === 50 || tag === 49) readFixed64s(r, tag, end, point.bucketCounts!);
    else if (tag === 58 || tag === 57) readDoubles(r, tag, end, point.explicitBounds!);
    else if (tag === 89) point.min = r.double();
    else if (tag === 97) point.max = r.double();
    else if (tag === 80) point.flags = r.uint32();
    else decodeSharedPointField(r, tag, end, point, HISTOGRAM_POINT_FIELDS);
  }
  r.expectEnd(end);
}

/**
 * ExponentialHistogramDataPoint: 1 attributes, 2 start, 3 time, 4 count, 5 sum, 6 scale, 7 zero_count,
 * 8 positive, 9 negative, 10 flags, 12 min, 13 max (11 exemplars and 14 zero_threshold skipped).
 * `positive` and `negative` are always present in the result (offset 0 and no buckets when absent).
 */
export function decodeExponentialHistogramPoint(r: ProtoReader, end: number): RawDataPoint {
  const point: RawDataPoint = {
    ...newPoint(),
    count: 0,
    scale: 0,
    zeroCount: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
  };
  return decodeItem(r, end, point, decodeExponentialPointFields);
}

function decodeExponentialPointFields(r: ProtoReader, end: number, point: RawDataPoint): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) decodeKeyValue(r, r.end(end), point.attributes);
    else if (tag === 48) point.scale = r.sint32();
    else if (tag === 57) point.zeroCount = r.fixed64();
    else if (tag === 66) point.positive = decodeBuckets(r, r.end(end));
    else if (tag === 74) point.negative = decodeBuckets(r, r.end(end));
    else if (tag === 80) point.flags = r.uint32();
    else if (tag === 97) point.min = r.double();
    else if (tag === 105) point.max = r.double();
    else decodeSharedPointField(r, tag, end, point, EXPONENTIAL_POINT_FIELDS);
  }
  r.expectEnd(end);
}

/** SummaryDataPoint: 7 attributes, 2 start, 3 time, 4 count, 5 sum, 6 quantile_values, 8 flags. */
export function decodeSummaryPoint(r: ProtoReader, end: number): RawDataPoint {
  const point: RawDataPoint = { ...newPoint(), count: 0, sum: 0, quantiles: [] };
  return decodeItem(r, end, point, decodeSummaryPointFields);
}

function decodeSummaryPointFields(r: ProtoReader, end: number, point: RawDataPoint): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 58) decodeKeyValue(r, r.end(end), point.attributes);
    else if (tag === 50) point.quantiles!.push(decodeValueAtQuantile(r, r.end(end)));
    else if (tag === 64) point.flags = r.uint32();
    else decodeSharedPointField(r, tag, end, point, SUMMARY_POINT_FIELDS);
  }
  r.expectEnd(end);
}

/** Fields 2 start, 3 time, 4 count (fixed64) and 5 sum (double) have the same key in every histogram. */
function decodeSharedPointField(
  r: ProtoReader,
  tag: number,
  end: number,
  point: RawDataPoint,
  fields: MessageFields,
): void {
  if (tag === 17) point.startUs = r.timeUs();
  else if (tag === 25) point.timeUs = r.timeUs();
  else if (tag === 33) point.count = r.fixed64();
  else if (tag === 41) point.sum = r.double();
  else r.skip(tag, end, fields);
}

/** Buckets: 1 offset (sint32), 2 bucket_counts (uint64, packed or not). */
function decodeBuckets(r: ProtoReader, end: number): { offset: number; bucketCounts: number[] } {
  const buckets = { offset: 0, bucketCounts: [] as number[] };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 8) buckets.offset = r.sint32();
    else if (tag === 16) buckets.bucketCounts.push(r.uint64());
    else if (tag === 18) {
      const packedEnd = r.end(end);
      while (r.pos < packedEnd) buckets.bucketCounts.push(r.uint64());
      r.expectEnd(packedEnd);
    } else r.skip(tag, end, BUCKETS_FIELDS);
  }
  r.expectEnd(end);
  return buckets;
}

function decodeValueAtQuantile(r: ProtoReader, end: number): { quantile: number; value: number } {
  const out = { quantile: 0, value: 0 };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 9) out.quantile = r.double();
    else if (tag === 17) out.value = r.double();
    else r.skip(tag, end, QUANTILE_FIELDS);
  }
  r.expectEnd(end);
  return out;
}

/** A repeated fixed64: packed (wire type 2) or one value per field (wire type 1). */
function readFixed64s(r: ProtoReader, tag: number, end: number, out: number[]): void {
  if ((tag & 7) !== 2) {
    out.push(r.fixed64());
    return;
  }
  const packedEnd = r.end(end);
  while (r.pos < packedEnd) out.push(r.fixed64());
  r.expectEnd(packedEnd);
}

/** A repeated double: packed (wire type 2) or one value per field (wire type 1). */
function readDoubles(r: ProtoReader, tag: number, end: number, out: number[]): void {
  if ((tag & 7) !== 2) {
    out.push(r.double());
    return;
  }
  const packedEnd = r.end(end);
  while (r.pos < packedEnd) out.push(r.double());
  r.expectEnd(packedEnd);
}
