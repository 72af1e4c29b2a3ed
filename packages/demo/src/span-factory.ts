import type { Attributes, RawEvent, RawSpan } from '@loopline/model';
import { GENERAL, STATUS_CODE } from './attribute-names.ts';
import type { GenerationContext } from './generation-context.ts';
import { spanId, traceId } from './ids.ts';

const SAMPLED = 1;

/** Options for one span; `endUs` defaults to `startUs` and is usually set once the children are laid out. */
export interface SpanInit {
  readonly res: number;
  readonly name: string;
  readonly kind: number;
  readonly startUs: number;
  readonly attributes: Attributes;
}

function makeSpan(ctx: GenerationContext, trace: string, parent: string, init: SpanInit): RawSpan {
  return ctx.sink.addSpan(init.res, {
    traceId: trace,
    spanId: spanId(ctx.rng),
    parentSpanId: parent,
    traceState: '',
    flags: SAMPLED,
    name: init.name,
    kind: init.kind,
    startUs: init.startUs,
    endUs: init.startUs,
    attributes: init.attributes,
    droppedAttributesCount: 0,
    events: [],
    links: [],
    statusCode: STATUS_CODE.unset,
    statusMessage: '',
  });
}

/** A span that starts a new trace. */
export function rootSpan(ctx: GenerationContext, init: SpanInit): RawSpan {
  return makeSpan(ctx, traceId(ctx.rng), '', init);
}

/** A span under `parent`, in the parent's trace. */
export function childSpan(ctx: GenerationContext, parent: RawSpan, init: SpanInit): RawSpan {
  return makeSpan(ctx, parent.traceId, parent.spanId, init);
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
