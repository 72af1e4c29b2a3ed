import { describe, expect, it } from 'vitest';
import { RecentSpanIds } from './recent-span-ids.ts';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const trace = (n: number) => hex(n * 2654435761, 32);
const span = (n: number) => hex(n, 16);
/** a span of trace `t` with span number `n`, as the ingest rows carry it */
const key = (t: string, s: string, dataset = 'svc', name = 'chat', timestamp = 1_764_000_000_000_000) => ({
  trace_id: t,
  span_id: s,
  dataset,
  name,
  timestamp,
});

describe('recent span ids: a span sent again is recognised, within a bounded window', () => {
  it('claims a span once; the same span id in another trace, or from another service, is another span, and so is another name or start time', () => {
    const recent = new RecentSpanIds();
    expect(recent.claim(key(trace(1), span(1)))).toBe(true);
    expect(recent.claim(key(trace(1), span(1)))).toBe(false);
    expect(recent.claim(key(trace(2), span(1)))).toBe(true);
    expect(recent.claim(key(trace(1), span(2)))).toBe(true);
    expect(recent.claim(key(trace(1), span(1), 'other-svc'))).toBe(true);
    // made-up ids reused for a different span: another name or start time is another span
    expect(recent.claim(key(trace(1), span(1), 'svc', 'execute_tool'))).toBe(true);
    expect(recent.claim(key(trace(1), span(1), 'svc', 'chat', 1_764_000_000_000_001))).toBe(true);
    // a start time past 2^32 µs counts in full: 2^32 µs apart is another span
    expect(recent.claim(key(trace(1), span(1), 'svc', 'chat', 1_764_000_000_000_000 + 2 ** 32))).toBe(true);
    expect(recent.claim(key(trace(1), span(1), 'svc', 'chat', 1_764_000_000_000_000 + 2 ** 32))).toBe(false);
  });

  it('keeps 200,000 distinct pairs apart (no false repeats) and knows each again, through its growth', () => {
    const recent = new RecentSpanIds();
    const n = 200_000;
    // sequential span ids in few traces: the case where a weak hash would collide
    let fresh = 0;
    for (let i = 0; i < n; i++) if (recent.claim(key(trace(i % 7), span(i)))) fresh++;
    expect(fresh).toBe(n);
    let repeats = 0;
    for (let i = 0; i < n; i++) if (!recent.claim(key(trace(i % 7), span(i)))) repeats++;
    expect(repeats).toBe(n);
  });

  it('releases the claims of a failed write, so the retry is stored', () => {
    const recent = new RecentSpanIds();
    const claims: number[] = [];
    for (let i = 0; i < 100; i++) recent.claim(key(trace(1), span(i)), claims);
    expect(claims.length).toBe(200);
    recent.release(claims);
    for (let i = 0; i < 100; i++) expect(recent.claim(key(trace(1), span(i)))).toBe(true);
    // a released slot does not hide pairs stored after it in the same probe run
    for (let i = 0; i < 100; i++) expect(recent.claim(key(trace(1), span(i)))).toBe(false);
  });

  it('forgets the oldest generation: memory stays bounded, the last generation is always known', () => {
    const recent = new RecentSpanIds(1000);
    for (let i = 0; i < 1000; i++) recent.claim(key(trace(3), span(i)));
    for (let i = 1000; i < 2000; i++) recent.claim(key(trace(3), span(i)));
    // 0..999 are the previous generation, 1000..1999 the current one: both known
    expect(recent.claim(key(trace(3), span(10)))).toBe(false);
    expect(recent.claim(key(trace(3), span(1990)))).toBe(false);
    // one more pair starts a new generation: 0..999 are dropped
    expect(recent.claim(key(trace(3), span(5000)))).toBe(true);
    expect(recent.claim(key(trace(3), span(10)))).toBe(true);
    expect(recent.claim(key(trace(3), span(1990)))).toBe(false);
  });
});
