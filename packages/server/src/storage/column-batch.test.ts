import { LOG_TABLE, type LogRow } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { forEachString, isPacked, packStrings, toColumnBatch } from './column-batch.ts';

describe('column batches pack string columns and give back exactly the strings packed', () => {
  it('keeps NULL, empty and non-ASCII strings apart', () => {
    const bodies = [
      '',
      'héllo wörld 🌍',
      'x'.repeat(5000),
      '',
      'tail',
      'héllo wörld 🌍',
      'tail',
      'lone \ud800 surrogate',
      'ok',
    ];
    const rows = bodies.map(
      (body, i): LogRow => ({
        timestamp: i,
        observed_timestamp: i,
        trace_id: '',
        span_id: '',
        severity_number: 9,
        severity_text: 'INFO',
        body,
        event_name: '',
        dataset: 'd',
        scope_name: 's',
        conversation_id: i % 2 ? null : `c${i % 4}`,
        user_id: null,
        sample_rate: 1,
        attributes: '{}',
        scope_version: '',
      }),
    );
    const batch = toColumnBatch('logs', rows);
    const bodyColumn = batch.columns[LOG_TABLE.findIndex((col) => col.column === 'body')];
    const conversationColumn = batch.columns[LOG_TABLE.findIndex((col) => col.column === 'conversation_id')];
    expect(isPacked(bodyColumn)).toBe(true);
    const seen: (string | null)[] = [];
    forEachString(bodyColumn, (value) => seen.push(value));
    // a lone surrogate is not UTF-8: it is stored as U+FFFD, and the entries after it keep their bounds
    expect(seen).toEqual(bodies.map((body) => body.replace('\ud800', '\ufffd')));
    const conversations: (string | null)[] = [];
    forEachString(conversationColumn, (value) => conversations.push(value));
    expect(conversations).toEqual(['c0', null, 'c2', null, 'c0', null, 'c2', null, 'c0']);
    const severities = batch.columns[LOG_TABLE.findIndex((col) => col.column === 'severity_number')];
    expect(severities).toEqual(bodies.map(() => 9));
  });

  it('grows its buffer when the UTF-8 outgrows the characters (CJK: 3 bytes a character), losing nothing', () => {
    const values = Array.from({ length: 300 }, (_, k) =>
      k % 7 === 0 ? null : `${'漢字かな'.repeat(1 + (k % 40))} ${k} ${'🌍'.repeat(k % 3)}`,
    );
    const packed = packStrings(values);
    expect(packed.bytes.length).toBeGreaterThan(2.5 * values.reduce((n, v) => n + (v?.length ?? 0), 0));
    const seen: (string | null)[] = [];
    forEachString(packed, (value) => seen.push(value));
    expect(seen).toEqual(values);
  });
});
