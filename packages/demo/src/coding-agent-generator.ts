import type { RawSpan } from '@loopline/model';
import { freshContext, runAgentLoop } from './agent-loop.ts';
import { GEN_AI, GEN_AI_OPERATION, GENERAL, LOOPLINE, SPAN_KIND, VCS } from './attribute-names.ts';
import { datasetByName } from './dataset-catalogue.ts';
import { ALLOWED_HOSTS, emitEgressBurst } from './egress-fence.ts';
import type { GenerationContext, UnitGenerator } from './generation-context.ts';
import { uuid } from './ids.ts';
import { type ModelMix, splitModelMix } from './model-mix.ts';
import { agentResource, type Env, pickPeople } from './run-environment.ts';
import { childSpan, markError, rootSpan, us } from './span-factory.ts';
import { type ToolProfile, toolProfile as t } from './tool-span.ts';
import { prNumber, ticketId } from './vcs-names.ts';
import { WeightedTable } from './weighted-table.ts';

const TOOLS = new WeightedTable<ToolProfile>([
  [t('Read', [25, 0.8], [0.015, 'file_not_found'], 1800), 26],
  [t('Edit', [35, 0.6], [0.04, 'string_not_found'], 150), 18],
  [t('Bash', [2500, 1.3], [0.08, 'exit_code_1', 'timeout'], 800, true), 24],
  [t('Grep', [120, 0.8], [0.005], 500), 12],
  [t('Glob', [40, 0.6], [0.002], 200), 5],
  [t('Write', [30, 0.5], [0.01], 80), 4],
  [t('WebFetch', [1200, 0.8], [0.05, 'http_404', 'timeout'], 2500, true), 4],
  [t('TodoWrite', [5, 0.3], [0], 60), 3],
]);

const EXIT_CODES = new WeightedTable<number>([
  [0, 86],
  [1, 10],
  [124, 2],
  [137, 2],
]);

/** The first run is the one from the article: 28 minutes, ten of them installing dependencies. */
const FEATURED_RUN_S = 28 * 60;
const FEATURED_INSTALL_S = 10 * 60;

interface CodingAgentEnv extends Env {
  readonly mix: ModelMix;
  runs: number;
}

/** Makes the unit generator for the coding agent: each call writes one ticket → PR run (one trace). */
export function createCodingAgentGenerator(ctx: GenerationContext): UnitGenerator {
  const env: CodingAgentEnv = {
    ctx,
    res: agentResource(ctx, 'coding-agent', '1.8.0'),
    mix: splitModelMix(datasetByName('coding-agent').models, 'per-run'),
    runs: 0,
  };
  return (startUs) => generateRun(env, startUs);
}

function generateRun(env: CodingAgentEnv, runStartUs: number): void {
  const { ctx } = env;
  const featured = env.runs++ === 0;
  const sessionId = uuid(ctx.rng);
  const root = openRun(env, sessionId, runStartUs);
  const startUs = root.startUs;
  let t = setupStep(env, root, {
    name: 'git clone',
    startUs: startUs + us(1 + ctx.rng.next() * 2),
    seconds: ctx.rng.logNormal(8, 0.5),
    hosts: ['github.com'],
  });
  const installS = featured ? FEATURED_INSTALL_S : ctx.rng.logNormal(70, 0.6);
  t = setupStep(env, root, {
    name: 'install dependencies',
    startUs: t,
    seconds: installS,
    hosts: ['registry.npmjs.org'],
  });
  t = runAssistant(env, root, sessionId, t, featured ? 30 : ctx.rng.count(10, 40));
  const checksS = featured
    ? Math.max(60, FEATURED_RUN_S - (t - startUs) / 1e6 - 6)
    : ctx.rng.logNormal(90, 0.6);
  t = setupStep(env, root, { name: 'run checks', startUs: t, seconds: checksS, hosts: [] });
  finishRun(env, root, t, featured);
}

function openRun(env: CodingAgentEnv, sessionId: string, startUs: number): RawSpan {
  const { ctx } = env;
  const { engineer, repo } = pickPeople(ctx);
  const ticket = ticketId(ctx.rng);
  return rootSpan(ctx, {
    res: env.res,
    // a person hands the ticket over: the run exports as theirs, on every span
    resource: { [GENERAL.userId]: engineer.id, [GENERAL.userEmail]: engineer.email },
    name: 'invoke_agent coding-agent',
    kind: SPAN_KIND.internal,
    startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: 'coding-agent',
      [GEN_AI.conversationId]: sessionId,
      [LOOPLINE.ticketId]: ticket,
      [GENERAL.userId]: engineer.id,
      [GENERAL.userEmail]: engineer.email,
      [VCS.repositoryName]: repo.name,
      [VCS.refHeadName]: `agent/${ticket}`,
      [GENERAL.processExecutableName]: 'claude',
    },
  });
}

