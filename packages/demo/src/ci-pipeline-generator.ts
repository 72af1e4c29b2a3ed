import type { RawSpan } from '@loopline/model';
import { CICD, CICD_METRIC, GENERAL, LOOPLINE, SPAN_KIND, VCS } from './attribute-names.ts';
import { emitChat } from './chat-span.ts';
import { CI_PIPELINES, type CiLlmJob, type CiPipelineDef, type CiTaskDef } from './ci-pipeline-catalogue.ts';
import type { GenerationContext, UnitGenerator } from './generation-context.ts';
import { HistogramSeries } from './hourly-histograms.ts';
import { gitSha } from './ids.ts';
import type { DemoModel } from './model-catalogue.ts';
import { modelDeck } from './model-mix.ts';
import { agentResource, pickPeople } from './run-environment.ts';
import type { MetricShape } from './signal-sink.ts';
import { childSpan, markError, rootSpan, us } from './span-factory.ts';
import { pickBranch, prNumber } from './vcs-names.ts';
import { type Picker, WeightedTable } from './weighted-table.ts';

type Result = 'success' | 'failure' | 'cancellation';

const RUN_DURATION: MetricShape = {
  name: CICD_METRIC.pipelineRunDuration,
  description: 'Duration of a pipeline run grouped by pipeline and result',
  unit: 's',
  type: 'histogram',
  aggregationTemporality: 1,
  isMonotonic: false,
};
const RUN_DURATION_BOUNDS: readonly number[] = [10, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600];

interface CiEnv {
  readonly ctx: GenerationContext;
  readonly res: number;
  readonly pipelines: WeightedTable<CiPipelineDef>;
  readonly stages: Map<CiPipelineDef, CiTaskDef[][]>;
  readonly llmModels: Map<CiLlmJob, Picker<DemoModel>>;
  nextRunId: number;
  nextTaskRunId: number;
}

interface RunState {
  readonly root: RawSpan;
  readonly def: CiPipelineDef;
  failed: boolean;
}

/** Makes the unit generator for CI: each call writes one pipeline run (one trace). */
export function createCiPipelineGenerator(ctx: GenerationContext): UnitGenerator {
  const env: CiEnv = {
    ctx,
    res: agentResource(ctx, 'ci', '2.331.0'),
    pipelines: new WeightedTable(CI_PIPELINES.map((p) => [p, p.weight] as const)),
    stages: new Map(CI_PIPELINES.map((p) => [p, groupStages(p)] as const)),
    llmModels: new Map(),
    nextRunId: 14_000_000_000 + ctx.rng.int(1_000_000),
    nextTaskRunId: 38_000_000_000 + ctx.rng.int(1_000_000),
  };
  return (startUs) => generatePipelineRun(env, startUs);
}

function groupStages(pipeline: CiPipelineDef): CiTaskDef[][] {
  const stages = [...new Set(pipeline.tasks.map((task) => task.stage))].sort((a, b) => a - b);
  return stages.map((stage) => pipeline.tasks.filter((task) => task.stage === stage));
}

function generatePipelineRun(env: CiEnv, startUs: number): void {
  const { ctx, res } = env;
  const def = env.pipelines.pick(ctx.rng);
  const { engineer, repo } = pickPeople(ctx);
  const branch = def.name === 'build-and-test' ? pickBranch(ctx.rng) : 'main';
  env.nextRunId += 1 + ctx.rng.int(40);
  const runId = String(env.nextRunId);
  const revision = gitSha(ctx.rng);
  const root = rootSpan(ctx, {
    res,
    // what the runner's resource detector reads from the run's environment, on every span of the run
    resource: {
      [CICD.pipelineName]: def.name,
      [CICD.pipelineRunId]: runId,
      [VCS.repositoryName]: repo.name,
      [VCS.repositoryUrl]: repo.url,
      [VCS.refHeadName]: branch,
      [VCS.refHeadRevision]: revision,
    },
    name: `${def.action} ${def.name}`,
    kind: SPAN_KIND.server,
    startUs,
    attributes: {
      [CICD.pipelineName]: def.name,
      [CICD.pipelineActionName]: def.action,
      [CICD.pipelineRunId]: runId,
      [CICD.pipelineRunUrl]: `${repo.url}/actions/runs/${runId}`,
      [VCS.repositoryName]: repo.name,
      [VCS.repositoryUrl]: repo.url,
      [VCS.refHeadName]: branch,
      [VCS.refHeadRevision]: revision,
      [GENERAL.userId]: engineer.id,
    },
  });
  if (branch !== 'main') root.attributes[VCS.changeId] = prNumber(ctx.rng);
  const result = runStages(
    env,
    { root, def, failed: false },
    root.startUs + us(2 + ctx.rng.logNormal(8, 0.8)),
  );
  root.attributes[CICD.pipelineResult] = result;
  if (result === 'failure') markError(root, 'failure', 'a task failed');
  observeDuration(env, root, def.name, result);
}

