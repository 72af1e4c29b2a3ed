import type { Prng } from './prng.ts';

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

/** Samples start times inside the window [endUs - days, endUs) with each profile's rhythm. */
export class ActivityClock {
  readonly startUs: number;
  readonly endUs: number;
  private readonly slotStartUs: number[] = [];
  private readonly tables = new Map<RhythmProfile, Float64Array>();

  constructor(endTimeMs: number, days: number) {
    this.endUs = endTimeMs * 1000;
    this.startUs = this.endUs - Math.round(days * 24 * HOUR_US);
    const hours = Math.ceil(days * 24);
    for (let i = 0; i < hours; i++) this.slotStartUs.push(this.endUs - (hours - i) * HOUR_US);
    for (const profile of ['office', 'ci', 'production'] as const) {
      this.tables.set(profile, this.cumulativeWeights(profile));
    }
  }

  /** A start time in integer microseconds. */
  sample(rng: Prng, profile: RhythmProfile): number {
    const table = this.tables.get(profile)!;
    const x = rng.next() * table[table.length - 1]!;
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < table[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const t = this.slotStartUs[lo]! + Math.floor(rng.next() * HOUR_US);
    return t < this.startUs ? this.startUs + Math.floor(rng.next() * HOUR_US) : t;
  }

  private cumulativeWeights(profile: RhythmProfile): Float64Array {
    const table = new Float64Array(this.slotStartUs.length);
    let sum = 0;
    for (let i = 0; i < table.length; i++) {
      const date = new Date(this.slotStartUs[i]! / 1000);
      sum += weight(profile, date.getUTCDay(), date.getUTCHours());
      table[i] = sum;
    }
    return table;
  }
}
