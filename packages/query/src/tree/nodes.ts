/**
 * The syntax tree a query compiles through. Every node is a frozen `{ kind: ... }` object; dialect
 * compilers are visitors over these kinds (see `compiler/query-compiler.ts`). Nodes never hold SQL text:
 * identifiers are plain names the compiler quotes, user values are `value` nodes the compiler turns into
 * parameters, and `literal` nodes are numeric constants chosen by the compiler itself (a quantile level,
 * a bucket count), never user input.
 */

/** The type a parameter or attribute lookup carries, so a dialect can type its placeholder. */
export type LogicalType = 'string' | 'integer' | 'float' | 'boolean' | 'timestamp';
/** How an attribute lookup reads the JSON value. */
export type AttributeType = 'string' | 'float' | 'boolean';
export type ParamValue = string | number | boolean;

/** A user value, always compiled to a parameter. Timestamps are epoch microseconds. */
export interface ValueNode {
  readonly kind: 'value';
  readonly value: ParamValue;
  readonly type: LogicalType;
}

export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: number;
}

export interface ColumnNode {
  readonly kind: 'column';
  readonly column: string;
  readonly table?: string;
}

/** A key inside a JSON-text column (`attributes`), read as `type`. */
export interface AttributeNode {
  readonly kind: 'attribute';
  readonly column: string;
  readonly key: string;
  readonly type: AttributeType;
}

/** True when the key is present in the JSON-text column. */
export interface AttributeExistsNode {
  readonly kind: 'attribute_exists';
  readonly column: string;
  readonly key: string;
}

export type BinaryOperator =
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | 'and'
  | 'or'
  | 'is_not_distinct_from';

export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

export type UnaryOperator = 'not' | 'is_null' | 'is_not_null';

export interface UnaryNode {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: ExpressionNode;
}

export interface InListNode {
  readonly kind: 'in_list';
  readonly expr: ExpressionNode;
  readonly values: readonly ExpressionNode[];
  readonly negated: boolean;
}

/** `expr LIKE pattern` where the pattern escapes `%`, `_` and `\` with a backslash. */
export interface LikeNode {
  readonly kind: 'like';
  readonly expr: ExpressionNode;
  readonly pattern: ValueNode;
  readonly negated: boolean;
}

/** Portable scalar functions; a dialect maps each name onto its own spelling. */
export type FunctionName = 'coalesce' | 'floor' | 'ceil' | 'least' | 'epoch_ms';

export interface FunctionCallNode {
  readonly kind: 'function_call';
  readonly name: FunctionName;
  readonly args: readonly ExpressionNode[];
}

export type AggregateFunction = 'count_star' | 'count_distinct' | 'sum' | 'min' | 'max' | 'quantile_cont';

export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly fn: AggregateFunction;
  readonly arg?: ExpressionNode;
  /** quantile level in [0, 1] for `quantile_cont` */
  readonly level?: number;
  /**
   * Every level of the same input in the statement, computed by one aggregate (one sort instead of one
   * per level); the node's value is the entry for `level`. Absent or one entry: a plain quantile.
   */
  readonly levels?: readonly number[];
}

/** `SUM(arg) OVER (PARTITION BY … ORDER BY …)`: `running` frames end at the current row. */
export interface WindowNode {
  readonly kind: 'window';
  readonly fn: 'sum';
  readonly arg: ExpressionNode;
  readonly partitionBy: readonly ExpressionNode[];
  readonly orderBy: readonly OrderItemNode[];
  readonly frame: 'running' | 'partition';
}

export interface CaseNode {
  readonly kind: 'case';
  readonly whens: readonly { readonly when: ExpressionNode; readonly then: ExpressionNode }[];
  readonly else?: ExpressionNode;
}

/** Start of the `seconds`-wide bucket holding `expr`, buckets aligned to the Unix epoch. */
export interface TimeBucketNode {
  readonly kind: 'time_bucket';
  readonly expr: ExpressionNode;
  readonly seconds: ValueNode;
}

export type ExpressionNode =
  | ValueNode
  | LiteralNode
  | ColumnNode
  | AttributeNode
  | AttributeExistsNode
  | BinaryNode
  | UnaryNode
  | InListNode
  | LikeNode
  | FunctionCallNode
  | AggregateNode
  | WindowNode
  | CaseNode
  | TimeBucketNode;

export interface AliasNode {
  readonly kind: 'alias';
  readonly expr: ExpressionNode;
  readonly alias: string;
}

export interface TableNode {
  readonly kind: 'table';
  readonly name: string;
}

export interface FromNode {
  readonly kind: 'from';
  readonly table: TableNode;
}

export interface JoinNode {
  readonly kind: 'join';
  readonly joinType: 'inner' | 'cross';
  readonly table: TableNode;
  readonly on?: ExpressionNode;
}

export interface WhereNode {
  readonly kind: 'where';
  readonly condition: ExpressionNode;
}

export interface GroupByNode {
  readonly kind: 'group_by';
  readonly items: readonly ExpressionNode[];
}

export interface HavingNode {
  readonly kind: 'having';
  readonly condition: ExpressionNode;
}

export interface OrderItemNode {
  readonly kind: 'order_item';
  readonly expr: ExpressionNode;
  readonly direction: 'asc' | 'desc';
}

export interface OrderByNode {
  readonly kind: 'order_by';
  readonly items: readonly OrderItemNode[];
}

export interface LimitNode {
  readonly kind: 'limit';
  readonly count: ValueNode;
}

export interface CteNode {
  readonly kind: 'cte';
  readonly name: string;
  readonly query: SelectNode;
}

export interface SelectNode {
  readonly kind: 'select';
  readonly with: readonly CteNode[];
  readonly selections: readonly AliasNode[];
  readonly from: FromNode;
  readonly joins: readonly JoinNode[];
  readonly where?: WhereNode;
  readonly groupBy?: GroupByNode;
  readonly having?: HavingNode;
  readonly orderBy?: OrderByNode;
  readonly limit?: LimitNode;
}

export type OperationNode =
  | ExpressionNode
  | AliasNode
  | TableNode
  | FromNode
  | JoinNode
  | WhereNode
  | GroupByNode
  | HavingNode
  | OrderItemNode
  | OrderByNode
  | LimitNode
  | CteNode
  | SelectNode;

export type NodeKind = OperationNode['kind'];

/**
 * Kinds whose SQL differs between databases: every dialect must handle each one. Adding a kind here (or
 * anywhere in `NodeKind` without a shared visitor) fails to compile until every dialect handles it.
 */
export type DialectNodeKind = Extract<
  NodeKind,
  'value' | 'attribute' | 'attribute_exists' | 'like' | 'function_call' | 'aggregate' | 'time_bucket'
>;

/** Kinds every SQL database spells the same way; `compiler/standard-visitors.ts` handles them once. */
export type StandardNodeKind = Exclude<NodeKind, DialectNodeKind>;

export type NodeOfKind<K extends NodeKind> = Extract<OperationNode, { kind: K }>;
