import type {
  AggregateFunction,
  AliasNode,
  AttributeNode,
  AttributeType,
  BinaryNode,
  BinaryOperator,
  CaseNode,
  ColumnNode,
  CteNode,
  ExpressionNode,
  FunctionCallNode,
  FunctionName,
  GroupByNode,
  HavingNode,
  InListNode,
  JoinNode,
  LimitNode,
  LiteralNode,
  LogicalType,
  OrderByNode,
  OrderItemNode,
  ParamValue,
  SelectNode,
  TableNode,
  UnaryNode,
  UnaryOperator,
  ValueNode,
  WhereNode,
} from './nodes.ts';

/** Small constructors that return frozen nodes; the statement builders read like the SQL they make. */
export const freeze = <T extends object>(node: T): T => Object.freeze(node);

export const value = (v: ParamValue, type: LogicalType): ValueNode =>
  freeze({ kind: 'value', value: v, type });

export function literal(v: number): LiteralNode {
  if (!Number.isFinite(v)) throw new Error(`literal must be a finite number, got ${v}`);
  return freeze({ kind: 'literal', value: v });
}

export const column = (name: string, table?: string): ColumnNode =>
  freeze(table === undefined ? { kind: 'column', column: name } : { kind: 'column', column: name, table });

export const attribute = (jsonColumn: string, key: string, type: AttributeType): AttributeNode =>
  freeze({ kind: 'attribute', column: jsonColumn, key, type });

export const binary = (left: ExpressionNode, op: BinaryOperator, right: ExpressionNode): BinaryNode =>
  freeze({ kind: 'binary', op, left, right });

export const unary = (op: UnaryOperator, operand: ExpressionNode): UnaryNode =>
  freeze({ kind: 'unary', op, operand });

export const call = (name: FunctionName, ...args: ExpressionNode[]): FunctionCallNode =>
  freeze({ kind: 'function_call', name, args: freeze(args) });

export function aggregate(
  fn: AggregateFunction,
  arg?: ExpressionNode,
  level?: number,
  levels?: readonly number[],
): ExpressionNode {
  return freeze({
    kind: 'aggregate',
    fn,
    ...(arg ? { arg } : {}),
    ...(level === undefined ? {} : { level }),
    ...(levels && levels.length > 1 ? { levels: freeze([...levels]) } : {}),
  });
}

/** `CASE WHEN when THEN then END` (NULL otherwise). */
export const inList = (
  expr: ExpressionNode,
  values: readonly ExpressionNode[],
  negated: boolean,
): InListNode => freeze({ kind: 'in_list', expr, values: freeze([...values]), negated });

export const caseWhen = (when: ExpressionNode, then: ExpressionNode): CaseNode =>
  freeze({ kind: 'case', whens: freeze([freeze({ when, then })]) });

/** Joins conditions with AND / OR; one condition stands alone, none is `undefined`. */
export function combine(op: 'and' | 'or', conditions: readonly ExpressionNode[]): ExpressionNode | undefined {
  return conditions.reduce<ExpressionNode | undefined>(
    (acc, next) => (acc === undefined ? next : binary(acc, op, next)),
    undefined,
  );
}

export const as = (expr: ExpressionNode, alias: string): AliasNode => freeze({ kind: 'alias', expr, alias });

export const orderItem = (expr: ExpressionNode, direction: 'asc' | 'desc'): OrderItemNode =>
  freeze({ kind: 'order_item', expr, direction });

export const cte = (name: string, query: SelectNode): CteNode => freeze({ kind: 'cte', name, query });

export interface SelectParts {
  with?: readonly CteNode[];
  selections: readonly AliasNode[];
  from: string;
  join?: { table: string; on?: ExpressionNode };
  where?: ExpressionNode | undefined;
  groupBy?: readonly ExpressionNode[];
  having?: ExpressionNode | undefined;
  orderBy?: readonly OrderItemNode[];
  limit?: ValueNode;
}

const table = (name: string): TableNode => freeze({ kind: 'table', name });

function joinNode(join: NonNullable<SelectParts['join']>): JoinNode {
  if (!join.on) return freeze({ kind: 'join', joinType: 'cross', table: table(join.table) });
  return freeze({ kind: 'join', joinType: 'inner', table: table(join.table), on: join.on });
}

/** Builds a SELECT; empty clauses are left out. */
export function select(parts: SelectParts): SelectNode {
  const { join, where, groupBy, having, orderBy, limit } = parts;
  const node: SelectNode = {
    kind: 'select',
    with: freeze([...(parts.with ?? [])]),
    selections: freeze([...parts.selections]),
    from: freeze({ kind: 'from', table: table(parts.from) }),
    joins: freeze(join ? [joinNode(join)] : []),
    ...(where ? { where: freeze<WhereNode>({ kind: 'where', condition: where }) } : {}),
    ...(groupBy?.length
      ? { groupBy: freeze<GroupByNode>({ kind: 'group_by', items: freeze([...groupBy]) }) }
      : {}),
    ...(having ? { having: freeze<HavingNode>({ kind: 'having', condition: having }) } : {}),
    ...(orderBy?.length
      ? { orderBy: freeze<OrderByNode>({ kind: 'order_by', items: freeze([...orderBy]) }) }
      : {}),
    ...(limit ? { limit: freeze<LimitNode>({ kind: 'limit', count: limit }) } : {}),
  };
  return freeze(node);
}
