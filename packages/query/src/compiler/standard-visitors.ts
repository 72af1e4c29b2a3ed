import type {
  BinaryNode,
  BinaryOperator,
  ExpressionNode,
  SelectNode,
  StandardNodeKind,
  WindowNode,
} from '../tree/nodes.ts';
import type { CompileContext, NodeVisitors } from './query-compiler.ts';

const BINARY_SQL: Readonly<Record<BinaryOperator, string>> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  and: 'AND',
  or: 'OR',
  is_not_distinct_from: 'IS NOT DISTINCT FROM',
};

const BINARY_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  or: 1,
  and: 2,
  '=': 4,
  '<>': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  is_not_distinct_from: 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
};

const ASSOCIATIVE = new Set<BinaryOperator>(['and', 'or', '+', '*']);

/** How tightly an expression binds; anything that is not an operator is atomic. */
function precedence(node: ExpressionNode): number {
  if (node.kind === 'binary') return BINARY_PRECEDENCE[node.op];
  if (node.kind === 'unary') return node.op === 'not' ? 3 : 4;
  if (node.kind === 'in_list' || node.kind === 'like') return 4;
  return 10;
}

/** Visits `child`, in parentheses when the operator around it would otherwise capture it. */
export function visitOperand(ctx: CompileContext, child: ExpressionNode, needsParens: boolean): void {
  if (needsParens) ctx.append('(');
  ctx.visit(child);
  if (needsParens) ctx.append(')');
}

/** Parentheses for anything that is an operator itself: used for operands of postfix and prefix ops. */
export const isCompound = (node: ExpressionNode): boolean => precedence(node) < 10;

function visitBinary(node: BinaryNode, ctx: CompileContext): void {
  const own = precedence(node);
  const left = precedence(node.left);
  const right = precedence(node.right);
  visitOperand(ctx, node.left, left < own || (left === own && own === 4));
  ctx.append(` ${BINARY_SQL[node.op]} `);
  const sameChain = node.right.kind === 'binary' && node.right.op === node.op && ASSOCIATIVE.has(node.op);
  visitOperand(ctx, node.right, right < own || (right === own && !sameChain));
}

function visitSelect(node: SelectNode, ctx: CompileContext): void {
  if (node.with.length > 0) {
    ctx.append('WITH ');
    ctx.list(node.with);
    ctx.append(' ');
  }
  ctx.append('SELECT ');
  ctx.list(node.selections);
  ctx.append(' ');
  const { from, joins, where, groupBy, having, orderBy, limit } = node;
  const clauses = [from, ...joins, where, groupBy, having, orderBy, limit];
  ctx.list(
    clauses.filter((clause): clause is NonNullable<typeof clause> => clause !== undefined),
    ' ',
  );
}

function visitWindow(node: WindowNode, ctx: CompileContext): void {
  ctx.append('SUM(');
  ctx.visit(node.arg);
  ctx.append(') OVER (');
  let gap = '';
  if (node.partitionBy.length > 0) {
    ctx.append('PARTITION BY ');
    ctx.list(node.partitionBy);
    gap = ' ';
  }
  if (node.orderBy.length > 0) {
    ctx.append(`${gap}ORDER BY `);
    ctx.list(node.orderBy);
    gap = ' ';
  }
  if (node.frame === 'running') ctx.append(`${gap}ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`);
  ctx.append(')');
}

export const STANDARD_VISITORS: NodeVisitors<StandardNodeKind> = {
  select: visitSelect,
  cte: (node, ctx) => {
    ctx.identifier(node.name);
    ctx.append(' AS (');
    ctx.visit(node.query);
    ctx.append(')');
  },
  alias: (node, ctx) => {
    ctx.visit(node.expr);
    const { expr } = node;
    if (expr.kind === 'column' && expr.table === undefined && expr.column === node.alias) return;
    ctx.append(' AS ');
    ctx.identifier(node.alias);
  },
  table: (node, ctx) => ctx.identifier(node.name),
  from: (node, ctx) => {
    ctx.append('FROM ');
    ctx.visit(node.table);
  },
  join: (node, ctx) => {
    ctx.append(node.joinType === 'inner' ? 'INNER JOIN ' : 'CROSS JOIN ');
    ctx.visit(node.table);
    if (node.on) {
      ctx.append(' ON ');
      ctx.visit(node.on);
    }
  },
  where: (node, ctx) => {
    ctx.append('WHERE ');
    ctx.visit(node.condition);
  },
  group_by: (node, ctx) => {
    ctx.append('GROUP BY ');
    ctx.list(node.items);
  },
  having: (node, ctx) => {
    ctx.append('HAVING ');
    ctx.visit(node.condition);
  },
  order_item: (node, ctx) => {
    ctx.visit(node.expr);
    ctx.append(node.direction === 'asc' ? ' ASC NULLS LAST' : ' DESC NULLS LAST');
  },
  order_by: (node, ctx) => {
    ctx.append('ORDER BY ');
    ctx.list(node.items);
  },
  limit: (node, ctx) => {
    ctx.append('LIMIT ');
    ctx.visit(node.count);
  },
  column: (node, ctx) => {
    if (node.table !== undefined) {
      ctx.identifier(node.table);
      ctx.append('.');
    }
    ctx.identifier(node.column);
  },
  literal: (node, ctx) => {
    if (!Number.isFinite(node.value)) throw new Error(`literal must be a finite number, got ${node.value}`);
    ctx.append(node.value < 0 ? `(${node.value})` : String(node.value));
  },
  binary: visitBinary,
  unary: (node, ctx) => {
    if (node.op === 'not') ctx.append('NOT ');
    visitOperand(ctx, node.operand, node.op === 'not' || isCompound(node.operand));
    if (node.op !== 'not') ctx.append(node.op === 'is_null' ? ' IS NULL' : ' IS NOT NULL');
  },
  in_list: (node, ctx) => {
    visitOperand(ctx, node.expr, isCompound(node.expr));
    ctx.append(node.negated ? ' NOT IN (' : ' IN (');
    ctx.list(node.values);
    ctx.append(')');
  },
  case: (node, ctx) => {
    ctx.append('CASE');
    for (const { when, then } of node.whens) {
      ctx.append(' WHEN ');
      ctx.visit(when);
      ctx.append(' THEN ');
      ctx.visit(then);
    }
    if (node.else) {
      ctx.append(' ELSE ');
      ctx.visit(node.else);
    }
    ctx.append(' END');
  },
  window: visitWindow,
};
