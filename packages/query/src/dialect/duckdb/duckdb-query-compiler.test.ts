import { describe, expect, test } from 'vitest';
import {
  as,
  attribute,
  binary,
  call,
  column,
  freeze,
  inList,
  literal,
  select,
  unary,
  value,
} from '../../tree/node-factory.ts';
import type { ExpressionNode } from '../../tree/nodes.ts';
import { createDuckDbQueryCompiler, jsonPointer, quoteDuckDbIdentifier } from './duckdb-query-compiler.ts';

const compileWhere = (where: ExpressionNode) =>
  createDuckDbQueryCompiler().compile(select({ selections: [as(column('a'), 'a')], from: 't', where }));

describe('DuckDB query compiler', () => {
  test('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteDuckDbIdentifier('x"); drop table spans; --')).toBe('"x""); drop table spans; --"');
    expect(() => quoteDuckDbIdentifier('')).toThrow();
    expect(() => quoteDuckDbIdentifier('a\u0000b')).toThrow();
  });

  test('attribute keys become JSON pointer parameters', () => {
    expect(jsonPointer('gen_ai.request.model')).toBe('/gen_ai.request.model');
    expect(jsonPointer('a/b~c')).toBe('/a~1b~0c');
    const { sql, params } = compileWhere(
      binary(attribute('attributes', "x'); --", 'float'), '>', value(2, 'float')),
    );
    expect(sql).toBe('SELECT "a" FROM "t" WHERE TRY_CAST(json_extract("attributes", $1) AS DOUBLE) > $2');
    expect(params).toEqual([
      { value: "/x'); --", type: 'string' },
      { value: 2, type: 'float' },
    ]);
  });

  test('parenthesises only where precedence needs it', () => {
    const [a, b, c] = [column('a'), column('b'), column('c')];
    const or = binary(binary(a, '=', value(1, 'integer')), 'or', binary(b, '=', value(2, 'integer')));
    const where = binary(
      binary(or, 'and', unary('not', binary(c, 'is_not_distinct_from', a))),
      'and',
      unary('is_null', c),
    );
    expect(compileWhere(where).sql).toBe(
      'SELECT "a" FROM "t" WHERE ("a" = $1 OR "b" = $2) AND NOT ("c" IS NOT DISTINCT FROM "a") AND "c" IS NULL',
    );
    const arithmetic = binary(binary(a, '-', binary(b, '-', c)), '>', binary(binary(a, '+', b), '*', c));
    expect(compileWhere(arithmetic).sql).toBe(
      'SELECT "a" FROM "t" WHERE "a" - ("b" - "c") > ("a" + "b") * "c"',
    );
  });

  test('shares one parameter between equal values of one type', () => {
    const where = inList(
      column('a'),
      [value('x', 'string'), value('x', 'string'), value(1, 'integer')],
      true,
    );
    const { sql, params } = compileWhere(where);
    expect(sql).toBe('SELECT "a" FROM "t" WHERE "a" NOT IN ($1, $1, $2)');
    expect(params).toEqual([
      { value: 'x', type: 'string' },
      { value: 1, type: 'integer' },
    ]);
  });

  test('LIKE patterns are parameters with a backslash escape', () => {
    const like = freeze({
      kind: 'like' as const,
      expr: column('a'),
      pattern: value('%50\\%%', 'string'),
      negated: true,
    });
    expect(compileWhere(like).sql).toBe(`SELECT "a" FROM "t" WHERE "a" NOT LIKE $1 ESCAPE '\\'`);
  });

  test('literals are finite numbers only, negative ones in parentheses', () => {
    expect(compileWhere(binary(column('a'), '-', literal(-1))).sql).toBe(
      'SELECT "a" FROM "t" WHERE "a" - (-1)',
    );
    expect(() => literal(Number.NaN)).toThrow('literal must be a finite number');
    expect(
      compileWhere(binary(call('floor', column('a')), '>', call('least', literal(1), literal(2)))).sql,
    ).toBe('SELECT "a" FROM "t" WHERE FLOOR("a") > LEAST(1, 2)');
  });
});
