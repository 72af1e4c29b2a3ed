import type { RawSpan } from '@loopline/model';
import { freshContext, runAgentLoop } from './agent-loop.ts';
import { CICD, GEN_AI, GEN_AI_OPERATION, GENERAL, LOOPLINE, SPAN_KIND, VCS } from './attribute-names.ts';
import { datasetByName } from './dataset-catalogue.ts';
import type { GenerationContext, UnitGenerator } from './generation-context.ts';
import { gitSha, uuid } from './ids.ts';
import type { DemoModel } from './model-catalogue.ts';
import { modelDeck } from './model-mix.ts';
import { agentResource, type Env, pickPeople } from './run-environment.ts';
import { markError, rootSpan, us } from './span-factory.ts';
import { emitTool, type ToolProfile, toolProfile as t } from './tool-span.ts';
import { type Picker, WeightedTable } from './weighted-table.ts';

type Outcome = 'fixed' | 'reverted' | 'gave_up';

const OUTCOMES = new WeightedTable<Outcome>([
  ['fixed', 60],
  ['reverted', 25],
  ['gave_up', 15],
]);
const TOOLS = new WeightedTable<ToolProfile>([
  [t('Read', [25, 0.8], [0.01, 'file_not_found'], 1800), 30],
  [t('Grep', [120, 0.8], [0.005], 500), 20],
  [t('Bash', [9000, 1.1], [0.25, 'exit_code_1'], 1200), 30],
  [t('Edit', [35, 0.6], [0.03, 'string_not_found'], 150), 20],
]);
const FETCH_LOGS = t('fetch_ci_logs', [1800, 0.5], [0.01, 'github_api_error'], 0);
const PUSH = t('Bash', [3500, 0.4], [0.01, 'exit_code_1'], 0);

/** Makes the unit generator for the fix-the-build agent: each call writes one repair run. */
export function createFixTheBuildGenerator(ctx: GenerationContext): UnitGenerator {
  const env: FixEnv = {
    ctx,
    res: agentResource(ctx, 'fix-the-build', '0.9.4'),
    models: modelDeck(datasetByName('fix-the-build').models),
    nextTaskRunId: 38_000_000_000 + ctx.labels.int(1_000_000),
  };
  return (startUs) => generateFix(env, startUs);
}

interface FixEnv extends Env {
  readonly models: Picker<DemoModel>;
  nextTaskRunId: number;
}

/** The repair runs as a job of the red `build-and-test` run on main. */
const PIPELINE = 'build-and-test';
const TASK = 'fix-the-build';

function generateFix(env: FixEnv, startUs: number): void {
  const { ctx, res } = env;
  const { engineer, repo } = pickPeople(ctx);
  const outcome = OUTCOMES.pick(ctx.rng);
  const sessionId = uuid(ctx.rng);
  const runId = String(ctx.rng.intBetween(14_000_000_000, 14_999_999_999));
  env.nextTaskRunId += 1 + ctx.labels.int(400);
  const root = rootSpan(ctx, {
    res,
    // the job's CI environment, on every span of the run
    resource: {
      [CICD.pipelineName]: PIPELINE,
      [CICD.pipelineRunId]: runId,
      [CICD.taskName]: TASK,
      [CICD.taskRunId]: String(env.nextTaskRunId),
      [VCS.repositoryName]: repo.name,
      [VCS.repositoryUrl]: repo.url,
      [VCS.refHeadName]: 'main',
    },
    name: 'invoke_agent fix-the-build',
    kind: SPAN_KIND.internal,
    startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: 'fix-the-build',
      [GEN_AI.conversationId]: sessionId,
      [CICD.pipelineName]: PIPELINE,
      [CICD.pipelineRunId]: runId,
      [VCS.repositoryName]: repo.name,
      [VCS.refHeadName]: 'main',
      [GENERAL.userId]: engineer.id,
      [LOOPLINE.fixOutcome]: outcome,
    },
  });
  let t = tool(env, root, FETCH_LOGS, root.startUs + us(1 + ctx.rng.next() * 2));
  const model = env.models.pick(ctx.rng);
  t = runAgentLoop(ctx, {
    res,
    parent: root,
    startUs: t,
    steps: ctx.rng.count(5, 15),
    model,
    aux: undefined,
    context: freshContext(14_000),
    promptTokens: 3000 + ctx.rng.int(6000),
    outputMedian: 280,
    tools: TOOLS,
    toolsPerStepMean: 1.4,
    callIdPrefix: 'toolu_01',
    conversationId: sessionId,
    hooks: { onChat: (chat, m) => ctx.observeTokens(res, m, chat.span.endUs, chat.input, chat.output) },
  });
  finishFix(env, root, outcome, t);
}

function finishFix(env: Env, root: RawSpan, outcome: Outcome, startUs: number): void {
  const { ctx } = env;
  let t = startUs;
  if (outcome === 'gave_up') {
    root.attributes[GENERAL.processExitCode] = 1;
    markError(root, 'exit_code_1', 'could not repair the build');
  } else {
    const push = emitTool(ctx, {
      res: env.res,
      parent: root,
      startUs: t,
      tool: PUSH,
      callIdPrefix: 'toolu_01',
    });
    push.attributes[VCS.refHeadRevision] = gitSha(ctx.rng);
    push.attributes[VCS.refHeadName] = 'main';
    if (outcome === 'reverted') push.attributes[LOOPLINE.fixRevertedRevision] = gitSha(ctx.rng);
    root.attributes[GENERAL.processExitCode] = 0;
    t = push.endUs;
  }
  root.endUs = t + us(0.5 + ctx.rng.next());
}

function tool(env: Env, root: RawSpan, profile: ToolProfile, startUs: number): number {
  const span = emitTool(env.ctx, {
    res: env.res,
    parent: root,
    startUs,
    tool: profile,
    callIdPrefix: 'toolu_01',
  });
  return span.endUs + 5000 + env.ctx.rng.int(40_000);
}
