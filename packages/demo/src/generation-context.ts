import type { ActivityClock } from './activity-rhythm.ts';
import { GEN_AI, GEN_AI_METRIC } from './attribute-names.ts';
import { HistogramSeries, type HourlyHistograms } from './hourly-histograms.ts';
import type { DemoModel } from './model-catalogue.ts';
import type { Prng } from './prng.ts';
import type { MetricShape, SignalSink } from './signal-sink.ts';

export const TOKEN_USAGE_METRIC: MetricShape = {
  name: GEN_AI_METRIC.tokenUsage,
  description: 'Measures number of input and output tokens used',
  unit: '{token}',
  type: 'histogram',
  aggregationTemporality: 1,
  isMonotonic: false,
};

export const TOKEN_USAGE_BOUNDS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** Writes one unit of a dataset (a session, a run, a pipeline, a conversation) starting at `startUs`. */
export type UnitGenerator = (startUs: number) => void;

type TokenSeries = readonly [input: HistogramSeries, output: HistogramSeries];

/**
 * What every generator works with: the random source, the sink, the clock, and the span budget of the
 * unit (a session, a run, a pipeline, a conversation) being generated.
 */
export class GenerationContext {
  private stopAtSpans = Number.POSITIVE_INFINITY;
  private readonly pendingSeries: HistogramSeries[] = [];
  private readonly pendingTimes: number[] = [];
  private readonly pendingValues: number[] = [];
  private readonly tokenSeries = new Map<number, Map<DemoModel, TokenSeries>>();

  constructor(
    readonly rng: Prng,
    readonly sink: SignalSink,
    readonly clock: ActivityClock,
    readonly histograms: HourlyHistograms,
    /**
     * A second stream of the seed for ids that only label data (CI run and job ids): drawing one never
     * moves `rng`, so labelling a run leaves its timing, tokens and every later unit as they are.
     */
    readonly labels: Prng,
  ) {}

  /** Starts a unit that should stop adding traces once the sink holds `stopAtSpans` spans. */
  beginUnit(stopAtSpans: number): void {
    this.stopAtSpans = stopAtSpans;
    this.sink.beginUnit();
  }

  /** True once the current unit has used its share of the budget: generators check between steps. */
  exhausted(): boolean {
    return this.sink.totalSpans >= this.stopAtSpans;
  }

  /** Ends the unit: anything that ran past the window's end is moved back inside it. */
  finishUnit(): void {
    const overrunUs = this.sink.unitEndUs() - this.clock.endUs;
    let shiftUs = 0;
    if (overrunUs > 0) {
      shiftUs = overrunUs + Math.floor(this.rng.next() * 600_000_000);
      this.sink.shiftUnit(shiftUs);
    }
    for (let i = 0; i < this.pendingSeries.length; i++) {
      this.histograms.observe(
        this.pendingSeries[i]!,
        this.pendingTimes[i]! - shiftUs,
        this.pendingValues[i]!,
      );
    }
    this.pendingSeries.length = 0;
    this.pendingTimes.length = 0;
    this.pendingValues.length = 0;
  }

  /** Records `gen_ai.client.token.usage` for one inference (input and output points). */
  observeTokens(res: number, model: DemoModel, timeUs: number, input: number, output: number): void {
    const [inputSeries, outputSeries] = this.tokenSeriesFor(res, model);
    this.observe(inputSeries, timeUs, input);
    this.observe(outputSeries, timeUs, output);
  }

  /** Records one value of an hourly histogram, kept until the unit is finished (and maybe shifted). */
  observe(series: HistogramSeries, timeUs: number, value: number): void {
    this.pendingSeries.push(series);
    this.pendingTimes.push(timeUs);
    this.pendingValues.push(value);
  }

  private tokenSeriesFor(res: number, model: DemoModel): TokenSeries {
    let byModel = this.tokenSeries.get(res);
    if (byModel === undefined) {
      byModel = new Map();
      this.tokenSeries.set(res, byModel);
    }
    let series = byModel.get(model);
    if (series === undefined) {
      series = [this.newTokenSeries(res, model, 'input'), this.newTokenSeries(res, model, 'output')];
      byModel.set(model, series);
    }
    return series;
  }

  private newTokenSeries(res: number, model: DemoModel, type: 'input' | 'output'): HistogramSeries {
    return this.histograms.seriesFor(
      `${res}|${model.name}|${type}`,
      () =>
        new HistogramSeries(res, TOKEN_USAGE_METRIC, TOKEN_USAGE_BOUNDS, {
          [GEN_AI.operationName]: 'chat',
          [GEN_AI.providerName]: model.provider,
          [GEN_AI.requestModel]: model.name,
          [GEN_AI.responseModel]: model.responseModel,
          [GEN_AI.tokenType]: type,
        }),
    );
  }
}
