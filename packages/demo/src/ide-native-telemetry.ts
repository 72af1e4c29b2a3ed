import type { Attributes, RawSpan } from '@loopline/model';
import { CLAUDE_CODE, GEN_AI, GENERAL, STATUS_CODE } from './attribute-names.ts';
import type { ChatResult } from './chat-span.ts';
import type { GenerationContext } from './generation-context.ts';
import type { IdeAssistantProfile } from './ide-assistant-profiles.ts';
import { type DemoModel, reportedCostUsd } from './model-catalogue.ts';
import type { MetricShape } from './signal-sink.ts';
import type { ToolProfile } from './tool-span.ts';

const sumShape = (name: string, unit: string, description: string): MetricShape => ({
  name,
  description,
  unit,
  type: 'sum',
  aggregationTemporality: 1,
  isMonotonic: true,
});

const COST_METRIC = sumShape(CLAUDE_CODE.costMetric, 'USD', 'Cost of the Claude Code session');
const TOKEN_METRIC = sumShape(CLAUDE_CODE.tokenMetric, 'tokens', 'Number of tokens used');

interface ModelTally {
  readonly model: DemoModel;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number;
}

/**
 * The assistant's own exports beside the spans: Claude Code's `claude_code.*` log events and
 * per-session cost and token sums, Codex's `codex.sse_event` logs. Only some chats and tools log, to
 * keep logs modest; prompt bodies never appear.
 */
export class IdeNativeTelemetry {
  private readonly tallies = new Map<string, ModelTally>();

  constructor(
    private readonly ctx: GenerationContext,
    private readonly profile: IdeAssistantProfile,
    private readonly res: number,
    private readonly ids: { readonly sessionId: string; readonly userId: string },
  ) {}

  chat(chat: ChatResult, model: DemoModel): void {
    if (chat.failed) return;
    const tally = this.tally(model);
    const usage = {
      input: chat.input,
      output: chat.output,
      cacheRead: chat.cacheRead,
      cacheWrite: chat.cacheWrite,
    };
    const costUsd = reportedCostUsd(model, usage);
    tally.input += chat.input - chat.cacheRead - chat.cacheWrite;
    tally.output += chat.output;
    tally.cacheRead += chat.cacheRead;
    tally.cacheWrite += chat.cacheWrite;
    tally.costUsd += costUsd;
    if (!this.ctx.rng.chance(this.profile.chatLogShare)) return;
    if (this.profile.dataset === 'claude-code') this.apiRequestLog(chat, model, costUsd);
    else this.codexResponseLog(chat, model);
  }

  tool(span: RawSpan, tool: ToolProfile): void {
    if (!this.ctx.rng.chance(this.profile.toolLogShare)) return;
    const failed = span.statusCode === STATUS_CODE.error;
    const attributes: Attributes = {
      [GENERAL.eventName]: 'tool_result',
      [GENERAL.sessionId]: this.ids.sessionId,
      [GENERAL.userId]: this.ids.userId,
      [CLAUDE_CODE.toolName]: tool.name,
      [CLAUDE_CODE.toolUseId]: span.attributes[GEN_AI.toolCallId] ?? '',
      [CLAUDE_CODE.success]: failed ? 'false' : 'true',
      [CLAUDE_CODE.durationMs]: Math.round((span.endUs - span.startUs) / 1000),
    };
    if (failed) attributes[CLAUDE_CODE.errorType] = span.attributes[GENERAL.errorType] ?? 'tool_error';
    this.log(span, CLAUDE_CODE.toolResultEvent, attributes);
  }

  /** Emits the session's cost and token sums (Claude Code only). */
  finish(startUs: number, endUs: number): void {
    if (this.profile.dataset !== 'claude-code') return;
    for (const tally of this.tallies.values()) {
      const base = {
        [CLAUDE_CODE.model]: tally.model.name,
        [GENERAL.sessionId]: this.ids.sessionId,
        [GENERAL.userId]: this.ids.userId,
      };
      if (tally.model.price !== undefined)
        this.point(COST_METRIC, startUs, endUs, base, Math.round(tally.costUsd * 1e6) / 1e6);
      this.point(TOKEN_METRIC, startUs, endUs, { ...base, [CLAUDE_CODE.type]: 'input' }, tally.input);
      this.point(TOKEN_METRIC, startUs, endUs, { ...base, [CLAUDE_CODE.type]: 'output' }, tally.output);
      this.point(TOKEN_METRIC, startUs, endUs, { ...base, [CLAUDE_CODE.type]: 'cacheRead' }, tally.cacheRead);
      this.point(
        TOKEN_METRIC,
        startUs,
        endUs,
        { ...base, [CLAUDE_CODE.type]: 'cacheCreation' },
        tally.cacheWrite,
      );
    }
  }

  private tally(model: DemoModel): ModelTally {
    let tally = this.tallies.get(model.name);
    if (tally === undefined) {
      tally = { model, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 };
      this.tallies.set(model.name, tally);
    }
    return tally;
  }

  private apiRequestLog(chat: ChatResult, model: DemoModel, costUsd: number): void {
    const attributes: Attributes = {
      [GENERAL.eventName]: 'api_request',
      [GENERAL.sessionId]: this.ids.sessionId,
      [GENERAL.userId]: this.ids.userId,
      [CLAUDE_CODE.model]: model.name,
      [CLAUDE_CODE.inputTokens]: chat.input - chat.cacheRead - chat.cacheWrite,
      [CLAUDE_CODE.outputTokens]: chat.output,
      [CLAUDE_CODE.cacheReadTokens]: chat.cacheRead,
      [CLAUDE_CODE.cacheCreationTokens]: chat.cacheWrite,
      [CLAUDE_CODE.durationMs]: Math.round((chat.span.endUs - chat.span.startUs) / 1000),
    };
    if (model.price !== undefined) attributes[CLAUDE_CODE.costUsd] = Math.round(costUsd * 1e6) / 1e6;
    this.log(chat.span, CLAUDE_CODE.apiRequestEvent, attributes);
  }

  private codexResponseLog(chat: ChatResult, model: DemoModel): void {
    this.log(chat.span, 'codex.sse_event', {
      [GENERAL.eventName]: 'codex.sse_event',
      'event.kind': 'response.completed',
      'conversation.id': this.ids.sessionId,
      model: model.name,
      input_token_count: chat.input,
      output_token_count: chat.output,
      cached_token_count: chat.cacheRead,
      reasoning_token_count: chat.span.attributes[GEN_AI.reasoningOutputTokens] ?? 0,
    });
  }

  private log(span: RawSpan, eventName: string, attributes: Attributes): void {
    this.ctx.sink.addLog(this.res, {
      timeUs: span.endUs,
      observedTimeUs: span.endUs + 1000 + this.ctx.rng.int(4_000_000),
      severityNumber: 9,
      severityText: 'INFO',
      body: eventName,
      attributes,
      droppedAttributesCount: 0,
      flags: 1,
      traceId: span.traceId,
      spanId: span.spanId,
      eventName,
    });
  }

  private point(
    shape: MetricShape,
    startUs: number,
    timeUs: number,
    attributes: Attributes,
    value: number,
  ): void {
    this.ctx.sink.addPoint(this.res, shape, { startUs, timeUs, attributes, flags: 0, value });
  }
}
