import { AppError } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { decodeTracesJson } from './json-trace-decoder.ts';

/** A request whose second scope holds four spans; the fourth gets `span`'s fields. */
function withSpan(span: Record<string, unknown>): unknown {
  const plain = { traceId: '00'.repeat(16), spanId: '00'.repeat(8), name: 'ok' };
  return {
    resourceSpans: [{ scopeSpans: [{ spans: [] }, { spans: [plain, plain, plain, { ...plain, ...span }] }] }],
  };
}

function errorOf(body: unknown): AppError {
  try {
    decodeTracesJson(body);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('decodeTracesJson', () => {
  it('reads lowerCamelCase and proto snake_case names, enum names, int64 strings and numbers', () => {
    const [resourceSpans] = decodeTracesJson({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }] },
          scope_spans: [
            {
              scope: { name: 'lib' },
              spans: [
                {
                  trace_id: '5B8EFFF798038103D269B633813FC60C',
                  span_id: 'EEE19B7EC3C1B174',
                  name: 'call',
                  kind: 'SPAN_KIND_CLIENT',
                  start_time_unix_nano: '1544712660000000999',
                  endTimeUnixNano: 1544712661000000,
                  attributes: [
                    { key: 'n', value: { intValue: '-9007199254740993' } },
                    { key: 'm', value: { int_value: 42 } },
                    { key: 'd', value: { doubleValue: 'NaN' } },
                    { key: 'b', value: { bytesValue: '3q2-7w' } },
                    { key: 'empty', value: {} },
                    { key: 'none' },
                  ],
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                  unknownField: { ignored: true },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(resourceSpans!.resource.attributes).toEqual({ 'service.name': 'svc' });
    expect(resourceSpans!.scopeSpans[0]!.spans[0]).toStrictEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
      traceState: '',
      flags: 0,
      name: 'call',
      kind: 3,
      startUs: 1544712660000000,
      endUs: 1544712661000,
      attributes: { n: -9007199254740992, m: 42, d: NaN, b: '3q2+7w==', empty: null, none: null },
      droppedAttributesCount: 0,
      events: [],
      links: [],
      statusCode: 2,
      statusMessage: 'boom',
    });
  });

  it('accepts text, UTF-8 bytes and objects, and treats null as the default', () => {
    const text = JSON.stringify(withSpan({ parentSpanId: null, attributes: null, events: null }));
    expect(decodeTracesJson(text)).toEqual(decodeTracesJson(new TextEncoder().encode(text)));
    expect(decodeTracesJson(JSON.parse(text))[0]!.scopeSpans[1]!.spans[3]).toMatchObject({
      parentSpanId: '',
      attributes: {},
      events: [],
    });
    expect(decodeTracesJson({ resourceSpans: null })).toEqual([]);
  });

  const SPAN_3 = 'resourceSpans[0].scopeSpans[1].spans[3].';
  const cases = [
    [{ resourceSpans: {} }, 'resourceSpans: expected array'],
    [{ resourceSpans: [7] }, 'resourceSpans[0]: expected object'],
    [
      { resourceSpans: [{ scopeSpans: [{}, { spans: {} }] }] },
      'resourceSpans[0].scopeSpans[1].spans: expected array',
    ],
    [
      withSpan({ traceId: 'not-hex' }),
      'resourceSpans[0].scopeSpans[1].spans[3].traceId: expected hex string',
    ],
    [withSpan({ spanId: 12 }), 'resourceSpans[0].scopeSpans[1].spans[3].spanId: expected hex string'],
    [withSpan({ name: 5 }), 'resourceSpans[0].scopeSpans[1].spans[3].name: expected string'],
    [withSpan({ kind: 'SERVER' }), 'resourceSpans[0].scopeSpans[1].spans[3].kind: expected integer'],
    [withSpan({ kind: 1.5 }), 'resourceSpans[0].scopeSpans[1].spans[3].kind: expected integer'],
    [withSpan({ flags: -1 }), 'resourceSpans[0].scopeSpans[1].spans[3].flags: expected unsigned integer'],
    [
      withSpan({ startTimeUnixNano: '-5' }),
      'resourceSpans[0].scopeSpans[1].spans[3].startTimeUnixNano: expected unsigned integer nanoseconds',
    ],
    [withSpan({ status: 'ERROR' }), 'resourceSpans[0].scopeSpans[1].spans[3].status: expected object'],
    [
      withSpan({ status: { code: true } }),
      'resourceSpans[0].scopeSpans[1].spans[3].status.code: expected integer',
    ],
    [
      withSpan({ events: [{}, { attributes: [{ key: 'k', value: { intValue: '1.5' } }] }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].events[1].attributes[0].value.intValue: expected integer',
    ],
    [
      withSpan({
        attributes: [{ key: 'k', value: { arrayValue: { values: [{}, { boolValue: 'yes' }] } } }],
      }),
      'resourceSpans[0].scopeSpans[1].spans[3].attributes[0].value.arrayValue.values[1].boolValue: expected boolean',
    ],
    [
      withSpan({ attributes: [{ key: 'k', value: { kvlistValue: { values: [{ key: 1 }] } } }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].attributes[0].value.kvlistValue.values[0].key: expected string',
    ],
    [
      withSpan({ attributes: [{ key: 'k', value: { bytesValue: '!!' } }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].attributes[0].value.bytesValue: expected base64 string',
    ],
    [
      withSpan({ attributes: [{ key: 'k', value: 'v' }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].attributes[0].value: expected AnyValue object',
    ],
    [
      withSpan({ links: [{ traceId: 'xyz' }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].links[0].traceId: expected hex string',
    ],
    [{ resourceSpans: [{ resource: [] }] }, 'resourceSpans[0].resource: expected object'],
    [
      { resourceSpans: [{ scopeSpans: [{ scope: { version: 1 } }] }] },
      'resourceSpans[0].scopeSpans[0].scope.version: expected string',
    ],
    [[], '(body): expected a JSON object'],
    ['"text"', '(body): expected a JSON object'],
  ].map(([body, message]) => ({ body, message: message as string }));

  it.each(cases.filter(({ message }) => !message.startsWith(SPAN_3)))(
    'refuses the request (a malformed envelope) with "$message"',
    ({ body, message }) => {
      const error = errorOf(body);
      expect(error.code).toBe('OTLP_MALFORMED_BODY');
      expect(error.message).toBe(message);
      const colon = message.indexOf(': ');
      expect(error.details).toEqual({
        path: message.slice(0, colon).replace('(body)', ''),
        reason: message.slice(colon + 2),
      });
    },
  );

  it.each(cases.filter(({ message }) => message.startsWith(SPAN_3)))(
    'marks the span malformed, and keeps the others, for "$message"',
    ({ body, message }) => {
      const spans = decodeTracesJson(body)[0]!.scopeSpans[1]!.spans;
      expect(spans.map((span) => span.malformed)).toEqual([
        undefined,
        undefined,
        undefined,
        `malformed JSON: ${message.slice(SPAN_3.length)}`,
      ]);
      // its name, when that is a string, is kept for the rejection message
      expect(spans[3]!.name).toBe(message.includes('.name:') ? '' : 'ok');
    },
  );

  it('keeps a "__proto__" attribute key as an own property', () => {
    const text = JSON.stringify(
      withSpan({ attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] }),
    );
    const attributes = decodeTracesJson(text)[0]!.scopeSpans[1]!.spans[3]!.attributes;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes)).toEqual(['__proto__']);
  });

  it('refuses text that is not JSON', () => {
    expect(errorOf('{"resourceSpans": [').message).toMatch(/^Malformed JSON body: /);
  });

  it('passes odd-length hex ids through lowercased (normalisation rejects them per span)', () => {
    const span = decodeTracesJson(withSpan({ traceId: 'ABC', spanId: '' }))[0]!.scopeSpans[1]!.spans[3]!;
    expect(span).toMatchObject({ traceId: 'abc', spanId: '' });
  });

  it('decodes 100 levels of AnyValue nesting and marks a span nested deeper malformed', () => {
    const nested = (depth: number): unknown => {
      let value: unknown = { boolValue: true };
      for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value] } };
      return withSpan({ attributes: [{ key: 'deep', value }] });
    };
    expect(() => decodeTracesJson(nested(100))).not.toThrow();
    const span = decodeTracesJson(nested(101))[0]!.scopeSpans[1]!.spans[3]!;
    expect(span.malformed).toMatch(
      /^malformed JSON: attributes\[0\]\.value(\.arrayValue\.values\[0\])+\.arrayValue: values nested deeper than 100 levels$/,
    );
  });
});
