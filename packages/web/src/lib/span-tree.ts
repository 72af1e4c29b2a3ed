/**
 * A trace's spans as a tree, and the tree as the rows a waterfall draws. Pure and fast enough for traces
 * of tens of thousands of spans: building sorts once (O(n log n)); flattening is one pass (O(n)).
 *
 * - parent/child by `parent_span_id`; a span whose parent is missing (not sent, or dropped by sampling)
 *   is an orphan and joins the root level; so does a span that names itself as its parent
 * - children (and roots) in start-time order; at the same start the longer span first, then by span id
 * - a span id sent twice: children attach to the first copy; both copies are shown
 * - cycles (A → B → A) cannot loop: every span is placed exactly once, and the earliest span of a cycle
 *   that no root reaches becomes a root
 */

export interface TreeSpan {
  span_id: string;
  parent_span_id: string;
  timestamp_us: number;
  end_timestamp_us: number;
}

export interface SpanTree<S extends TreeSpan> {
  /** the spans in start-time order; every other field indexes into this array */
  spans: S[];
  /** index of each span's parent in the tree, -1 at the root level */
  parent: Int32Array;
  /** children of each span in start-time order */
  children: number[][];
  /** the root level in start-time order: true roots, orphans and cycle breakers */
  roots: number[];
  depth: Int32Array;
  /** how many spans sit below each span */
  descendants: Int32Array;
  /** span id → index (the first copy when an id repeats) */
  byId: Map<string, number>;
  /** spans placed at the root level although they name a parent (missing, itself or in a cycle) */
  orphans: number;
  maxDepth: number;
  /** earliest start and latest end over all spans (µs) */
  startUs: number;
  endUs: number;
}

export function buildSpanTree<S extends TreeSpan>(input: readonly S[]): SpanTree<S> {
  const n = input.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const x = input[a] as S;
    const y = input[b] as S;
    if (x.timestamp_us !== y.timestamp_us) return x.timestamp_us - y.timestamp_us;
    if (x.end_timestamp_us !== y.end_timestamp_us) return y.end_timestamp_us - x.end_timestamp_us;
    return x.span_id < y.span_id ? -1 : x.span_id > y.span_id ? 1 : a - b;
  });
  const spans = order.map((i) => input[i] as S);

  const byId = new Map<string, number>();
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as S;
    if (!byId.has(span.span_id)) byId.set(span.span_id, i);
    if (span.timestamp_us < startUs) startUs = span.timestamp_us;
    const end = Math.max(span.end_timestamp_us, span.timestamp_us);
    if (end > endUs) endUs = end;
  }

  // the edges spans claim, in start order (so every list is already sorted)
  const claimed: number[][] = Array.from({ length: n }, () => []);
  const candidates: number[] = [];
  let orphans = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as S;
    const p = span.parent_span_id ? byId.get(span.parent_span_id) : undefined;
    if (p === undefined || p === i) {
      candidates.push(i);
      if (span.parent_span_id) orphans++;
    } else {
      (claimed[p] as number[]).push(i);
    }
  }

  // walk from the root level; only edges to unvisited spans become tree edges, so nothing is placed twice
  const parent = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  const descendants = new Int32Array(n);
  const children: number[][] = new Array(n);
  const visited = new Uint8Array(n);
  const preorder: number[] = [];
  let maxDepth = 0;
  const walk = (root: number): void => {
    visited[root] = 1;
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop() as number;
      preorder.push(node);
      const kids: number[] = [];
      for (const child of claimed[node] as number[]) {
        if (visited[child]) continue;
        visited[child] = 1;
        parent[child] = node;
        const d = (depth[node] as number) + 1;
        depth[child] = d;
        if (d > maxDepth) maxDepth = d;
        kids.push(child);
        stack.push(child);
      }
      children[node] = kids;
    }
  };
  for (const root of candidates) walk(root);
  const roots = candidates;
  if (preorder.length < n) {
    // what is left sits on a cycle (or below one): break each at its earliest span
    for (let i = 0; i < n; i++) {
      if (visited[i]) continue;
      roots.push(i);
      orphans++;
      walk(i);
    }
    roots.sort((a, b) => a - b);
  }
  for (let k = preorder.length - 1; k >= 0; k--) {
    const node = preorder[k] as number;
    const p = parent[node] as number;
    if (p >= 0) descendants[p] = (descendants[p] as number) + (descendants[node] as number) + 1;
  }
  return {
    spans,
    parent,
    children,
    roots,
    depth,
    descendants,
    byId,
    orphans,
    maxDepth,
    startUs: n === 0 ? 0 : startUs,
    endUs: n === 0 ? 0 : endUs,
  };
}

/** One visible row of the waterfall. */
export interface FlatRow {
  /** index into `tree.spans` */
  index: number;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
}

/** The rows to draw in tree order (depth first), skipping everything below a collapsed span. O(n). */
export function flattenTree(
  tree: Pick<SpanTree<TreeSpan>, 'roots' | 'children' | 'depth'>,
  collapsed: ReadonlySet<number> = new Set(),
): FlatRow[] {
  const rows: FlatRow[] = [];
  const stack: number[] = [];
  for (let r = tree.roots.length - 1; r >= 0; r--) stack.push(tree.roots[r] as number);
  while (stack.length > 0) {
    const index = stack.pop() as number;
    const kids = tree.children[index] ?? [];
    const isCollapsed = kids.length > 0 && collapsed.has(index);
    rows.push({
      index,
      depth: tree.depth[index] as number,
      hasChildren: kids.length > 0,
      collapsed: isCollapsed,
    });
    if (isCollapsed) continue;
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k] as number);
  }
  return rows;
}

/** Every span that has children (what "collapse all" collapses). */
export function parentsOf(tree: Pick<SpanTree<TreeSpan>, 'children'>): Set<number> {
  const out = new Set<number>();
  tree.children.forEach((kids, index) => {
    if (kids.length > 0) out.add(index);
  });
  return out;
}

/** The chain of ancestors of a span, nearest first (to expand them when a span is opened by link). */
export function ancestorsOf(tree: Pick<SpanTree<TreeSpan>, 'parent'>, index: number): number[] {
  const out: number[] = [];
  let p = tree.parent[index] ?? -1;
  while (p >= 0 && out.length <= tree.parent.length) {
    out.push(p);
    p = tree.parent[p] ?? -1;
  }
  return out;
}

/** Round steps for a time axis, in ms: 1-2-5 below a second, then clock-like seconds, minutes, hours. */
const NICE_STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
  600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/**
 * Tick positions for a time axis of `durationMs`: round steps (1-2-5 × 10ⁿ ms below 1 ms; then 1, 2, 5 …
 * 500 ms, 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12, 24 h; 1-2-5 × 10ⁿ days above)
 * giving about `target` ticks.
 */
export function axisTicks(durationMs: number, target = 6): number[] {
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) return [0];
  const raw = durationMs / Math.max(1, target);
  const decimal = (value: number): number => {
    const magnitude = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= value) ?? 10 * magnitude;
  };
  const DAY = 86_400_000;
  const step = raw < 1 ? decimal(raw) : (NICE_STEPS_MS.find((s) => s >= raw) ?? decimal(raw / DAY) * DAY);
  const ticks: number[] = [];
  for (let i = 0; i * step <= durationMs * (1 + 1e-9); i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}
