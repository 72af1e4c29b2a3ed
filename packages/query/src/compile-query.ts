import type { QueryParam } from './compiler/query-compiler.ts';
import type { Dialect } from './dialect/dialect.ts';
import { heatmapStatement } from './plan/heatmap-builder.ts';
import { planQuery, type QueryPlan } from './plan/query-plan.ts';
import {
  groupsStatement,
  seriesNeedsTopGroups,
  seriesStatement,
  totalsStatement,
} from './plan/statement-builder.ts';
import { parseQuery } from './spec/parse-query.ts';
import type { QuerySpecInput } from './spec/query-spec.ts';
import type { SelectNode } from './tree/nodes.ts';

export interface CompileOptions {
  dialect: Dialect;
  /** "now" for relative time ranges; defaults to the clock */
  nowMs?: number;
  /**
   * Whether rows may carry a sample rate above 1. False (the server knows every row in range has
   * sample_rate 1) lets percentiles use the database's own `quantile_cont`; counts, sums and averages
   * are weighted either way.
   */
  weighted: boolean;
  /** put the SQL in `meta.sql` even when the query does not ask (`show_sql`) */
  showSql?: boolean;
}

export type StatementRole = 'totals' | 'groups' | 'series' | 'heatmap';

export interface CompiledStatement {
  readonly role: StatementRole;
  /** the HEATMAP calculation's result name, for heatmap statements */
  readonly calculation?: string;
  readonly sql: string;
  readonly params: readonly QueryParam[];
}

/** What result shaping needs to know about the query, beside the rows. */
export interface ResultShape {
  readonly calculations: readonly {
    readonly name: string;
    readonly alias: string;
    readonly isCount: boolean;
  }[];
  readonly keys: readonly { readonly name: string; readonly slot: string; readonly isTimestamp: boolean }[];
  readonly startMs: number;
  readonly endMs: number;
  readonly granularitySeconds: number;
  /** the first groups that get a time series (see MAX_SERIES_POINTS) */
  readonly seriesLimit: number;
  readonly showSql: boolean;
  readonly warnings: readonly string[];
}

export interface CompiledQuery {
  readonly statements: readonly CompiledStatement[];
  readonly shape: ResultShape;
}

function trees(plan: QueryPlan): { role: StatementRole; calculation?: string; tree: SelectNode }[] {
  const scalar =
    plan.calculations.length === 0
      ? []
      : [
          { role: 'totals' as const, tree: totalsStatement(plan) },
          ...(seriesNeedsTopGroups(plan) ? [{ role: 'groups' as const, tree: groupsStatement(plan) }] : []),
          { role: 'series' as const, tree: seriesStatement(plan) },
        ];
  const heatmaps = plan.heatmaps.map((calc) => ({
    role: 'heatmap' as const,
    calculation: calc.name,
    tree: heatmapStatement(plan, calc),
  }));
  return [...scalar, ...heatmaps];
}

function shapeOf(plan: QueryPlan, showSql: boolean): ResultShape {
  return Object.freeze({
    calculations: plan.calculations.map((calc) => ({
      name: calc.name,
      alias: calc.alias,
      isCount: calc.op === 'COUNT',
    })),
    keys: plan.keys.map((key) => ({ name: key.name, slot: key.slot, isTimestamp: key.isTimestamp })),
    startMs: plan.window.startMs,
    endMs: plan.window.endMs,
    granularitySeconds: plan.window.granularitySeconds,
    seriesLimit: plan.seriesLimit,
    showSql,
    warnings: plan.warnings,
  });
}

/**
 * Validates a query and compiles it into named statements for one dialect: `totals` (everything that
 * matches), `groups` (per breakdown group, with havings, orders and limit; left out when there is nothing
 * to group), `series` (per time bucket for the top groups) and one `heatmap` per HEATMAP calculation.
 */
export function compileQuery(spec: QuerySpecInput, options: CompileOptions): CompiledQuery {
  const parsed = parseQuery(spec);
  const plan = planQuery(parsed, { nowMs: options.nowMs ?? Date.now(), weighted: options.weighted });
  const compiler = options.dialect.createQueryCompiler();
  const statements = trees(plan).map(({ tree, ...rest }) =>
    Object.freeze({ ...rest, ...compiler.compile(tree) }),
  );
  return Object.freeze({
    statements: Object.freeze(statements),
    shape: shapeOf(plan, plan.showSql || options.showSql === true),
  });
}
