import {
  decodeLogsJson,
  decodeLogsProto,
  decodeMetricsJson,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
  encodeLogsJson,
  encodeLogsProto,
  encodeMetricsJson,
  encodeMetricsProto,
  encodeTracesJson,
  encodeTracesProto,
} from '@loopline/otlp';
import { describe, expect, it } from 'vitest';
import {
  pbDecodeLogs,
  pbDecodeMetrics,
  pbDecodeTraces,
  pbEncode,
  type Signal,
} from './support/otlp-reference.ts';
import { Random, randomLogs, randomMetrics, randomTraces } from './support/random-otlp.ts';
import { logsToPbObject, metricsToPbObject, tracesToPbObject } from './support/raw-to-pb-object.ts';

const CASES = 300;

interface Codec<T> {
  signal: Signal;
  random: (rnd: Random) => T[];
  toPbObject: (items: readonly T[], extras: boolean) => Record<string, unknown>;
  pbDecode: (bytes: Uint8Array) => T[];
  decodeProto: (bytes: Uint8Array) => T[];
  encodeProto: (items: readonly T[]) => Uint8Array;
  decodeJson: (body: unknown) => T[];
  encodeJson: (items: readonly T[]) => unknown;
}

/** Checks each codec's types, then forgets the item type so the three can share one test body. */
function codec<T>(c: Codec<T>): Codec<unknown> {
  return c as unknown as Codec<unknown>;
}

const codecs = [
  codec({
    signal: 'traces',
    random: randomTraces,
    toPbObject: tracesToPbObject,
    pbDecode: pbDecodeTraces,
    decodeProto: decodeTracesProto,
    encodeProto: encodeTracesProto,
    decodeJson: decodeTracesJson,
    encodeJson: encodeTracesJson,
  }),
  codec({
    signal: 'logs',
    random: randomLogs,
    toPbObject: logsToPbObject,
    pbDecode: pbDecodeLogs,
    decodeProto: decodeLogsProto,
    encodeProto: encodeLogsProto,
    decodeJson: decodeLogsJson,
    encodeJson: encodeLogsJson,
  }),
  codec({
    signal: 'metrics',
    random: randomMetrics,
    toPbObject: metricsToPbObject,
    pbDecode: pbDecodeMetrics,
    decodeProto: decodeMetricsProto,
    encodeProto: encodeMetricsProto,
    decodeJson: decodeMetricsJson,
    encodeJson: encodeMetricsJson,
  }),
];

function forEachCase<T>(codec: Codec<T>, seed: number, check: (items: T[], i: number) => void): void {
  const rnd = new Random(seed);
  for (let i = 0; i < CASES; i++) check(codec.random(rnd), i);
}

describe.each(codecs)('randomised $signal', (codec) => {
  it(`protobufjs bytes → our decoder equals protobufjs's own decode and the input (${CASES} cases)`, () => {
    forEachCase(codec, 1, (items, i) => {
      // Odd cases add fields Raw* does not model (schema URLs, entity refs, exemplars, …) to be skipped.
      const bytes = pbEncode(codec.signal, codec.toPbObject(items, i % 2 === 1));
      const decoded = codec.decodeProto(bytes);
      expect(decoded, `case ${i}`).toStrictEqual(codec.pbDecode(bytes));
      expect(decoded, `case ${i}`).toStrictEqual(items);
    });
  });

  it(`our bytes → protobufjs decodes the input back (${CASES} cases)`, () => {
    forEachCase(codec, 2, (items, i) => {
      const bytes = codec.encodeProto(items);
      expect(codec.pbDecode(bytes), `case ${i}`).toStrictEqual(items);
      expect(codec.decodeProto(bytes), `case ${i}`).toStrictEqual(items);
    });
  });

  it(`OTLP/JSON text round trip (${CASES} cases)`, () => {
    forEachCase(codec, 3, (items, i) => {
      const text = JSON.stringify(codec.encodeJson(items));
      expect(codec.decodeJson(text), `case ${i}`).toStrictEqual(items);
    });
  });
});
