import type { RawSpan } from '@loopline/model';
import { type ContextWindow, freshContext, type LoopHooks, runAgentLoop } from './agent-loop.ts';
import { GEN_AI, GEN_AI_OPERATION, LOOPLINE, SPAN_KIND } from './attribute-names.ts';
import type { GenerationContext, UnitGenerator } from './generation-context.ts';
import { createGroundednessEvaluator, type GroundednessEvaluator } from './groundedness-evaluator.ts';
import { uuid } from './ids.ts';
import type { DemoModel } from './model-catalogue.ts';
import { modelDeck } from './model-mix.ts';
import { agentResource, type Env } from './run-environment.ts';
import { childSpan, rootSpan, us } from './span-factory.ts';
import { CUSTOMER_COUNT } from './team.ts';
import { type ToolProfile, toolProfile as t } from './tool-span.ts';
import { type Picker, WeightedTable } from './weighted-table.ts';

const RUN_QUERY = t('run_query', [1200, 0.8], [0.03, 'query_timeout', 'invalid_query'], 1500);
const TOOLS = new WeightedTable<ToolProfile>([
  [RUN_QUERY, 62],
  [t('get_service_map', [400, 0.5], [0.01], 1200), 8],
  [t('list_columns', [150, 0.5], [0.005], 600), 9],
  [t('search_docs', [700, 0.5], [0.01], 1400), 6],
  [t('write_artifact', [250, 0.6], [0.01, 'storage_error'], 80), 9],
  [t('investigate_hypothesis', [0, 0], [0.01, 'subagent_error'], 900, true), 3],
]);
const SUB_TOOLS = new WeightedTable<ToolProfile>([
  [RUN_QUERY, 85],
  [t('list_columns', [150, 0.5], [0.005], 600), 15],
]);
const ARTIFACT_TYPES: readonly string[] = ['query_result', 'board', 'notebook_cell', 'summary'];

interface Conversation {
  readonly id: string;
  readonly customer: string;
  readonly model: DemoModel;
  readonly context: ContextWindow;
}

interface InvestigatorEnv extends Env {
  readonly main: Picker<DemoModel>;
  readonly sub: Picker<DemoModel>;
  readonly evaluate: GroundednessEvaluator;
  conversations: number;
}

/** Makes the unit generator for the production investigator: each call writes one conversation. */
export function createInvestigatorGenerator(ctx: GenerationContext): UnitGenerator {
  const env: InvestigatorEnv = {
    ctx,
    res: agentResource(ctx, 'investigator', '3.14.2'),
    main: modelDeck([
      { model: 'claude-sonnet-4-6', share: 0.62 },
      { model: 'claude-sonnet-4-5', share: 0.23 },
      { model: 'gpt-5', share: 0.15 },
    ]),
    sub: modelDeck([
      { model: 'claude-haiku-4-5', share: 0.7 },
      { model: 'claude-sonnet-4-6', share: 0.3 },
    ]),
    evaluate: createGroundednessEvaluator(ctx),
    conversations: 0,
  };
  return (startUs) => generateConversation(env, startUs);
}

function generateConversation(env: InvestigatorEnv, startUs: number): void {
  const { ctx } = env;
  const long = env.conversations++ === 1 || ctx.rng.chance(0.003);
  const conversation: Conversation = {
    id: uuid(ctx.rng),
    customer: `cust-${String(ctx.rng.int(CUSTOMER_COUNT)).padStart(4, '0')}`,
    model: env.main.pick(ctx.rng),
    context: freshContext(9000),
  };
  const traces = long ? ctx.rng.intBetween(11, 15) : ctx.rng.count(2.6, 8);
  let t = startUs;
  for (let i = 0; i < traces; i++) {
    if (i > 0 && ctx.exhausted()) break;
    const end = emitInvestigationTrace(env, conversation, {
      index: i,
      final: i === traces - 1,
      long,
      startUs: t,
    });
    t = end + us(long ? ctx.rng.logNormal(420, 0.4) : ctx.rng.logNormal(100, 0.8));
  }
}

