import type { RawSpan } from '@loopline/model';
import { type ContextWindow, freshContext, type LoopHooks, runAgentLoop } from './agent-loop.ts';
import { GEN_AI, GEN_AI_OPERATION, GENERAL, LOOPLINE, SPAN_KIND, VCS } from './attribute-names.ts';
import { datasetByName } from './dataset-catalogue.ts';
import type { GenerationContext, UnitGenerator } from './generation-context.ts';
import type { IdeAssistantProfile } from './ide-assistant-profiles.ts';
import { IdeNativeTelemetry } from './ide-native-telemetry.ts';
import { decorateIdeTool } from './ide-tool-outcomes.ts';
import { uuid } from './ids.ts';
import type { DemoModel } from './model-catalogue.ts';
import { type ModelMix, splitModelMix } from './model-mix.ts';
import { pickPeople } from './run-environment.ts';
import { addEvent, childSpan, rootSpan, us } from './span-factory.ts';
import type { Repository } from './team.ts';
import type { ToolProfile } from './tool-span.ts';
import { pickBranch } from './vcs-names.ts';
import { WeightedTable } from './weighted-table.ts';

interface IdeEnvironment {
  readonly ctx: GenerationContext;
  readonly profile: IdeAssistantProfile;
  readonly mix: ModelMix;
  readonly tools: WeightedTable<ToolProfile>;
  readonly subAgentTools: WeightedTable<ToolProfile> | undefined;
}

interface Session {
  readonly res: number;
  readonly sessionId: string;
  readonly repo: Repository;
  readonly branch: string;
  readonly instructionFiles: readonly string[];
  readonly context: ContextWindow;
  readonly telemetry: IdeNativeTelemetry;
}

/** Makes the unit generator for one IDE assistant: each call writes one session of prompt turns. */
export function createIdeAssistantGenerator(
  ctx: GenerationContext,
  profile: IdeAssistantProfile,
): UnitGenerator {
  const env: IdeEnvironment = {
    ctx,
    profile,
    mix: splitModelMix(datasetByName(profile.dataset).models, 'per-turn'),
    tools: new WeightedTable(profile.tools),
    subAgentTools: profile.subAgentTools.length > 0 ? new WeightedTable(profile.subAgentTools) : undefined,
  };
  return (startUs) => generateSession(env, startUs);
}

function generateSession(env: IdeEnvironment, startUs: number): void {
  const { ctx, profile } = env;
  const { rng } = ctx;
  const session = openSession(env);
  const turns = rng.count(profile.meanTurns, 40);
  let t = startUs;
  for (let turn = 0; turn < turns; turn++) {
    if (turn > 0 && ctx.exhausted()) break;
    const end = emitTurn(env, session, turn, t);
    t = end + us(Math.min(1800, rng.logNormal(90, 1)));
  }
  session.telemetry.finish(startUs, t);
}

function openSession(env: IdeEnvironment): Session {
  const { ctx, profile } = env;
  const { engineer, repo } = pickPeople(ctx);
  const res = ctx.sink.resource(`${profile.dataset}|${engineer.id}`, () => ({
    attributes: {
      [GENERAL.serviceName]: profile.dataset,
      [GENERAL.serviceVersion]: profile.serviceVersion,
      [GENERAL.osType]: engineer.os,
      [GENERAL.hostArch]: engineer.os === 'darwin' ? 'arm64' : 'amd64',
      [GENERAL.userId]: engineer.id,
      [GENERAL.userEmail]: engineer.email,
    },
    scope: { name: profile.scope.name, version: profile.scope.version, attributes: {} },
  }));
  const sessionId = uuid(ctx.rng);
  const files = profile.instructionFiles.filter((f) => ctx.rng.chance(f.probability)).map((f) => f.path);
  return {
    res,
    sessionId,
    repo,
    branch: pickBranch(ctx.rng),
    instructionFiles: files,
    context: freshContext(profile.baseContextTokens),
    telemetry: new IdeNativeTelemetry(ctx, profile, res, { sessionId, userId: engineer.id }),
  };
}