function runStages(env: CiEnv, state: RunState, startUs: number): Result {
  const { ctx } = env;
  const stages = env.stages.get(state.def)!;
  const cancelAt = ctx.rng.chance(0.015) ? 1 + ctx.rng.int(stages.length - 1) : -1;
  let t = startUs;
  for (let i = 0; i < stages.length; i++) {
    const tasks = stages[i]!.filter((task) => runsNow(ctx, task, state.failed));
    if (tasks.length === 0) continue;
    let stageEnd = t;
    for (const task of tasks) {
      const end = emitTask(env, state, task, t + ctx.rng.int(5_000_000), i === cancelAt);
      if (end > stageEnd) stageEnd = end;
    }
    t = stageEnd + us(1 + ctx.rng.next() * 4);
    if (i === cancelAt) return finish(state, t, 'cancellation');
  }
  return finish(state, t, state.failed ? 'failure' : 'success');
}

function runsNow(ctx: GenerationContext, task: CiTaskDef, failed: boolean): boolean {
  if (task.onFailure !== failed) return false;
  return task.probability >= 1 || ctx.rng.chance(task.probability);
}

function finish(state: RunState, endUs: number, result: Result): Result {
  state.root.endUs = endUs;
  return result;
}

function emitTask(env: CiEnv, state: RunState, task: CiTaskDef, startUs: number, cancelled: boolean): number {
  const { ctx } = env;
  env.nextTaskRunId += 1 + ctx.rng.int(6);
  const taskRunId = String(env.nextTaskRunId);
  const worker = `ubuntu-24.04-x64-${ctx.rng.int(64)}`;
  const span = childSpan(ctx, state.root, {
    res: env.res,
    // the job runs on its own runner, which adds the job to the run's resource: its chats carry it too
    resource: { [CICD.taskName]: task.name, [CICD.taskRunId]: taskRunId, [CICD.workerName]: worker },
    name: task.name,
    kind: SPAN_KIND.internal,
    startUs,
    attributes: {
      [CICD.taskName]: task.name,
      [CICD.taskType]: task.type,
      [CICD.taskRunId]: taskRunId,
      [CICD.workerName]: worker,
      [LOOPLINE.ciTaskKind]: task.llm === undefined ? 'compute' : 'inference',
    },
  });
  // a cancellation cuts a task short, but never before the end of an LLM job's last chat
  const busyUntilUs = task.llm === undefined ? startUs : runLlmJob(env, span, task.llm);
  span.endUs =
    task.llm === undefined
      ? startUs + us(ctx.rng.logNormal(task.medianS, task.sigma))
      : busyUntilUs + us(1 + ctx.rng.next() * 2);
  let result: Result = 'success';
  if (cancelled) {
    result = 'cancellation';
    span.endUs = busyUntilUs + Math.floor((span.endUs - busyUntilUs) * ctx.rng.next()) + 1;
  } else if (ctx.rng.chance(task.failRate)) {
    result = 'failure';
    state.failed = true;
    markError(span, 'failure', `${task.name} failed`);
  }
  span.attributes[CICD.taskRunResult] = result;
  return span.endUs;
}

/** Writes an LLM job's chats under its task and returns when the last one is done. */
function runLlmJob(env: CiEnv, task: RawSpan, job: CiLlmJob): number {
  const { ctx, res } = env;
  let models = env.llmModels.get(job);
  if (models === undefined) {
    models = modelDeck(job.models);
    env.llmModels.set(job, models);
  }
  const model = models.pick(ctx.rng);
  const count = ctx.rng.intBetween(job.chats[0], job.chats[1]);
  let t = task.startUs + us(5 + ctx.rng.next() * 10);
  for (let i = 0; i < count; i++) {
    const chat = emitChat(ctx, {
      res,
      parent: task,
      startUs: t,
      model,
      inputTokens: Math.round(ctx.rng.logNormal(job.inputMedian, 0.7)),
      cachedTokens: 0,
      outputMedian: job.outputMedian,
      finish: 'stop',
      conversationId: undefined,
    });
    if (!chat.failed) ctx.observeTokens(res, model, chat.span.endUs, chat.input, chat.output);
    t = chat.span.endUs + us(0.2 + ctx.rng.next());
  }
  return t;
}

function observeDuration(env: CiEnv, root: RawSpan, pipeline: string, result: Result): void {
  const { ctx, res } = env;
  const series = ctx.histograms.seriesFor(
    `${res}|${RUN_DURATION.name}|${pipeline}|${result}`,
    () =>
      new HistogramSeries(res, RUN_DURATION, RUN_DURATION_BOUNDS, {
        [CICD.pipelineName]: pipeline,
        [CICD.pipelineResult]: result,
      }),
  );
  ctx.observe(series, root.endUs, Math.round((root.endUs - root.startUs) / 1000) / 1000);
}