interface InvestigationTurn {
  readonly index: number;
  readonly final: boolean;
  readonly long: boolean;
  readonly startUs: number;
}

function emitInvestigationTrace(
  env: InvestigatorEnv,
  conversation: Conversation,
  turn: InvestigationTurn,
): number {
  const { ctx, res } = env;
  const root = openInvestigation(env, conversation, turn);
  let firstToolUs = 0;
  let t = runAgentLoop(ctx, {
    res,
    parent: root,
    startUs: turn.startUs + 5000 + ctx.rng.int(80_000),
    steps: turn.long ? ctx.rng.intBetween(6, 12) : ctx.rng.count(4, 14),
    model: conversation.model,
    aux: undefined,
    context: conversation.context,
    promptTokens: 100 + ctx.rng.int(600),
    outputMedian: 220,
    tools: TOOLS,
    toolsPerStepMean: 2.2,
    callIdPrefix: 'toolu_01',
    conversationId: conversation.id,
    hooks: investigationHooks(env, conversation, (startUs) => {
      if (firstToolUs === 0) firstToolUs = startUs;
    }),
  });
  if (firstToolUs > 0) root.attributes[LOOPLINE.timeToFirstToolUse] = (firstToolUs - root.startUs) / 1e6;
  if (turn.final) t = env.evaluate({ root, conversationId: conversation.id, startUs: t + 20_000 });
  root.endUs = t + 2000 + ctx.rng.int(30_000);
  return root.endUs;
}

function openInvestigation(
  env: InvestigatorEnv,
  conversation: Conversation,
  turn: InvestigationTurn,
): RawSpan {
  const { ctx } = env;
  return rootSpan(ctx, {
    res: env.res,
    name: 'invoke_agent investigator',
    kind: SPAN_KIND.internal,
    startUs: turn.startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: 'investigator',
      [GEN_AI.conversationId]: conversation.id,
      [LOOPLINE.customerId]: conversation.customer,
      [LOOPLINE.investigationTrigger]: turn.index === 0 && ctx.rng.chance(0.3) ? 'alert' : 'user_question',
    },
  });
}

function investigationHooks(
  env: InvestigatorEnv,
  conversation: Conversation,
  onToolStart: (startUs: number) => void,
): LoopHooks {
  const { ctx, res } = env;
  return {
    onChat: (chat, model) => ctx.observeTokens(res, model, chat.span.endUs, chat.input, chat.output),
    onTool: (span, tool) => {
      onToolStart(span.startUs);
      if (tool.name === 'write_artifact')
        span.attributes[LOOPLINE.artifactType] = ctx.rng.pick(ARTIFACT_TYPES);
    },
    expandTool: (span) => runHypothesis(env, conversation, span),
  };
}

function runHypothesis(env: InvestigatorEnv, conversation: Conversation, toolSpan: RawSpan): number {
  const { ctx, res } = env;
  const agent = childSpan(ctx, toolSpan, {
    res,
    name: 'invoke_agent hypothesis-investigator',
    kind: SPAN_KIND.internal,
    startUs: toolSpan.startUs + 2000 + ctx.rng.int(20_000),
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: 'hypothesis-investigator',
      [GEN_AI.conversationId]: conversation.id,
    },
  });
  const end = runAgentLoop(ctx, {
    res,
    parent: agent,
    startUs: agent.startUs + 1000,
    steps: ctx.rng.intBetween(3, 6),
    model: env.sub.pick(ctx.rng),
    aux: undefined,
    context: freshContext(6000),
    promptTokens: 400 + ctx.rng.int(800),
    outputMedian: 200,
    tools: SUB_TOOLS,
    toolsPerStepMean: 2,
    callIdPrefix: 'toolu_01',
    conversationId: conversation.id,
    hooks: {
      onChat: (chat, model) => ctx.observeTokens(res, model, chat.span.endUs, chat.input, chat.output),
    },
  });
  agent.endUs = end + 1000;
  return agent.endUs + 1000 + ctx.rng.int(10_000);
}
