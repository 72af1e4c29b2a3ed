/**
 * The values the JSON fuzz mutations put into OTLP/JSON bodies (json-mutator.ts): which keys are worth
 * aiming at, and the wrong types, extreme numbers, bad ids, far times, odd keys and broken text to use.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);
export const TIME_KEYS = new Set([
  'startTimeUnixNano',
  'endTimeUnixNano',
  'timeUnixNano',
  'observedTimeUnixNano',
]);
export const INTERESTING = new Set([
  ...ID_KEYS,
  ...TIME_KEYS,
  'key',
  'value',
  'stringValue',
  'intValue',
  'doubleValue',
  'boolValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
  'attributes',
  'kind',
  'status',
  'code',
  'severityNumber',
  'body',
  'name',
  'asInt',
  'asDouble',
  'count',
  'bucketCounts',
  'explicitBounds',
  'dataPoints',
  'spans',
  'logRecords',
  'metrics',
]);

export const WRONG_TYPES: readonly Json[] = [null, true, false, 0, -1, '', 'x', [], {}, [1, 'a'], { a: 1 }];
export const RAW_NUMBERS = [
  '1e400',
  '-1e400',
  '18446744073709551616',
  '-9223372036854775809',
  '123456789012345678901234567890',
  '9007199254740993',
  '-0',
  '1.5',
  '0.0000001',
  '1E2',
];
export const NUMERIC_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  ' 12',
  '0x1F',
  '12abc',
  '-1',
  '99999999999999999999999',
  '١٢٣',
  '1_000',
  '+5',
];
export const BAD_IDS = [
  '',
  'zz',
  '0'.repeat(32),
  '0'.repeat(16),
  'A'.repeat(32),
  'g'.repeat(32),
  'abc',
  '0'.repeat(33),
  'AAAAAAAAAAAAAAAAAAAAAA==',
  ` ${'ab'.repeat(16)}`,
  `${'ab'.repeat(15)}\u0000\u0000`,
  'é'.repeat(16),
];
export const TIMES: readonly Json[] = [
  '0',
  '-1',
  '1',
  '99999999999999999999',
  '18446744073709551615',
  '9223372036854775807',
  '253402300800000000000',
  '32503680000000000000',
  1e30,
  -5,
  '1.5e18',
  '2026-01-01T00:00:00Z',
];
export const ODD_KEYS = [
  '',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'fuzz.unknown',
  '💥',
  'k'.repeat(300),
];
export const LONE_SURROGATES = ['\ud800', 'a\udc00b', '\udfff\ud800', `${'x'.repeat(10)}\ud83d`];
export const INVALID_UTF8 = [
  [0xff],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc0, 0x80],
  [0x80],
];
