import type { Attributes } from '@loopline/model';
import type { MetricShape, SignalSink } from './signal-sink.ts';

const HOUR_US = 3_600_000_000;

interface Cell {
  readonly hour: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  readonly bucketCounts: number[];
}

/** One histogram time series (resource + metric + attributes), with one cell per hour. */
export class HistogramSeries {
  readonly cells: (Cell | undefined)[] = [];

  constructor(
    readonly res: number,
    readonly shape: MetricShape,
    readonly bounds: readonly number[],
    readonly attributes: Attributes,
  ) {}

  record(hour: number, value: number): void {
    let cell = this.cells[hour];
    if (cell === undefined) {
      cell = {
        hour,
        count: 0,
        sum: 0,
        min: value,
        max: value,
        bucketCounts: new Array(this.bounds.length + 1).fill(0),
      };
      this.cells[hour] = cell;
    }
    cell.count++;
    cell.sum += value;
    if (value < cell.min) cell.min = value;
    if (value > cell.max) cell.max = value;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    cell.bucketCounts[i]!++;
  }
}

/**
 * Delta histograms aggregated per hour, like an SDK's periodic reader with a one-hour interval.
 * Memory is bounded by hours × series, not by how many spans were generated; the points are emitted
 * once, at the end of the demo.
 */
export class HourlyHistograms {
  private readonly series: HistogramSeries[] = [];
  private readonly byKey = new Map<string, HistogramSeries>();
  private readonly firstHourUs: number;
  private readonly lastHour: number;

  constructor(
    private readonly windowStartUs: number,
    private readonly windowEndUs: number,
  ) {
    this.firstHourUs = Math.floor(windowStartUs / HOUR_US) * HOUR_US;
    this.lastHour = Math.floor((windowEndUs - 1 - this.firstHourUs) / HOUR_US);
  }

  /** The series registered under `key`, created on first use. */
  seriesFor(key: string, make: () => HistogramSeries): HistogramSeries {
    let series = this.byKey.get(key);
    if (series === undefined) {
      series = make();
      this.byKey.set(key, series);
      this.series.push(series);
    }
    return series;
  }

  observe(series: HistogramSeries, timeUs: number, value: number): void {
    const hour = Math.floor((timeUs - this.firstHourUs) / HOUR_US);
    series.record(Math.min(Math.max(hour, 0), this.lastHour), value);
  }

  /** Writes every aggregated point into the sink, oldest hour first, and forgets them. */
  drainInto(sink: SignalSink): void {
    for (let hour = 0; hour <= this.lastHour; hour++) {
      const hourStartUs = this.firstHourUs + hour * HOUR_US;
      const startUs = Math.max(hourStartUs, this.windowStartUs);
      for (const series of this.series) {
        const cell = series.cells[hour];
        if (cell === undefined) continue;
        sink.addPoint(series.res, series.shape, {
          startUs,
          timeUs: Math.min(hourStartUs + HOUR_US, this.windowEndUs),
          attributes: { ...series.attributes },
          flags: 0,
          count: cell.count,
          sum: cell.sum,
          min: cell.min,
          max: cell.max,
          bucketCounts: cell.bucketCounts,
          explicitBounds: [...series.bounds],
        });
      }
    }
    this.series.length = 0;
    this.byKey.clear();
  }
}
