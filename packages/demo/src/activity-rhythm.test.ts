import { describe, expect, it } from 'vitest';
import { ActivityClock, type RhythmProfile } from './activity-rhythm.ts';
import { TEST_END_MS } from './demo-test-fixture.ts';

const STEPS = 10_000;

/** The times by which 0, 1/STEPS, 2/STEPS … of a profile's activity has happened. */
function times(clock: ActivityClock, profile: RhythmProfile): number[] {
  return Array.from({ length: STEPS + 1 }, (_, i) => clock.timeAt(profile, i / STEPS));
}

/** Share (percent) of the activity that falls in the given UTC hours, weekends optional. */
function shareIn(at: readonly number[], hours: readonly [from: number, to: number], weekdaysOnly: boolean) {
  const inside = at.filter((us) => {
    const date = new Date(us / 1000);
    const weekday = date.getUTCDay() !== 0 && date.getUTCDay() !== 6;
    return (!weekdaysOnly || weekday) && date.getUTCHours() >= hours[0] && date.getUTCHours() < hours[1];
  });
  return (inside.length / at.length) * 100;
}

describe('ActivityClock', () => {
  it.each([7, 2.5, 1 / 24])('maps activity onto a %s-day window in time order, inside the window', (days) => {
    const clock = new ActivityClock(TEST_END_MS, days);
    for (const profile of ['office', 'ci', 'production'] as const) {
      const at = times(clock, profile);
      expect(at[0]).toBe(clock.startUs);
      expect(at.at(-1)).toBe(clock.endUs - 1);
      expect(at.every((us, i) => Number.isInteger(us) && (i === 0 || us >= at[i - 1]!))).toBe(true);
    }
  });

  it('puts office work in weekday working hours and keeps CI running at night', () => {
    const clock = new ActivityClock(TEST_END_MS, 7);
    const office = times(clock, 'office');
    const ci = times(clock, 'ci');
    expect(shareIn(office, [9, 18], true)).toBeGreaterThan(70);
    expect(shareIn(office, [0, 6], false)).toBeLessThan(3);
    expect(shareIn(ci, [0, 6], false)).toBeGreaterThan(5);
  });
});
