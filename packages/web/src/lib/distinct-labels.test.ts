import { describe, expect, it } from 'vitest';
import { distinctLabels } from './distinct-labels.ts';

const distinct = (shown: string[]): boolean => new Set(shown).size === shown.length;

describe('labels shortened so that none reads like another', () => {
  it('keeps labels that fit and cuts the end of those that differ early', () => {
    expect(distinctLabels(['ci · lint', 'pr-review · reviewer agent · main'], 20)).toEqual([
      'ci · lint',
      'pr-review · reviewe…',
    ]);
  });

  it('keeps the tail that tells two jobs apart when they share a long head', () => {
    const labels = ['ci · build-and-test · ai review', 'ci · build-and-test · ai test triage'];
    const shown = distinctLabels(labels, 24);
    expect(shown).toEqual(['ci · bu…test · ai review', 'ci · bu…· ai test triage']);
    expect(shown.every((s) => s.length === 24)).toBe(true);
  });

  it('shows only the tail when the head would leave too little of it', () => {
    const shown = distinctLabels(['shared-head-part-1-cmn-end', 'shared-head-part-2-cmn-end'], 12);
    expect(shown).toEqual(['…t-1-cmn-end', '…t-2-cmn-end']);
  });

  it('shows the middle around the difference when head and tail are shared', () => {
    const a = 'https://example.test/api/v1/users/list/everything-after';
    const b = 'https://example.test/api/v2/users/list/everything-after';
    const [sa, sb] = distinctLabels([a, b], 16);
    expect(sa).toMatch(/^….*v1.*…$/);
    expect(sb).toMatch(/^….*v2.*…$/);
    expect(sa).toHaveLength(16);
  });

  it('never returns two equal labels for distinct inputs, and keeps equal inputs equal', () => {
    const labels = [
      'ci · build-and-test · ai review',
      'ci · build-and-test · ai review · retry',
      'ci · build-and-test · ai test triage',
      'ci · nightly-e2e · ai test triage',
      'ci · build-and-test · ai review',
      'x',
    ];
    for (const width of [1, 6, 10, 16, 24, 40]) {
      const shown = distinctLabels(labels, width);
      expect(shown[0]).toBe(shown[4]);
      expect(distinct([...new Set(labels)].map((l) => shown[labels.indexOf(l)] ?? ''))).toBe(true);
      for (const [i, s] of shown.entries()) {
        const label = labels[i] ?? '';
        expect(s === label || s.includes('…'), `${label} at ${width}`).toBe(true);
      }
    }
  });
});
