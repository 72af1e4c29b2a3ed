/**
 * When things happen. `office` follows a team's working week (09:00–18:00 UTC, quiet nights and
 * weekends); `ci` adds an all-hours floor for scheduled and retried builds; `production` follows
 * customers across time zones, with a gentle daily wave and a softer weekend.
 */
export type RhythmProfile = 'office' | 'ci' | 'production';

const HOUR_US = 3_600_000_000;
const OFFICE_HOURS: readonly number[] = [
  0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.06, 0.2, 0.6, 1, 1, 1, 0.7, 0.95, 1, 1, 0.95, 0.7, 0.4, 0.22, 0.18,
  0.15, 0.08, 0.05,
];

function isWeekend(dayOfWeek: number): boolean {
  return dayOfWeek === 0 || dayOfWeek === 6;
}

function weight(profile: RhythmProfile, dayOfWeek: number, hour: number): number {
  const office = (OFFICE_HOURS[hour] ?? 0) * (isWeekend(dayOfWeek) ? 0.08 : 1);
  if (profile === 'office') return office;
  if (profile === 'ci') return 0.15 + 0.85 * office;
  const wave = 0.65 + 0.35 * Math.cos(((hour - 15) / 24) * 2 * Math.PI);
  return wave * (isWeekend(dayOfWeek) ? 0.6 : 1);
}

/**
 * Maps the window [endUs - days, endUs) onto each profile's activity: `timeAt(profile, f)` is the
 * moment by which a fraction `f` of that profile's activity has happened. It never decreases as `f`
 * grows, so an increasing sequence of fractions gives start times in chronological order, denser in
 * busy hours and sparser at night and at weekends.
 */
export class ActivityClock {
  readonly startUs: number;
  readonly endUs: number;
  /** each hour slot's first microsecond inside the window (the first slot may be cut short) */
  private readonly slotFromUs: number[] = [];
  private readonly tables = new Map<RhythmProfile, Float64Array>();

  constructor(endTimeMs: number, days: number) {
    this.endUs = endTimeMs * 1000;
    this.startUs = this.endUs - Math.round(days * 24 * HOUR_US);
    const hours = Math.ceil(days * 24);
    for (let i = 0; i < hours; i++)
      this.slotFromUs.push(Math.max(this.startUs, this.endUs - (hours - i) * HOUR_US));
    for (const profile of ['office', 'ci', 'production'] as const) {
      this.tables.set(profile, this.cumulativeWeights(profile));
    }
  }

  /** The time (integer microseconds) by which `fraction` (0..1) of the profile's activity is done. */
  timeAt(profile: RhythmProfile, fraction: number): number {
    const table = this.tables.get(profile)!;
    const x = Math.min(Math.max(fraction, 0), 1) * table[table.length - 1]!;
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < table[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const before = lo === 0 ? 0 : table[lo - 1]!;
    const slotWeight = table[lo]! - before;
    const within = slotWeight > 0 ? (x - before) / slotWeight : 0;
    const fromUs = this.slotFromUs[lo]!;
    const toUs = lo + 1 < this.slotFromUs.length ? this.slotFromUs[lo + 1]! : this.endUs;
    return Math.min(fromUs + Math.floor(within * (toUs - fromUs)), this.endUs - 1);
  }

  /** Running sums of each slot's weight, a slot cut short by the window's start counting pro rata. */
  private cumulativeWeights(profile: RhythmProfile): Float64Array {
    const table = new Float64Array(this.slotFromUs.length);
    let sum = 0;
    for (let i = 0; i < table.length; i++) {
      const toUs = i + 1 < table.length ? this.slotFromUs[i + 1]! : this.endUs;
      const date = new Date(this.slotFromUs[i]! / 1000);
      sum += (weight(profile, date.getUTCDay(), date.getUTCHours()) * (toUs - this.slotFromUs[i]!)) / HOUR_US;
      table[i] = sum;
    }
    return table;
  }
}
