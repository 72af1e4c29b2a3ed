import { ActivityClock } from './activity-rhythm.ts';
import { createCiPipelineGenerator } from './ci-pipeline-generator.ts';
import { createCodingAgentGenerator } from './coding-agent-generator.ts';
import { DATASET_CATALOGUE, type DatasetName } from './dataset-catalogue.ts';
import { type DemoOptions, type ResolvedDemoOptions, resolveDemoOptions } from './demo-options.ts';
import { createFixTheBuildGenerator } from './fix-the-build-generator.ts';
import { GenerationContext } from './generation-context.ts';
import { HourlyHistograms } from './hourly-histograms.ts';
import { createIdeAssistantGenerator } from './ide-assistant-generator.ts';
import { CLAUDE_CODE_PROFILE, CODEX_CLI_PROFILE } from './ide-assistant-profiles.ts';
import { createInvestigatorGenerator } from './investigator-generator.ts';
import { createPrReviewGenerator } from './pr-review-generator.ts';
import { Prng } from './prng.ts';
import { type DemoBatch, SignalSink } from './signal-sink.ts';

/** One dataset's share of the run: a unit generator and how many spans it may still write. */
interface Plan {
  readonly name: DatasetName;
  readonly budget: number;
  emitted: number;
  readonly run: () => void;
}

type PlanFactory = (ctx: GenerationContext) => () => void;

const FACTORIES: Partial<Record<DatasetName, PlanFactory>> = {
  'claude-code': (ctx) => createIdeAssistantGenerator(ctx, CLAUDE_CODE_PROFILE),
  'codex-cli': (ctx) => createIdeAssistantGenerator(ctx, CODEX_CLI_PROFILE),
  'coding-agent': createCodingAgentGenerator,
  'pr-review': createPrReviewGenerator,
  'fix-the-build': createFixTheBuildGenerator,
  ci: createCiPipelineGenerator,
  investigator: createInvestigatorGenerator,
};

/** Evaluations are written inside investigations, so their share rides on the investigator's plan. */
function planShare(name: DatasetName): number {
  const share = DATASET_CATALOGUE.find((d) => d.name === name)?.spanShare ?? 0;
  const evaluator = DATASET_CATALOGUE.find((d) => d.name === 'evaluator')?.spanShare ?? 0;
  return name === 'investigator' ? share + evaluator : share;
}

function createPlans(ctx: GenerationContext, spans: number): Plan[] {
  return Object.entries(FACTORIES).map(([name, factory]) => ({
    name: name as DatasetName,
    budget: planShare(name as DatasetName) * spans,
    emitted: 0,
    run: factory!(ctx),
  }));
}

/** The plan furthest behind its budget, or undefined when every plan (or the total) is done. */
function nextPlan(plans: readonly Plan[], totalSpans: number, target: number): Plan | undefined {
  if (totalSpans >= target) return undefined;
  let best: Plan | undefined;
  let bestRatio = 1;
  for (const plan of plans) {
    const ratio = plan.emitted / plan.budget;
    if (ratio < bestRatio) {
      best = plan;
      bestRatio = ratio;
    }
  }
  return best;
}

/**
 * A realistic, deterministic week of the whole delivery line, yielded lazily in batches. Memory stays
 * flat however many spans are asked for; the same options (seed and endTimeMs included) always give
 * the same output.
 */
export function generateDemo(options: DemoOptions = {}): Generator<DemoBatch, void, undefined> {
  return runDemo(resolveDemoOptions(options));
}

function* runDemo(options: ResolvedDemoOptions): Generator<DemoBatch, void, undefined> {
  const sink = new SignalSink();
  const clock = new ActivityClock(options.endTimeMs, options.days);
  const histograms = new HourlyHistograms(clock.startUs, clock.endUs);
  const ctx = new GenerationContext(new Prng(options.seed), sink, clock, histograms);
  const plans = createPlans(ctx, options.spans);
  for (;;) {
    const plan = nextPlan(plans, sink.totalSpans, options.spans);
    if (plan === undefined) break;
    const before = sink.totalSpans;
    ctx.beginUnit(Math.min(options.spans, before + plan.budget - plan.emitted));
    plan.run();
    ctx.finishUnit();
    plan.emitted += sink.totalSpans - before;
    while (sink.pendingSpans >= options.batchSpans) yield sink.takeBatch(options.batchSpans);
  }
  histograms.drainInto(sink);
  if (sink.hasPending()) yield sink.takeBatch(Number.POSITIVE_INFINITY);
}
