import {
  type CompileContext,
  createQueryCompiler,
  type NodeVisitors,
  type QueryCompiler,
} from '../../compiler/query-compiler.ts';
import { isCompound, visitOperand } from '../../compiler/standard-visitors.ts';
import { literal, value } from '../../tree/node-factory.ts';
import type {
  AggregateFunction,
  AttributeType,
  DialectNodeKind,
  FunctionName,
  ValueNode,
} from '../../tree/nodes.ts';

/** Double-quoted identifier with embedded quotes doubled; NUL can never be part of a name. */
export function quoteDuckDbIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\u0000'))
    throw new Error(`invalid SQL identifier ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** A JSON pointer (RFC 6901) naming one top-level key, so any key (dots, quotes, slashes) is exact. */
export function jsonPointer(key: string): string {
  return `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

const FUNCTIONS: Readonly<Record<FunctionName, string>> = {
  coalesce: 'COALESCE',
  floor: 'FLOOR',
  ceil: 'CEIL',
  least: 'LEAST',
  epoch_ms: 'epoch_ms',
};

const AGGREGATES: Readonly<Record<Exclude<AggregateFunction, 'count_star' | 'count_distinct'>, string>> = {
  sum: 'SUM',
  min: 'MIN',
  max: 'MAX',
  quantile_cont: 'quantile_cont',
};

function placeholder(node: ValueNode, ctx: CompileContext): void {
  ctx.append(`$${ctx.parameter(node)}`);
}

function jsonLookup(ctx: CompileContext, fn: string, jsonColumn: string, key: string): void {
  ctx.append(`${fn}(`);
  ctx.identifier(jsonColumn);
  ctx.append(', ');
  placeholder(value(jsonPointer(key), 'string'), ctx);
  ctx.append(')');
}

const ATTRIBUTE_CASTS: Readonly<Record<Exclude<AttributeType, 'string'>, string>> = {
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
};

const DUCKDB_VISITORS: NodeVisitors<DialectNodeKind> = {
  value: placeholder,
  attribute: (node, ctx) => {
    if (node.type === 'string') return jsonLookup(ctx, 'json_extract_string', node.column, node.key);
    ctx.append('TRY_CAST(');
    jsonLookup(ctx, 'json_extract', node.column, node.key);
    ctx.append(` AS ${ATTRIBUTE_CASTS[node.type]})`);
  },
  attribute_exists: (node, ctx) => jsonLookup(ctx, 'json_exists', node.column, node.key),
  like: (node, ctx) => {
    visitOperand(ctx, node.expr, isCompound(node.expr));
    ctx.append(node.negated ? ' NOT LIKE ' : ' LIKE ');
    ctx.visit(node.pattern);
    ctx.append(" ESCAPE '\\'");
  },
  function_call: (node, ctx) => {
    ctx.append(`${FUNCTIONS[node.name]}(`);
    ctx.list(node.args);
    ctx.append(')');
  },
  aggregate: (node, ctx) => {
    if (node.fn === 'count_star') return ctx.append('COUNT(*)');
    ctx.append(node.fn === 'count_distinct' ? 'COUNT(DISTINCT ' : `${AGGREGATES[node.fn]}(`);
    if (node.arg) ctx.visit(node.arg);
    if (node.fn === 'quantile_cont' && node.levels) {
      // quantile_cont(x, [a, b, c])[i]: DuckDB sorts once for all levels and shares identical aggregates
      ctx.append(', [');
      ctx.list(node.levels.map((level) => literal(level)));
      ctx.append(`])[${node.levels.indexOf(node.level ?? Number.NaN) + 1}]`);
      return;
    }
    if (node.fn === 'quantile_cont') {
      ctx.append(', ');
      ctx.visit(literal(node.level ?? Number.NaN));
    }
    ctx.append(')');
  },
  time_bucket: (node, ctx) => {
    ctx.append('time_bucket(to_seconds(');
    ctx.visit(node.seconds);
    ctx.append('), ');
    ctx.visit(node.expr);
    ctx.append(", TIMESTAMP '1970-01-01 00:00:00')");
  },
};

export function createDuckDbQueryCompiler(): QueryCompiler {
  return createQueryCompiler({ quoteIdentifier: quoteDuckDbIdentifier, visitors: DUCKDB_VISITORS });
}
