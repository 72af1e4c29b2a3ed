import { ActivityClock, type RhythmProfile } from './activity-rhythm.ts';
import { createCiPipelineGenerator } from './ci-pipeline-generator.ts';
import { createCodingAgentGenerator } from './coding-agent-generator.ts';
import { DATASET_CATALOGUE, type DatasetName } from './dataset-catalogue.ts';
import { type DemoOptions, type ResolvedDemoOptions, resolveDemoOptions } from './demo-options.ts';
import { createFixTheBuildGenerator } from './fix-the-build-generator.ts';
import { GenerationContext, type UnitGenerator } from './generation-context.ts';
import { HourlyHistograms } from './hourly-histograms.ts';
import { createIdeAssistantGenerator } from './ide-assistant-generator.ts';
import { CLAUDE_CODE_PROFILE, CODEX_CLI_PROFILE } from './ide-assistant-profiles.ts';
import { createInvestigatorGenerator } from './investigator-generator.ts';
import { createPrReviewGenerator } from './pr-review-generator.ts';
import { Prng } from './prng.ts';
import { type DemoBatch, SignalSink } from './signal-sink.ts';
import { earliestSchedule, UnitSchedule } from './unit-schedule.ts';

/** The `Prng` stream of `GenerationContext.labels`. */
const LABEL_STREAM = 1;

interface DatasetUnits {
  readonly name: DatasetName;
  readonly rhythm: RhythmProfile;
  readonly create: (ctx: GenerationContext) => UnitGenerator;
}

/** The datasets that write their own units, in catalogue order, with the rhythm their units follow. */
const DATASET_UNITS: readonly DatasetUnits[] = [
  {
    name: 'claude-code',
    rhythm: 'office',
    create: (ctx) => createIdeAssistantGenerator(ctx, CLAUDE_CODE_PROFILE),
  },
  {
    name: 'codex-cli',
    rhythm: 'office',
    create: (ctx) => createIdeAssistantGenerator(ctx, CODEX_CLI_PROFILE),
  },
  { name: 'coding-agent', rhythm: 'office', create: createCodingAgentGenerator },
  { name: 'pr-review', rhythm: 'office', create: createPrReviewGenerator },
  { name: 'fix-the-build', rhythm: 'ci', create: createFixTheBuildGenerator },
  { name: 'ci', rhythm: 'ci', create: createCiPipelineGenerator },
  { name: 'investigator', rhythm: 'production', create: createInvestigatorGenerator },
];

/** Evaluations are written inside investigations, so their share rides on the investigator's budget. */
function budgetShare(name: DatasetName): number {
  const share = DATASET_CATALOGUE.find((d) => d.name === name)?.spanShare ?? 0;
  const evaluator = DATASET_CATALOGUE.find((d) => d.name === 'evaluator')?.spanShare ?? 0;
  return name === 'investigator' ? share + evaluator : share;
}

/** One schedule per dataset; every generator is made first, then each schedule draws its first start. */
function createSchedules(ctx: GenerationContext, spans: number): UnitSchedule[] {
  const runs = DATASET_UNITS.map((units) => units.create(ctx));
  return DATASET_UNITS.map(
    ({ name, rhythm }, i) =>
      new UnitSchedule(ctx, { name, rhythm, budget: budgetShare(name) * spans, run: runs[i]! }),
  );
}

/**
 * A realistic, deterministic week of the whole delivery line, yielded lazily in batches. Units
 * (sessions, runs, pipelines, conversations) come in chronological order of their start times, so
 * each batch covers a short stretch of the window and successive batches move forward through it,
 * the way telemetry reaches a backend. Memory stays flat however many spans are asked for; the same
 * options (seed and endTimeMs included) always give the same output. Hourly metric points come last.
 */
export function generateDemo(options: DemoOptions = {}): Generator<DemoBatch, void, undefined> {
  return runDemo(resolveDemoOptions(options));
}

function* runDemo(options: ResolvedDemoOptions): Generator<DemoBatch, void, undefined> {
  const sink = new SignalSink();
  const clock = new ActivityClock(options.endTimeMs, options.days);
  const histograms = new HourlyHistograms(clock.startUs, clock.endUs);
  const labels = new Prng(options.seed, LABEL_STREAM);
  const ctx = new GenerationContext(new Prng(options.seed), sink, clock, histograms, labels);
  const schedules = createSchedules(ctx, options.spans);
  for (let next = earliestSchedule(schedules); next !== undefined; next = earliestSchedule(schedules)) {
    next.runNext();
    while (sink.pendingSpans >= options.batchSpans) yield sink.takeBatch(options.batchSpans);
  }
  histograms.drainInto(sink);
  if (sink.hasPending()) yield sink.takeBatch(Number.POSITIVE_INFINITY);
}
