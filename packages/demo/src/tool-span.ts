import type { RawSpan } from '@loopline/model';
import { GEN_AI, GEN_AI_OPERATION, SPAN_KIND } from './attribute-names.ts';
import type { GenerationContext } from './generation-context.ts';
import { opaqueId } from './ids.ts';
import { childSpan, markError, usFromMs } from './span-factory.ts';

export type ToolType = 'function' | 'extension' | 'datastore';

/** How a tool behaves: its latency, how often it fails and how much it adds to the context. */
export interface ToolProfile {
  readonly name: string;
  /** `execute_tool {name}` */
  readonly spanName: string;
  readonly type: ToolType;
  readonly medianMs: number;
  readonly sigma: number;
  readonly errorRate: number;
  readonly errorTypes: readonly string[];
  /** median tokens its result adds to the conversation */
  readonly resultTokens: number;
  /** spans of its own happen under it (a sub-agent, egress through the fence) */
  readonly expands: boolean;
}

export const toolProfile = (
  name: string,
  timing: readonly [medianMs: number, sigma: number],
  errors: readonly [rate: number, ...types: string[]],
  resultTokens: number,
  expands = false,
): ToolProfile => ({
  name,
  spanName: `execute_tool ${name}`,
  type: name.startsWith('mcp__') ? 'extension' : 'function',
  medianMs: timing[0],
  sigma: timing[1],
  errorRate: errors[0],
  errorTypes: errors.length > 1 ? (errors.slice(1) as string[]) : ['tool_error'],
  resultTokens,
  expands,
});

export interface ToolCall {
  readonly res: number;
  readonly parent: RawSpan;
  readonly startUs: number;
  readonly tool: ToolProfile;
  readonly callIdPrefix: string;
}

/** Emits one `execute_tool {tool}` span; its end is set from the tool's latency profile. */
export function emitTool(ctx: GenerationContext, call: ToolCall): RawSpan {
  const { rng } = ctx;
  const tool = call.tool;
  const span = childSpan(ctx, call.parent, {
    res: call.res,
    name: tool.spanName,
    kind: SPAN_KIND.internal,
    startUs: call.startUs,
    attributes: {
      [GEN_AI.operationName]: GEN_AI_OPERATION.executeTool,
      [GEN_AI.toolName]: tool.name,
      [GEN_AI.toolCallId]: opaqueId(rng, call.callIdPrefix, 11),
      [GEN_AI.toolType]: tool.type,
    },
  });
  span.endUs = call.startUs + usFromMs(rng.logNormal(tool.medianMs, tool.sigma));
  if (rng.chance(tool.errorRate)) markError(span, rng.pick(tool.errorTypes));
  return span;
}
