export type {
  CompiledQuery,
  CompiledStatement,
  CompileOptions,
  ResultShape,
  StatementRole,
} from './compile-query.ts';
export { compileQuery } from './compile-query.ts';
export type {
  CompileContext,
  CompiledSql,
  DialectCompilerParts,
  NodeVisitor,
  NodeVisitors,
  QueryCompiler,
  QueryParam,
} from './compiler/query-compiler.ts';
export { createQueryCompiler } from './compiler/query-compiler.ts';
export type { Dialect } from './dialect/dialect.ts';
export {
  createDuckDbTableSql,
  createDuckDbTableSql as createTableSql,
  migrateDuckDbTableSql,
} from './dialect/duckdb/duckdb-ddl.ts';
export { duckDbDialect } from './dialect/duckdb/duckdb-dialect.ts';
export { HEATMAP_BUCKETS } from './plan/heatmap-builder.ts';
export { defaultGranularity, MAX_BUCKETS } from './plan/time-window.ts';
export type { SqlExecutor } from './result/execute-query.ts';
export { executeQuery } from './result/execute-query.ts';
export type {
  CalculationValues,
  GroupKey,
  HeatmapCell,
  HeatmapResult,
  QueryResult,
  QueryResultMeta,
  ResultGroup,
  ResultSeries,
  SeriesPoint,
} from './result/query-result.ts';
export type { KeyValue } from './result/result-values.ts';
export { parseQuery } from './spec/parse-query.ts';
export type {
  Calculation,
  CalculationOp,
  Filter,
  FilterOp,
  FilterValue,
  Having,
  HavingOp,
  Order,
  QuerySpec,
  QuerySpecInput,
} from './spec/query-spec.ts';
export {
  CALCULATION_OPS,
  DEFAULT_LIMIT,
  DEFAULT_TIME_RANGE_SECONDS,
  FILTER_OPS,
  HAVING_OPS,
  MAX_LIMIT,
  querySpecSchema,
} from './spec/query-spec.ts';
export type {
  AttributeType,
  DialectNodeKind,
  ExpressionNode,
  LogicalType,
  NodeKind,
  NodeOfKind,
  OperationNode,
  ParamValue,
  SelectNode,
  StandardNodeKind,
  ValueNode,
} from './tree/nodes.ts';
