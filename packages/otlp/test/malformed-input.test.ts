import { AppError } from '@loopline/model';
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
import { Random, randomLogs, randomMetrics, randomTraces } from './support/random-otlp.ts';

type Outcome = { ok: true; value: unknown } | { ok: false; error: AppError };

/** Runs a decoder that may only return or throw AppError('OTLP_MALFORMED_BODY'); anything else fails. */
function attempt(decode: () => unknown): Outcome {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('OTLP_MALFORMED_BODY');
    return { ok: false, error: error as AppError };
  }
}

const signals = [
  { name: 'traces', random: randomTraces, encode: encodeTracesProto, decode: decodeTracesProto },
  { name: 'logs', random: randomLogs, encode: encodeLogsProto, decode: decodeLogsProto },
  { name: 'metrics', random: randomMetrics, encode: encodeMetricsProto, decode: decodeMetricsProto },
] as const;

/** A non-trivial valid request of a few hundred bytes to a few KB. */
function validBody(signal: (typeof signals)[number], seed: number): Uint8Array {
  const rnd = new Random(seed);
  for (;;) {
    const bytes = (signal.encode as (items: unknown[]) => Uint8Array)(signal.random(rnd));
    if (bytes.length > 300 && bytes.length < 6000) return bytes;
  }
}

describe.each(signals)('protobuf $name: malformed bodies', (signal) => {
  it('a body truncated at every byte offset decodes to a prefix of the full result or is refused', () => {
    const bytes = validBody(signal, 11);
    const full = signal.decode(bytes) as unknown[];
    let refused = 0;
    for (let length = 0; length < bytes.length; length++) {
      const outcome = attempt(() => signal.decode(bytes.subarray(0, length)));
      if (outcome.ok) {
        const prefix = outcome.value as unknown[];
        expect(prefix).toStrictEqual(full.slice(0, prefix.length));
        expect(prefix.length).toBeLessThan(full.length);
      } else {
        refused++;
        expect(outcome.error.message).toMatch(/^Malformed protobuf body: .* at byte \d+$/);
      }
    }
    expect(refused).toBeGreaterThan(bytes.length * 0.9);
  });

  it('random garbage is refused with OTLP_MALFORMED_BODY or decodes, never another error', () => {
    const rnd = new Random(21);
    for (let i = 0; i < 3000; i++) {
      const garbage = Uint8Array.from({ length: rnd.int(300) }, () => rnd.int(256));
      attempt(() => signal.decode(garbage));
    }
  });

  it('valid bodies with a few bytes changed are refused or decode, never another error', () => {
    const rnd = new Random(31);
    const bytes = validBody(signal, 41);
    for (let i = 0; i < 3000; i++) {
      const mutated = bytes.slice();
      for (let n = 1 + rnd.int(3); n > 0; n--) mutated[rnd.int(mutated.length)] = rnd.int(256);
      attempt(() => signal.decode(mutated));
    }
  });
});

