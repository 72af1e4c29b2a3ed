import type { Attributes, RawSpan } from '@loopline/model';
import { GEN_AI, GEN_AI_OPERATION, GENERAL, SPAN_KIND } from './attribute-names.ts';
import type { GenerationContext } from './generation-context.ts';
import type { DemoModel, ProviderName } from './model-catalogue.ts';
import { childSpan, markError, us } from './span-factory.ts';

export type ChatFinish = 'tool' | 'stop';

export interface ChatRequest {
  readonly res: number;
  readonly parent: RawSpan;
  readonly startUs: number;
  readonly model: DemoModel;
  /** the whole prompt, cached part included */
  readonly inputTokens: number;
  /** the prefix already in the provider's prompt cache (0 when the cache is cold) */
  readonly cachedTokens: number;
  readonly outputMedian: number;
  readonly finish: ChatFinish;
  readonly conversationId: string | undefined;
}

/** Token counts as the conventions define them: input includes cache reads and writes. */
export interface ChatResult {
  readonly span: RawSpan;
  readonly failed: boolean;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

const FINISH: Record<ProviderName, Record<ChatFinish, string>> = {
  anthropic: { tool: 'tool_use', stop: 'end_turn' },
  openai: { tool: 'tool_calls', stop: 'stop' },
  'gcp.gemini': { tool: 'tool_calls', stop: 'stop' },
};

const ERRORS: Record<ProviderName, readonly string[]> = {
  anthropic: ['overloaded_error', 'rate_limit_error', 'api_error'],
  openai: ['rate_limit_exceeded', 'server_error'],
  'gcp.gemini': ['RESOURCE_EXHAUSTED', 'UNAVAILABLE'],
};

const CHAT_ERROR_RATE = 0.006;

/** Emits one `chat {model}` span with realistic tokens, cache split and timing. */
export function emitChat(ctx: GenerationContext, req: ChatRequest): ChatResult {
  const { rng } = ctx;
  const model = req.model;
  const span = childSpan(ctx, req.parent, {
    res: req.res,
    name: model.chatSpanName,
    kind: SPAN_KIND.client,
    startUs: req.startUs,
    attributes: baseAttributes(model, req.conversationId),
  });
  if (rng.chance(CHAT_ERROR_RATE)) return failChat(ctx, span, model);
  const input = req.inputTokens;
  const output = Math.max(1, Math.round(rng.logNormal(req.outputMedian, 0.8)));
  const cacheRead = cacheReadTokens(ctx, model, input, req.cachedTokens);
  const cacheWrite =
    model.provider === 'anthropic' ? input - cacheRead - Math.min(input - cacheRead, 1 + rng.int(12)) : 0;
  const ttft = model.ttftMedianS * rng.logNormal(1, 0.45) + input / 250_000;
  const attributes = span.attributes;
  attributes[GEN_AI.inputTokens] = input;
  attributes[GEN_AI.outputTokens] = output;
  attributes[GEN_AI.cacheReadInputTokens] = cacheRead;
  if (model.provider === 'anthropic') attributes[GEN_AI.cacheCreationInputTokens] = cacheWrite;
  if (model.reportsReasoning) {
    attributes[GEN_AI.reasoningOutputTokens] = Math.floor(output * rng.between(0.1, 0.65));
  }
  attributes[GEN_AI.responseTimeToFirstChunk] = Math.round(ttft * 1000) / 1000;
  attributes[GEN_AI.responseFinishReasons] = [FINISH[model.provider][req.finish]];
  span.endUs = req.startUs + us(ttft + output / (model.outputTokensPerS * rng.logNormal(1, 0.2)));
  return { span, failed: false, input, output, cacheRead, cacheWrite };
}

function baseAttributes(model: DemoModel, conversationId: string | undefined): Attributes {
  const attributes: Attributes = {
    [GEN_AI.operationName]: GEN_AI_OPERATION.chat,
    [GEN_AI.providerName]: model.provider,
    [GEN_AI.requestModel]: model.name,
    [GEN_AI.responseModel]: model.responseModel,
    [GENERAL.serverAddress]: model.serverAddress,
    [GENERAL.serverPort]: 443,
  };
  if (conversationId !== undefined) attributes[GEN_AI.conversationId] = conversationId;
  return attributes;
}

/** Anthropic reads exactly the cached prefix; OpenAI caches in 128-token blocks; Gemini only sometimes. */
function cacheReadTokens(ctx: GenerationContext, model: DemoModel, input: number, cached: number): number {
  const read = Math.min(cached, input);
  if (model.provider === 'anthropic') return read;
  if (model.provider === 'openai') return Math.floor(read / 128) * 128;
  return ctx.rng.chance(0.6) ? read : 0;
}

function failChat(ctx: GenerationContext, span: RawSpan, model: DemoModel): ChatResult {
  const errorType = ctx.rng.pick(ERRORS[model.provider]);
  markError(span, errorType);
  span.attributes[GEN_AI.responseFinishReasons] = ['error'];
  span.endUs = span.startUs + us(ctx.rng.between(0.2, 3));
  return { span, failed: true, input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}
