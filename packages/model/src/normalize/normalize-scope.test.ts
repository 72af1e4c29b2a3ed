import { describe, expect, it } from 'vitest';
import { logRecord, metric, point, span } from '../../test/raw-builders.ts';
import { findColumn } from '../column-catalog.ts';
import { bundledPriceTable } from '../pricing/price-table.ts';
import type { Attributes, RawScope } from '../raw-otlp.ts';
import { normalizeLogs } from './normalize-logs.ts';
import { normalizeMetrics } from './normalize-metrics.ts';
import type { NormalizeOptions } from './normalize-options.ts';
import { normalizeSpans } from './normalize-spans.ts';

const options: NormalizeOptions = {
  prices: bundledPriceTable(),
  captureContent: false,
  now: () => 1_800_000_000_000,
};

const resource = { attributes: { 'service.name': 'checkout-agent', 'deployment.environment': 'prod' } };
const anthropic: RawScope = {
  name: '@traceloop/instrumentation-anthropic',
  version: '0.27.0',
  attributes: {
    'instrumentation.owner': 'platform',
    'deployment.environment': 'scope-says-dev',
    shared: 'from scope',
    'api_key.secret': 'sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  },
};
const openai: RawScope = { name: '@traceloop/instrumentation-openai', version: '0.9.1', attributes: {} };

/** Each item sets `shared` itself, as its scope does. */
const itemAttributes: Attributes = { shared: 'from item' };

describe('instrumentation scope', () => {
  it('keeps each span scope name and version as columns and its attributes under their own keys', () => {
    const result = normalizeSpans(
      [
        {
          resource: { ...resource, droppedAttributesCount: 0 },
          scopeSpans: [
            { scope: anthropic, spans: [span({ attributes: itemAttributes })] },
            { scope: openai, spans: [span({ attributes: itemAttributes })] },
          ],
        },
      ],
      options,
    );
    expect(result.errors).toEqual([]);
    expect(result.rows.map((row) => [row.scope_name, row.scope_version])).toEqual([
      ['@traceloop/instrumentation-anthropic', '0.27.0'],
      ['@traceloop/instrumentation-openai', '0.9.1'],
    ]);
    const [first, second] = result.rows.map((row) => JSON.parse(row.attributes));
    // the item wins over the scope, the resource keeps its own keys, a secret is masked as anywhere
    expect(first).toMatchObject({
      'instrumentation.owner': 'platform',
      'deployment.environment': 'prod',
      shared: 'from item',
      'service.name': 'checkout-agent',
    });
    expect(first['api_key.secret']).not.toContain('sk-ant-api03');
    expect(second).toEqual({
      'service.name': 'checkout-agent',
      'deployment.environment': 'prod',
      shared: 'from item',
    });
  });

  it('reads typed columns from scope attributes when the span and resource do not set them', () => {
    const agentScope = { ...openai, attributes: { 'gen_ai.agent.name': 'refund-agent' } };
    const result = normalizeSpans(
      [
        {
          resource: { ...resource, droppedAttributesCount: 0 },
          scopeSpans: [
            { scope: agentScope, spans: [span(), span({ attributes: { 'gen_ai.agent.name': 'x' } })] },
          ],
        },
      ],
      options,
    );
    expect(result.rows.map((row) => row.agent_name)).toEqual(['refund-agent', 'x']);
  });

  it('keeps a log record scope name, version and attributes', () => {
    const result = normalizeLogs(
      [
        {
          resource: { ...resource, droppedAttributesCount: 0 },
          scopeLogs: [
            { scope: anthropic, logRecords: [logRecord({ attributes: itemAttributes })] },
            { scope: openai, logRecords: [logRecord({ attributes: itemAttributes })] },
          ],
        },
      ],
      options,
    );
    expect(result.rows.map((row) => [row.scope_name, row.scope_version])).toEqual([
      ['@traceloop/instrumentation-anthropic', '0.27.0'],
      ['@traceloop/instrumentation-openai', '0.9.1'],
    ]);
    expect(JSON.parse(result.rows[0]?.attributes ?? '{}')).toMatchObject({
      'instrumentation.owner': 'platform',
      shared: 'from item',
    });
  });

  it('keeps a metric point scope (meter) name, version and attributes', () => {
    const points = () => [
      metric({ type: 'gauge', dataPoints: [point({ value: 1, attributes: itemAttributes })] }),
    ];
    const result = normalizeMetrics(
      [
        {
          resource: { ...resource, droppedAttributesCount: 0 },
          scopeMetrics: [
            { scope: anthropic, metrics: points() },
            { scope: openai, metrics: points() },
          ],
        },
      ],
      options,
    );
    expect(result.rows.map((row) => [row.scope_name, row.scope_version])).toEqual([
      ['@traceloop/instrumentation-anthropic', '0.27.0'],
      ['@traceloop/instrumentation-openai', '0.9.1'],
    ]);
    expect(JSON.parse(result.rows[0]?.attributes ?? '{}')).toMatchObject({
      'instrumentation.owner': 'platform',
      shared: 'from item',
    });
  });

  it.each(['spans', 'logs', 'metrics'] as const)(
    'names the %s scope columns otel.scope.* and library.*',
    (table) => {
      for (const name of ['otel.scope.name', 'library.name', 'scope_name']) {
        expect(findColumn(table, name)?.column).toBe('scope_name');
      }
      for (const name of ['otel.scope.version', 'library.version', 'scope_version']) {
        expect(findColumn(table, name)?.column).toBe('scope_version');
      }
    },
  );
});
