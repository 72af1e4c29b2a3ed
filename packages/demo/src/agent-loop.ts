import type { RawSpan } from '@loopline/model';
import { type ChatFinish, type ChatResult, emitChat } from './chat-span.ts';
import type { GenerationContext } from './generation-context.ts';
import type { DemoModel } from './model-catalogue.ts';
import { us } from './span-factory.ts';
import { emitTool, type ToolProfile } from './tool-span.ts';
import type { WeightedTable } from './weighted-table.ts';

const CACHE_TTL_US = 300_000_000;
const COMPACT_AT_TOKENS = 180_000;

/** The conversation's context as the provider sees it: its size and what is still in the prompt cache. */
export interface ContextWindow {
  tokens: number;
  cachedPrefix: number;
  warmUntilUs: number;
}

export function freshContext(tokens: number): ContextWindow {
  return { tokens, cachedPrefix: 0, warmUntilUs: 0 };
}

export interface LoopHooks {
  onChat?(chat: ChatResult, model: DemoModel): void;
  onTool?(span: RawSpan, tool: ToolProfile): void;
  /** builds the spans under an expanding tool and returns the tool span's end */
  expandTool?(span: RawSpan, tool: ToolProfile): number;
}

/** One agent's think → act loop: a chat, then the tools it asked for, until it answers. */
export interface AgentLoopSpec {
  readonly res: number;
  readonly parent: RawSpan;
  readonly startUs: number;
  readonly steps: number;
  readonly model: DemoModel;
  /** a cheap model doing side jobs (titles, command checks) before some steps */
  readonly aux: { readonly model: DemoModel; readonly probability: number } | undefined;
  readonly context: ContextWindow;
  readonly promptTokens: number;
  readonly outputMedian: number;
  readonly tools: WeightedTable<ToolProfile>;
  readonly toolsPerStepMean: number;
  readonly callIdPrefix: string;
  readonly conversationId: string | undefined;
  readonly hooks: LoopHooks;
}

/** Runs the loop and returns the time its last span ends. */
export function runAgentLoop(ctx: GenerationContext, spec: AgentLoopSpec): number {
  let t = spec.startUs;
  spec.context.tokens += spec.promptTokens;
  for (let step = 0; step < spec.steps; step++) {
    if (step > 0 && ctx.exhausted()) break;
    const last = step === spec.steps - 1;
    if (spec.aux !== undefined && ctx.rng.chance(spec.aux.probability)) t = auxChat(ctx, spec, t);
    t = mainChat(ctx, spec, t, last ? 'stop' : 'tool');
    if (!last) t = runTools(ctx, spec, t);
  }
  return t;
}

function gap(ctx: GenerationContext, maxMs: number): number {
  return 1000 + Math.floor(ctx.rng.next() * maxMs * 1000);
}

function mainChat(ctx: GenerationContext, spec: AgentLoopSpec, startUs: number, finish: ChatFinish): number {
  const window = spec.context;
  if (window.tokens > COMPACT_AT_TOKENS) {
    window.tokens = 25_000 + ctx.rng.int(15_000);
    window.cachedPrefix = 0;
  }
  const request = {
    res: spec.res,
    parent: spec.parent,
    startUs,
    model: spec.model,
    inputTokens: window.tokens,
    cachedTokens: startUs < window.warmUntilUs ? window.cachedPrefix : 0,
    outputMedian: finish === 'stop' ? spec.outputMedian * 1.6 : spec.outputMedian,
    finish,
    conversationId: spec.conversationId,
  };
  let chat = emitChat(ctx, request);
  spec.hooks.onChat?.(chat, spec.model);
  if (chat.failed) {
    chat = emitChat(ctx, { ...request, startUs: chat.span.endUs + us(ctx.rng.between(1, 4)) });
    spec.hooks.onChat?.(chat, spec.model);
  }
  if (!chat.failed) {
    window.cachedPrefix = window.tokens;
    window.tokens += chat.output;
    window.warmUntilUs = chat.span.endUs + CACHE_TTL_US;
  }
  return chat.span.endUs + gap(ctx, 60);
}

function auxChat(ctx: GenerationContext, spec: AgentLoopSpec, startUs: number): number {
  const aux = spec.aux!;
  const chat = emitChat(ctx, {
    res: spec.res,
    parent: spec.parent,
    startUs,
    model: aux.model,
    inputTokens: 600 + ctx.rng.int(5000),
    cachedTokens: 0,
    outputMedian: 40,
    finish: 'stop',
    conversationId: spec.conversationId,
  });
  spec.hooks.onChat?.(chat, aux.model);
  return chat.span.endUs + gap(ctx, 30);
}

function runTools(ctx: GenerationContext, spec: AgentLoopSpec, startUs: number): number {
  const { rng } = ctx;
  const count = rng.count(spec.toolsPerStepMean, 6);
  const parallel = count > 1 && rng.chance(0.5);
  let cursor = startUs;
  let end = startUs;
  for (let i = 0; i < count; i++) {
    const tool = spec.tools.pick(rng);
    const toolStart = parallel ? startUs + rng.int(20_000) : cursor;
    const span = emitTool(ctx, {
      res: spec.res,
      parent: spec.parent,
      startUs: toolStart,
      tool,
      callIdPrefix: spec.callIdPrefix,
    });
    if (tool.expands && spec.hooks.expandTool !== undefined) span.endUs = spec.hooks.expandTool(span, tool);
    spec.hooks.onTool?.(span, tool);
    spec.context.tokens += Math.round(rng.logNormal(tool.resultTokens, 0.9));
    if (span.endUs > end) end = span.endUs;
    cursor = span.endUs + gap(ctx, 15);
  }
  return end + gap(ctx, 80);
}
