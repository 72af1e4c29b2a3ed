import type { RhythmProfile } from './activity-rhythm.ts';
import type { DatasetName } from './dataset-catalogue.ts';
import type { GenerationContext, UnitGenerator } from './generation-context.ts';

/** A dataset as the schedule sees it: when it is busy, how many spans it should write, how to write a unit. */
export interface ScheduledDataset {
  readonly name: DatasetName;
  readonly rhythm: RhythmProfile;
  readonly budget: number;
  readonly run: UnitGenerator;
}

/**
 * One dataset's units in chronological order of their start times, spread over the whole window.
 *
 * Start times are drawn one ahead, as an increasing sequence of fractions of the dataset's activity
 * rhythm (see `ActivityClock.timeAt`): a Poisson process on that rhythm whose rate is steered by the
 * budget. Each gap is exponential with mean `activity left × spans per unit so far / budget left`, so
 * a dataset that runs ahead of its budget slows down, one that falls behind speeds up, and both end
 * near the window's end instead of spending their budget early. When a gap would leave the window
 * with budget unspent, the next unit lands somewhere in the activity that is left; a unit stops
 * adding traces once it would overspend (the generators check `ctx.exhausted()` between steps).
 * Before its first unit a dataset assumes one span per unit, so that unit lands at the window's start.
 */
export class UnitSchedule {
  private startUs = Number.POSITIVE_INFINITY;
  /** how much of the rhythm's activity (0..1) lies before the next unit */
  private position = 0;
  private emitted = 0;
  private units = 0;

  constructor(
    private readonly ctx: GenerationContext,
    private readonly dataset: ScheduledDataset,
  ) {
    this.drawNextStart();
  }

  /** When the next unit starts; `POSITIVE_INFINITY` once the budget is spent. */
  get nextStartUs(): number {
    return this.startUs;
  }

  get done(): boolean {
    return this.startUs === Number.POSITIVE_INFINITY;
  }

  /** Writes the next unit at its start time, then draws the start of the one after. */
  runNext(): void {
    const { ctx, dataset } = this;
    const before = ctx.sink.totalSpans;
    ctx.beginUnit(before + dataset.budget - this.emitted);
    dataset.run(this.startUs);
    ctx.finishUnit();
    this.emitted += ctx.sink.totalSpans - before;
    this.units++;
    this.drawNextStart();
  }

  private drawNextStart(): void {
    const left = this.dataset.budget - this.emitted;
    if (left <= 0) {
      this.startUs = Number.POSITIVE_INFINITY;
      return;
    }
    const { rng } = this.ctx;
    const activityLeft = 1 - this.position;
    const spansPerUnit = this.units === 0 ? 1 : this.emitted / this.units;
    const gap = -Math.log(1 - rng.next()) * ((activityLeft * spansPerUnit) / left);
    this.position += gap < activityLeft ? gap : rng.next() * activityLeft;
    this.startUs = this.ctx.clock.timeAt(this.dataset.rhythm, this.position);
  }
}

/**
 * The k-way merge of the datasets' schedules: the one whose next unit starts first, ties going to
 * the earlier schedule, or undefined when all are done. With seven datasets a scan is cheaper than a
 * heap.
 */
export function earliestSchedule(schedules: readonly UnitSchedule[]): UnitSchedule | undefined {
  let best: UnitSchedule | undefined;
  for (const schedule of schedules) {
    if (schedule.done) continue;
    if (best === undefined || schedule.nextStartUs < best.nextStartUs) best = schedule;
  }
  return best;
}
