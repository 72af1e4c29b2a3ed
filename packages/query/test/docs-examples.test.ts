import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileQuery, duckDbDialect, executeQuery, parseQuery } from '../src/index.ts';
import { openTestDatabase, type TestDatabase } from './duckdb-executor.ts';
import { NOW_MS, span } from './span-fixtures.ts';

const doc = readFileSync(new URL('../../../docs/query-language.md', import.meta.url), 'utf8');

/** Every query a reader can paste: marked JSON blocks, `--json '…'` and `curl -d '…'` payloads. */
const examples = [
  ...[...doc.matchAll(/<!-- query -->\n```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!),
  ...[...doc.matchAll(/(?:--json|-d) '(\{.*?\})'/g)].map((m) => m[1]!),
];

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
  await db.insert('spans', [span({ operation: 'chat', request_model: 'opus', duration_ms: 1200 })]);
});
afterAll(() => db.close());

describe('docs/query-language.md examples', () => {
  test('there are examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  test.each(examples.map((text, i) => [i, text]))('example %i is valid and runs', async (_, text) => {
    const spec = parseQuery(JSON.parse(text));
    const result = await executeQuery(
      compileQuery(spec, { dialect: duckDbDialect, nowMs: NOW_MS, weighted: true }),
      db.exec,
    );
    expect(result.meta.granularity).toBeGreaterThan(0);
  });

  test('the quick-start query answers per model', async () => {
    const spec = JSON.parse(examples.at(-1)!);
    const result = await executeQuery(
      compileQuery(spec, { dialect: duckDbDialect, nowMs: NOW_MS, weighted: true }),
      db.exec,
    );
    expect(result.groups).toEqual([
      { key: { 'gen_ai.request.model': 'opus' }, values: { COUNT: 1, 'P95(duration_ms)': 1200 } },
    ]);
  });

  test('a HEATMAP-only query has no groups, and the result section says so', async () => {
    const heatmapOnly = [{ op: 'HEATMAP', column: 'duration_ms' }];
    for (const breakdowns of [[], ['gen_ai.request.model']]) {
      const spec = parseQuery({ calculations: heatmapOnly, breakdowns, time_range: 7200 });
      const result = await executeQuery(
        compileQuery(spec, { dialect: duckDbDialect, nowMs: NOW_MS, weighted: true }),
        db.exec,
      );
      expect([result.totals, result.groups, result.series]).toEqual([{}, [], []]);
      expect(result.heatmap?.['HEATMAP(duration_ms)']?.cells.map((c) => c.count)).toEqual([1]);
    }
    const groupsLine = /^- `groups`: [\s\S]*?(?=\n- )/m.exec(doc)?.[0].replace(/\s+/g, ' ');
    expect(groupsLine).toContain('None when every calculation is a `HEATMAP`');
  });
});