function runAssistant(
  env: CodingAgentEnv,
  root: RawSpan,
  sessionId: string,
  startUs: number,
  steps: number,
): number {
  const { ctx, res } = env;
  const assistant = childSpan(ctx, root, {
    res,
    name: 'invoke_agent claude-code',
    kind: SPAN_KIND.internal,
    startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: 'claude-code',
      [GEN_AI.conversationId]: sessionId,
    },
  });
  const end = runAgentLoop(ctx, {
    res,
    parent: assistant,
    startUs: startUs + us(1 + ctx.rng.next() * 3),
    steps,
    model: env.mix.main.pick(ctx.rng),
    aux: env.mix.aux,
    context: freshContext(18_000),
    promptTokens: 800 + ctx.rng.int(3000),
    outputMedian: 300,
    tools: TOOLS,
    toolsPerStepMean: 1.5,
    callIdPrefix: 'toolu_01',
    conversationId: sessionId,
    hooks: {
      onChat: (chat, model) => ctx.observeTokens(res, model, chat.span.endUs, chat.input, chat.output),
      expandTool: (span, tool) => toolEgress(env, span, tool),
    },
  });
  assistant.endUs = end + 1000;
  return assistant.endUs + us(0.5 + ctx.rng.next() * 2);
}

function toolEgress(env: CodingAgentEnv, span: RawSpan, tool: ToolProfile): number {
  const { ctx } = env;
  const isFetch = tool.name === 'WebFetch';
  if (!isFetch && !ctx.rng.chance(0.25)) return span.endUs;
  const end = emitEgressBurst(ctx, {
    res: env.res,
    parent: span,
    startUs: span.startUs + 2000 + ctx.rng.int(100_000),
    hosts: isFetch ? ALLOWED_HOSTS : ['registry.npmjs.org'],
    denyShare: isFetch ? 0.2 : 0.08,
  });
  return Math.max(span.endUs, end + 1000);
}

function setupStep(
  env: CodingAgentEnv,
  root: RawSpan,
  step: { name: string; startUs: number; seconds: number; hosts: readonly string[] },
): number {
  const { ctx } = env;
  const span = childSpan(ctx, root, {
    res: env.res,
    name: step.name,
    kind: SPAN_KIND.internal,
    startUs: step.startUs,
    attributes: { [GENERAL.processExecutableName]: step.name === 'git clone' ? 'git' : 'npm' },
  });
  let end = step.startUs + us(step.seconds);
  if (step.hosts.length > 0) {
    const hosts = step.hosts;
    const egressEnd = emitEgressBurst(ctx, {
      res: env.res,
      parent: span,
      startUs: step.startUs + 200_000,
      hosts,
      denyShare: 0.03,
    });
    end = Math.max(end, egressEnd + 1000);
  }
  span.endUs = end;
  return end + us(0.2 + ctx.rng.next());
}

function finishRun(env: CodingAgentEnv, root: RawSpan, startUs: number, featured: boolean): void {
  const { ctx } = env;
  const exitCode = featured ? 0 : EXIT_CODES.pick(ctx.rng);
  root.attributes[GENERAL.processExitCode] = exitCode;
  let t = startUs;
  if (exitCode === 0) {
    const pr = childSpan(ctx, root, {
      res: env.res,
      name: 'gh pr create',
      kind: SPAN_KIND.internal,
      startUs: t,
      attributes: { [GENERAL.processExecutableName]: 'gh' },
    });
    const egressEnd = emitEgressBurst(ctx, {
      res: env.res,
      parent: pr,
      startUs: t + 50_000,
      hosts: ['api.github.com'],
      denyShare: 0,
    });
    pr.endUs = egressEnd + us(0.3 + ctx.rng.next());
    root.attributes[VCS.changeId] = prNumber(ctx.rng);
    t = pr.endUs;
  } else {
    markError(root, `exit_code_${exitCode}`, `agent exited with code ${exitCode}`);
  }
  root.endUs = t + us(0.5 + ctx.rng.next());
}