function emitTurn(env: IdeEnvironment, session: Session, turn: number, startUs: number): number {
  const { ctx, profile } = env;
  const root = rootSpan(ctx, {
    res: session.res,
    name: `invoke_agent ${profile.agentName}`,
    kind: SPAN_KIND.internal,
    startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: profile.agentName,
      [GEN_AI.conversationId]: session.sessionId,
      [GENERAL.sessionId]: session.sessionId,
      [VCS.repositoryName]: session.repo.name,
      [VCS.refHeadName]: session.branch,
      [LOOPLINE.instructionFiles]: [...session.instructionFiles],
    },
  });
  if (turn === 0) addInstructionEvents(env, session, root);
  const model = env.mix.main.pick(ctx.rng);
  const end = runAgentLoop(ctx, {
    res: session.res,
    parent: root,
    startUs: startUs + 2000 + ctx.rng.int(150_000),
    steps: ctx.rng.count(profile.meanSteps, 30),
    model,
    aux: env.mix.aux,
    context: session.context,
    promptTokens: 20 + ctx.rng.int(900),
    outputMedian: 260,
    tools: env.tools,
    toolsPerStepMean: 1.6,
    callIdPrefix: profile.callIdPrefix,
    conversationId: session.sessionId,
    hooks: turnHooks(env, session, model),
  });
  root.endUs = end + 1000 + ctx.rng.int(200_000);
  return root.endUs;
}

function addInstructionEvents(env: IdeEnvironment, session: Session, root: RawSpan): void {
  for (const path of session.instructionFiles) {
    const file = env.profile.instructionFiles.find((f) => f.path === path)!;
    addEvent(root, root.startUs, LOOPLINE.instructionsLoadedEvent, {
      [LOOPLINE.instructionFilePath]: file.path,
      [LOOPLINE.instructionMemoryType]: file.memoryType,
      [LOOPLINE.instructionLoadReason]: 'session_start',
    });
  }
}

function turnHooks(env: IdeEnvironment, session: Session, model: DemoModel): LoopHooks {
  const { ctx } = env;
  return {
    onChat: (chat, chatModel) => session.telemetry.chat(chat, chatModel),
    onTool: (span, tool) => {
      decorateIdeTool(ctx, span, tool, session.branch);
      session.telemetry.tool(span, tool);
    },
    expandTool: (span) => runSubAgent(env, session, span, model),
  };
}

function runSubAgent(env: IdeEnvironment, session: Session, toolSpan: RawSpan, model: DemoModel): number {
  const { ctx, profile } = env;
  const type = ctx.rng.pick(profile.subAgentTypes);
  const agent = childSpan(ctx, toolSpan, {
    res: session.res,
    name: `invoke_agent ${type}`,
    kind: SPAN_KIND.internal,
    startUs: toolSpan.startUs + 2000 + ctx.rng.int(30_000),
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI.agentName]: type,
      [GEN_AI.conversationId]: session.sessionId,
    },
  });
  const end = runAgentLoop(ctx, {
    res: session.res,
    parent: agent,
    startUs: agent.startUs + 1000,
    steps: ctx.rng.count(4, 12),
    model,
    aux: env.mix.aux,
    context: freshContext(9000),
    promptTokens: 200 + ctx.rng.int(600),
    outputMedian: 220,
    tools: env.subAgentTools ?? env.tools,
    toolsPerStepMean: 1.8,
    callIdPrefix: profile.callIdPrefix,
    conversationId: session.sessionId,
    hooks: { onChat: (chat, chatModel) => session.telemetry.chat(chat, chatModel) },
  });
  agent.endUs = end + 1000;
  return agent.endUs + 2000 + ctx.rng.int(20_000);
}
