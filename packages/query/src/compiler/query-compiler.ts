import type {
  DialectNodeKind,
  LogicalType,
  NodeKind,
  NodeOfKind,
  OperationNode,
  ParamValue,
  SelectNode,
  StandardNodeKind,
  ValueNode,
} from '../tree/nodes.ts';
import { STANDARD_VISITORS } from './standard-visitors.ts';

/** One bound parameter: the value and the logical type a driver needs to bind it. */
export interface QueryParam {
  readonly value: ParamValue;
  readonly type: LogicalType;
}

export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly QueryParam[];
}

/** What a visitor may do while compiling one statement. */
export interface CompileContext {
  visit(node: OperationNode): void;
  /** visits nodes with `separator` between them */
  list(nodes: readonly OperationNode[], separator?: string): void;
  append(sql: string): void;
  identifier(name: string): void;
  /** registers a parameter (equal value and type share one) and returns its 1-based position */
  parameter(node: ValueNode): number;
}

export type NodeVisitor<K extends NodeKind> = (node: NodeOfKind<K>, ctx: CompileContext) => void;
export type NodeVisitors<K extends NodeKind> = { readonly [P in K]: NodeVisitor<P> };

export interface QueryCompiler {
  compile(node: SelectNode): CompiledSql;
}

export interface DialectCompilerParts {
  quoteIdentifier(name: string): string;
  /** the kinds whose SQL is this dialect's own; the rest come from the standard visitors */
  visitors: NodeVisitors<DialectNodeKind>;
}

const standard: NodeVisitors<StandardNodeKind> = STANDARD_VISITORS;

/** Makes a compiler from a dialect's identifier quoting and its visitors for dialect-specific kinds. */
export function createQueryCompiler(parts: DialectCompilerParts): QueryCompiler {
  const visitors: NodeVisitors<NodeKind> = { ...standard, ...parts.visitors };
  return { compile: (node) => compileWith(visitors, parts.quoteIdentifier, node) };
}

function compileWith(
  visitors: NodeVisitors<NodeKind>,
  quoteIdentifier: (name: string) => string,
  root: SelectNode,
): CompiledSql {
  const chunks: string[] = [];
  const params: QueryParam[] = [];
  const positions = new Map<string, number>();
  const ctx: CompileContext = {
    visit: (node) => (visitors[node.kind] as NodeVisitor<typeof node.kind>)(node as never, ctx),
    list: (nodes, separator = ', ') =>
      nodes.forEach((node, i) => {
        if (i > 0) chunks.push(separator);
        ctx.visit(node);
      }),
    append: (sql) => chunks.push(sql),
    identifier: (name) => chunks.push(quoteIdentifier(name)),
    parameter: (node) => {
      const key = `${node.type}:${typeof node.value}:${String(node.value)}`;
      const known = positions.get(key);
      if (known !== undefined) return known;
      params.push(Object.freeze({ value: node.value, type: node.type }));
      positions.set(key, params.length);
      return params.length;
    },
  };
  ctx.visit(root);
  return Object.freeze({ sql: chunks.join(''), params: Object.freeze(params) });
}