describe('protobuf: specific malformations name the problem and the byte offset', () => {
  const cases: [string, number[], string][] = [
    ['a truncated varint', [0x0a, 0x80], 'truncated varint at byte 1'],
    // (field 2: the request declares no field 2, so its value is read to be skipped)
    [
      'a varint longer than 10 bytes',
      [0x10, ...Array(10).fill(0xff), 0x01],
      'varint longer than 10 bytes at byte 1',
    ],
    ['a length past the end', [0x0a, 0x05, 0x00], 'length 5 runs past the end of its message (3) at byte 1'],
    ['wire type 3 (start group)', [0x0b], 'unsupported wire type 3 (field 1) at byte 1'],
    ['wire type 4 (end group)', [0x0c], 'unsupported wire type 4 (field 1) at byte 1'],
    ['wire type 6', [0x0e], 'unsupported wire type 6 (field 1) at byte 1'],
    ['wire type 7', [0x0f], 'unsupported wire type 7 (field 1) at byte 1'],
    ['field number 0', [0x00, 0x00], 'field number 0 is invalid at byte 1'],
    ['a truncated fixed64', [0x11, 1, 2, 3], 'truncated 8-byte fixed-width value at byte 1'],
    [
      'resource_spans as a varint',
      [0x08, 0x01],
      'ExportTraceServiceRequest.resource_spans (field 1) has wire type 0 (varint), expected 2 (length-delimited) at byte 1',
    ],
    [
      'scope_spans as a fixed32',
      [0x0a, 0x05, 0x15, 0x01, 0x02, 0x03, 0x04],
      'ResourceSpans.scope_spans (field 2) has wire type 5 (fixed32), expected 2 (length-delimited) at byte 3',
    ],
    [
      'spans as a varint',
      [0x0a, 0x04, 0x12, 0x02, 0x10, 0x01],
      'ScopeSpans.spans (field 2) has wire type 0 (varint), expected 2 (length-delimited) at byte 5',
    ],
    [
      'a resource attribute as a varint',
      [0x0a, 0x04, 0x0a, 0x02, 0x08, 0x01],
      'Resource.attributes (field 1) has wire type 0 (varint), expected 2 (length-delimited) at byte 5',
    ],
    // resource_spans { scope_spans (length 2) { spans (length 3, past its parent's end) } }
    [
      'a nested length past its parent',
      [0x0a, 0x04, 0x12, 0x02, 0x12, 0x03],
      'runs past the end of its message',
    ],
  ];
  it.each(cases)('%s', (_name, bytes, message) => {
    const outcome = attempt(() => decodeTracesProto(Uint8Array.from(bytes)));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.message).toContain(message);
      expect(outcome.error.details).toHaveProperty('offset');
    }
  });
});

describe.each([
  { name: 'traces', random: randomTraces, encode: encodeTracesJson, decode: decodeTracesJson },
  { name: 'logs', random: randomLogs, encode: encodeLogsJson, decode: decodeLogsJson },
  { name: 'metrics', random: randomMetrics, encode: encodeMetricsJson, decode: decodeMetricsJson },
] as const)('OTLP/JSON $name: malformed bodies', (signal) => {
  /** Replaces one random node of a JSON tree with a value of a random type. */
  function mutate(value: unknown, rnd: Random): unknown {
    const replacements = [null, 7, -1.5, 'x', 'zz', true, [], {}, [1, 'a'], { a: 1 }];
    if (rnd.chance(0.15) || typeof value !== 'object' || value === null) return rnd.pick(replacements);
    if (Array.isArray(value)) {
      if (value.length === 0) return rnd.pick(replacements);
      const i = rnd.int(value.length);
      return value.map((item, j) => (j === i ? mutate(item, rnd) : item));
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return rnd.pick(replacements);
    const key = rnd.pick(keys);
    return { ...value, [key]: mutate((value as Record<string, unknown>)[key], rnd) };
  }

  it('randomly retyped fields are refused with a JSON path or decode, never another error', () => {
    const rnd = new Random(51);
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      const body = (signal.encode as (items: unknown[]) => unknown)(signal.random(rnd));
      const outcome = attempt(() => signal.decode(mutate(body, rnd)));
      if (!outcome.ok) {
        refused++;
        // (A string body is parsed as JSON text, hence the second form.)
        expect(outcome.error.message).toMatch(
          /^((\(body\)|resource\w+(\[\d+\]|\.\w+)*): (expected|values nested)|Malformed JSON body: )/,
        );
      }
    }
    expect(refused).toBeGreaterThan(300);
  });

  it('truncated and garbage JSON text is refused as malformed JSON', () => {
    const text = JSON.stringify(
      (signal.encode as (items: unknown[]) => unknown)(signal.random(new Random(61))),
    );
    for (let length = 0; length < text.length; length += 7) {
      attempt(() => signal.decode(text.slice(0, length)));
    }
    const outcome = attempt(() => signal.decode('{"resource'));
    expect(outcome.ok ? '' : outcome.error.message).toMatch(/^Malformed JSON body: /);
  });
});
