import type { Attributes, RawEvent, RawSpan } from '@loopline/model';
import { GEN_AI, GEN_AI_OPERATION, GENERAL, STATUS_CODE } from './attribute-names.ts';
import type { GenerationContext } from './generation-context.ts';
import { spanId, traceId } from './ids.ts';

const SAMPLED = 1;

/** Options for one span; `endUs` defaults to `startUs` and is usually set once the children are laid out. */
export interface SpanInit {
  readonly res: number;
  /**
   * Attributes the writing process adds to `res` (a CI job's `cicd.*` and `vcs.*`, the person an agent
   * runs for), on top of those it inherits; the spans under this one in the same resource get them too.
   */
  readonly resource?: Attributes;
  readonly name: string;
  readonly kind: number;
  readonly startUs: number;
  readonly attributes: Attributes;
}

/**
 * What a span hands down to the spans under it that its own process writes (same resource), the way
 * OpenTelemetry's context does: the process's resource attributes, and the agent (`gen_ai.agent.name`,
 * `gen_ai.agent.id`) whose run it belongs to. A span written by another process under it (a judge
 * under the investigation it scores) starts afresh.
 */
interface SpanContext {
  readonly res: number;
  readonly resource: Attributes | undefined;
  readonly agent: Attributes | undefined;
}

const CONTEXTS = new WeakMap<RawSpan, SpanContext>();

/** Agent frameworks name the agent on the inference and tool spans they make inside its run. */
const AGENT_OPERATIONS: ReadonlySet<unknown> = new Set([GEN_AI_OPERATION.chat, GEN_AI_OPERATION.executeTool]);

function agentIdentity(attributes: Attributes): Attributes | undefined {
  if (attributes[GEN_AI.operationName] !== GEN_AI_OPERATION.invokeAgent) return undefined;
  const identity: Attributes = {};
  for (const key of [GEN_AI.agentName, GEN_AI.agentId]) {
    if (attributes[key] !== undefined) identity[key] = attributes[key];
  }
  return identity;
}

function makeSpan(
  ctx: GenerationContext,
  trace: string,
  parent: RawSpan | undefined,
  init: SpanInit,
): RawSpan {
  const inherited = parent === undefined ? undefined : CONTEXTS.get(parent);
  const own = inherited?.res === init.res ? inherited : undefined;
  const resource = init.resource === undefined ? own?.resource : { ...own?.resource, ...init.resource };
  const agent = agentIdentity(init.attributes) ?? own?.agent;
  const attributes = init.attributes;
  if (agent !== undefined && AGENT_OPERATIONS.has(attributes[GEN_AI.operationName])) {
    for (const [key, value] of Object.entries(agent)) attributes[key] ??= value;
  }
  const span = ctx.sink.addSpan(
    init.res,
    {
      traceId: trace,
      spanId: spanId(ctx.rng),
      parentSpanId: parent?.spanId ?? '',
      traceState: '',
      flags: SAMPLED,
      name: init.name,
      kind: init.kind,
      startUs: init.startUs,
      endUs: init.startUs,
      attributes,
      droppedAttributesCount: 0,
      events: [],
      links: [],
      statusCode: STATUS_CODE.unset,
      statusMessage: '',
    },
    resource,
  );
  if (resource !== undefined || agent !== undefined) {
    CONTEXTS.set(span, { res: init.res, resource, agent });
  }
  return span;
}

/** A span that starts a new trace. */
export function rootSpan(ctx: GenerationContext, init: SpanInit): RawSpan {
  return makeSpan(ctx, traceId(ctx.rng), undefined, init);
}

/** A span under `parent`, in the parent's trace. */
export function childSpan(ctx: GenerationContext, parent: RawSpan, init: SpanInit): RawSpan {
  return makeSpan(ctx, parent.traceId, parent, init);
}

/** Marks a span as failed, the way the conventions record errors. */
export function markError(span: RawSpan, errorType: string, message = errorType): void {
  span.statusCode = STATUS_CODE.error;
  span.statusMessage = message;
  span.attributes[GENERAL.errorType] = errorType;
}

/** Adds a span event. */
export function addEvent(span: RawSpan, timeUs: number, name: string, attributes: Attributes): void {
  const event: RawEvent = { timeUs, name, attributes };
  span.events.push(event);
}

/** Microseconds from seconds, rounded to an integer. */
export function us(seconds: number): number {
  return Math.round(seconds * 1_000_000);
}

/** Microseconds from milliseconds, rounded to an integer (at least 1). */
export function usFromMs(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}
