import { describe, expect, it } from 'vitest';
import { ancestorsOf, axisTicks, buildSpanTree, flattenTree, parentsOf, type TreeSpan } from './span-tree.ts';

interface S extends TreeSpan {
  name: string;
}

function span(id: string, parent: string, start: number, end = start + 10): S {
  return { span_id: id, parent_span_id: parent, timestamp_us: start, end_timestamp_us: end, name: id };
}

const names = (tree: ReturnType<typeof buildSpanTree<S>>, collapsed?: Set<number>): string[] =>
  flattenTree(tree, collapsed).map((row) => `${'  '.repeat(row.depth)}${tree.spans[row.index]?.name}`);

describe('buildSpanTree / flattenTree', () => {
  it('orders children by start time whatever order the spans arrive in, depth first', () => {
    const tree = buildSpanTree([
      span('c2', 'root', 50),
      span('g1', 'c1', 30),
      span('root', '', 0, 100),
      span('c1', 'root', 20),
      span('g0', 'c1', 25),
    ]);
    expect(names(tree)).toEqual(['root', '  c1', '    g0', '    g1', '  c2']);
    expect(tree.roots).toHaveLength(1);
    expect(tree.maxDepth).toBe(2);
    expect(tree.startUs).toBe(0);
    expect(tree.endUs).toBe(100);
  });

  it('puts a parent before a child that starts at the same microsecond, and breaks ties by id', () => {
    const tree = buildSpanTree([span('b', 'a', 0, 5), span('a', '', 0, 50), span('d', 'a', 0, 5)]);
    expect(names(tree)).toEqual(['a', '  b', '  d']);
  });

  it('counts depth and descendants', () => {
    const tree = buildSpanTree([span('r', '', 0), span('a', 'r', 1), span('b', 'a', 2), span('c', 'r', 3)]);
    const at = (id: string): number => tree.byId.get(id) as number;
    expect([...['r', 'a', 'b', 'c'].map((id) => tree.depth[at(id)])]).toEqual([0, 1, 2, 1]);
    expect([...['r', 'a', 'b', 'c'].map((id) => tree.descendants[at(id)])]).toEqual([3, 1, 0, 0]);
    expect(ancestorsOf(tree, at('b'))).toEqual([at('a'), at('r')]);
  });

  it('attaches orphans (parent missing) to the root level in start order', () => {
    const tree = buildSpanTree([
      span('late-orphan', 'missing-1', 40),
      span('root', '', 10, 100),
      span('child', 'root', 20),
      span('early-orphan', 'missing-2', 5),
      span('orphan-child', 'early-orphan', 6),
    ]);
    expect(names(tree)).toEqual(['early-orphan', '  orphan-child', 'root', '  child', 'late-orphan']);
    expect(tree.orphans).toBe(2);
  });

  it('hides the descendants of a collapsed span, and only them', () => {
    const tree = buildSpanTree([
      span('r', '', 0, 100),
      span('agent', 'r', 1, 50),
      span('chat', 'agent', 2),
      span('tool', 'agent', 3),
      span('after', 'r', 60),
    ]);
    const agent = tree.byId.get('agent') as number;
    const rows = flattenTree(tree, new Set([agent]));
    expect(rows.map((row) => tree.spans[row.index]?.name)).toEqual(['r', 'agent', 'after']);
    expect(rows[1]).toMatchObject({ hasChildren: true, collapsed: true, depth: 1 });
    // collapsing a leaf changes nothing
    const leaf = tree.byId.get('after') as number;
    expect(flattenTree(tree, new Set([leaf]))).toHaveLength(5);
    // collapse all leaves the roots
    expect(flattenTree(tree, parentsOf(tree)).map((row) => tree.spans[row.index]?.name)).toEqual(['r']);
  });

  it('never loops on cycles or self-parents, and shows every span once', () => {
    const tree = buildSpanTree([
      span('a', 'b', 10),
      span('b', 'c', 20),
      span('c', 'a', 30),
      span('self', 'self', 40),
      span('root', '', 0),
    ]);
    const rows = flattenTree(tree);
    expect(rows).toHaveLength(5);
    expect(names(tree)).toEqual(['root', 'a', '  c', '    b', 'self']);
    expect(tree.orphans).toBe(2);
    expect(ancestorsOf(tree, tree.byId.get('b') as number)).toHaveLength(2);
  });

  it('keeps both copies of a span id sent twice; children attach to the first', () => {
    const tree = buildSpanTree([span('r', '', 0), span('x', 'r', 5), span('x', 'r', 6), span('k', 'x', 7)]);
    expect(names(tree)).toEqual(['r', '  x', '    k', '  x']);
  });

  it('handles empty input and deep chains without recursion', () => {
    expect(flattenTree(buildSpanTree([]))).toEqual([]);
    const chain: S[] = [];
    for (let i = 0; i < 50_000; i++) chain.push(span(`s${i}`, i === 0 ? '' : `s${i - 1}`, i, 100_000 - i));
    const tree = buildSpanTree(chain.reverse());
    const rows = flattenTree(tree);
    expect(rows).toHaveLength(50_000);
    expect(rows[49_999]?.depth).toBe(49_999);
    expect(tree.descendants[tree.roots[0] as number]).toBe(49_999);
  });

  it('builds and flattens 10,000 spans of a wide, nested tree', () => {
    const spans: S[] = [span('root', '', 0, 1_000_000)];
    for (let a = 0; a < 100; a++) {
      spans.push(span(`agent${a}`, 'root', a * 10_000, a * 10_000 + 9_000));
      for (let c = 0; c < 99; c++) spans.push(span(`a${a}c${c}`, `agent${a}`, a * 10_000 + c * 90 + 1));
    }
    const tree = buildSpanTree(spans.reverse());
    const rows = flattenTree(tree);
    expect(rows).toHaveLength(spans.length);
    expect(tree.spans[rows[rows.length - 1]?.index as number]?.name).toBe('a99c98');
    expect(flattenTree(tree, parentsOf(tree))).toHaveLength(1);
  });
});

describe('axisTicks', () => {
  it('gives round steps from 0 to the duration', () => {
    expect(axisTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(95, 5)).toEqual([0, 20, 40, 60, 80]);
    expect(axisTicks(6_480_000)).toEqual([0, 1_800_000, 3_600_000, 5_400_000]);
    expect(axisTicks(100_000)).toEqual([0, 30_000, 60_000, 90_000]);
    expect(axisTicks(90_000)).toEqual([0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000]);
    expect(axisTicks(10 * 86_400_000, 5)).toEqual([0, 2, 4, 6, 8, 10].map((d) => d * 86_400_000));
    expect(axisTicks(0)).toEqual([0]);
    expect(axisTicks(Number.NaN)).toEqual([0]);
    const ticks = axisTicks(0.37);
    expect(ticks[1]).toBeCloseTo(0.1);
    expect(ticks.length).toBeGreaterThan(2);
  });
});
