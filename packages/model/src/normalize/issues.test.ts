import { describe, expect, it } from 'vitest';
import { checkHexId, ID_MALFORMED, ID_OK, ID_UPPER, ID_ZERO, IssueCollector, validHexId } from './issues.ts';

describe('IssueCollector', () => {
  it('writes one line per distinct problem with its count and first example', () => {
    const issues = new IssueCollector();
    issues.add('span rejected: trace id is all zeros', 'a');
    issues.add('span rejected: trace id is all zeros', 'b');
    issues.add('metric rejected: it has no name', '');
    expect(issues.messages()).toEqual([
      '2 × span rejected: trace id is all zeros (first: "a")',
      '1 × metric rejected: it has no name (first: "")',
    ]);
  });

  it('keeps at most ten lines and shortens long examples', () => {
    const issues = new IssueCollector();
    for (let i = 0; i < 25; i++) issues.add(`problem ${i}`, 'x'.repeat(100));
    const messages = issues.messages();
    expect(messages).toHaveLength(10);
    expect(messages[0]).toBe(`1 × problem 0 (first: "${'x'.repeat(48)}…")`);
    expect(messages[9]).toBe('… and 16 more kinds of problem');
  });
});

describe('hex ids', () => {
  it.each([
    ['4bf92f3577b34da6a3ce929d0e0e4736', 32, ID_OK],
    ['4BF92F3577B34DA6A3CE929D0E0E4736', 32, ID_UPPER],
    ['00000000000000000000000000000000', 32, ID_ZERO],
    ['4bf92f3577b34da6', 32, ID_MALFORMED],
    ['zzf92f3577b34da6', 16, ID_MALFORMED],
  ])('%s (%i) → %i', (id, length, expected) => {
    expect(checkHexId(id, length)).toBe(expected);
  });

  it('returns valid ids lowercased and invalid ones as null', () => {
    expect(validHexId('00F067AA0BA902B7', 16)).toBe('00f067aa0ba902b7');
    expect(validHexId('0000000000000000', 16)).toBeNull();
  });
});
