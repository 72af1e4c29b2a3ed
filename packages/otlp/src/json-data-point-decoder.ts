import type { RawDataPoint } from '@loopline/model';
import { readAttributes } from './json-common-decoder.ts';
import type { JsonPath } from './json-path.ts';
import {
  field,
  type JsonObject,
  mapObjects,
  readArray,
  readDouble,
  readInteger,
  readObject,
  readOptionalDouble,
  readTimeUs,
  toDouble,
  toInteger,
} from './json-reader.ts';

function decodePointBase(path: JsonPath, obj: JsonObject): RawDataPoint {
  const point: RawDataPoint = {
    startUs: readTimeUs(path, obj, 'startTimeUnixNano'),
    timeUs: readTimeUs(path, obj, 'timeUnixNano'),
    attributes: {},
    flags: readInteger(path, obj, 'flags', true),
  };
  readAttributes(path, obj, 'attributes', point.attributes);
  return point;
}

/** NumberDataPoint: `asDouble` or `asInt` (int64 as a decimal string or number). */
export function decodeNumberPointJson(path: JsonPath, obj: JsonObject): RawDataPoint {
  const point = decodePointBase(path, obj);
  const asDouble = readOptionalDouble(path, obj, 'asDouble');
  if (asDouble !== undefined) point.value = asDouble;
  else {
    const asInt = field(obj, 'asInt');
    if (asInt !== undefined && asInt !== null) point.value = toInteger(path, asInt, 'asInt', false);
  }
  return point;
}

export function decodeHistogramPointJson(path: JsonPath, obj: JsonObject): RawDataPoint {
  const point = decodePointBase(path, obj);
  point.count = readInteger(path, obj, 'count', true);
  setOptional(point, 'sum', readOptionalDouble(path, obj, 'sum'));
  setOptional(point, 'min', readOptionalDouble(path, obj, 'min'));
  setOptional(point, 'max', readOptionalDouble(path, obj, 'max'));
  point.bucketCounts = readNumbers(path, obj, 'bucketCounts', (value) =>
    toInteger(path, value, undefined, true),
  );
  point.explicitBounds = readNumbers(path, obj, 'explicitBounds', (value) =>
    toDouble(path, value, undefined),
  );
  return point;
}

export function decodeExponentialHistogramPointJson(path: JsonPath, obj: JsonObject): RawDataPoint {
  const point = decodePointBase(path, obj);
  point.count = readInteger(path, obj, 'count', true);
  setOptional(point, 'sum', readOptionalDouble(path, obj, 'sum'));
  setOptional(point, 'min', readOptionalDouble(path, obj, 'min'));
  setOptional(point, 'max', readOptionalDouble(path, obj, 'max'));
  point.scale = readInteger(path, obj, 'scale', false);
  point.zeroCount = readInteger(path, obj, 'zeroCount', true);
  point.positive = decodeBuckets(path, obj, 'positive');
  point.negative = decodeBuckets(path, obj, 'negative');
  return point;
}

export function decodeSummaryPointJson(path: JsonPath, obj: JsonObject): RawDataPoint {
  const point = decodePointBase(path, obj);
  point.count = readInteger(path, obj, 'count', true);
  point.sum = readDouble(path, obj, 'sum');
  point.quantiles = mapObjects(path, obj, 'quantileValues', (itemPath, item) => ({
    quantile: readDouble(itemPath, item, 'quantile'),
    value: readDouble(itemPath, item, 'value'),
  }));
  return point;
}

function decodeBuckets(
  path: JsonPath,
  obj: JsonObject,
  name: string,
): { offset: number; bucketCounts: number[] } {
  const buckets = readObject(path, obj, name);
  if (buckets === undefined) return { offset: 0, bucketCounts: [] };
  path.push(name);
  const out = {
    offset: readInteger(path, buckets, 'offset', false),
    bucketCounts: readNumbers(path, buckets, 'bucketCounts', (value) =>
      toInteger(path, value, undefined, true),
    ),
  };
  path.pop();
  return out;
}

function setOptional(point: RawDataPoint, key: 'sum' | 'min' | 'max', value: number | undefined): void {
  if (value !== undefined) point[key] = value;
}

/** A repeated number field, each item converted by `convert` with the path at its index. */
function readNumbers(
  path: JsonPath,
  obj: JsonObject,
  name: string,
  convert: (value: unknown) => number,
): number[] {
  const items = readArray(path, obj, name);
  const out: number[] = [];
  if (items.length === 0) return out;
  path.push(name);
  for (let i = 0; i < items.length; i++) {
    path.push(i);
    out.push(convert(items[i]));
    path.pop();
  }
  path.pop();
  return out;
}
