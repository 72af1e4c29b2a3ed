import type { SpanAttributes, SpanKind, SpanRecord, SpanStatus } from '../span-record.ts';
import { type HookContext, usToNano } from './hook-context.ts';
import { type PendingEvent, STATE_FILES } from './hook-records.ts';

export interface SpanDraft {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  startUs: number;
  endUs: number;
  attributes: SpanAttributes;
  events?: readonly PendingEvent[];
  status?: SpanStatus;
}

/** A span record from microsecond times; an end before the start is clamped to the start. */
export function makeSpan(draft: SpanDraft): SpanRecord {
  return {
    traceId: draft.traceId,
    spanId: draft.spanId,
    parentSpanId: draft.parentSpanId,
    name: draft.name,
    kind: draft.kind,
    startTimeUnixNano: usToNano(draft.startUs),
    endTimeUnixNano: usToNano(Math.max(draft.startUs, draft.endUs)),
    status: draft.status ?? { code: 'unset' },
    attributes: draft.attributes,
    events: (draft.events ?? []).map((event) => ({
      name: event.name,
      timeUnixNano: usToNano(event.timeUs),
      attributes: event.attributes,
    })),
  };
}

/** Keeps a finished span until the turn ends (Stop sends every finished span of the session). */
export function keepDone(ctx: HookContext, span: SpanRecord): void {
  ctx.store.write(`${STATE_FILES.DONE_PREFIX}${span.spanId}.json`, span);
}

/** Every finished span waiting to be sent; their files are removed once the CLI has sent or spooled them. */
export function takeDone(ctx: HookContext): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (const name of ctx.store.list(STATE_FILES.DONE_PREFIX)) {
    const span = ctx.store.read<SpanRecord>(name);
    if (span !== undefined) spans.push(span);
    ctx.store.remove(name);
  }
  return spans;
}

/** Records something to show as a span event on the turn that ends next. */
export function addPendingEvent(ctx: HookContext, name: string, attributes: SpanAttributes): void {
  const event: PendingEvent = { timeUs: ctx.nowUs, name, attributes };
  ctx.store.write(
    `${STATE_FILES.EVENT_PREFIX}${String(ctx.nowUs).padStart(17, '0')}-${ctx.unique()}.json`,
    event,
  );
}

/** Pending events up to now, oldest first (at most `limit`); their files are removed. */
export function takePendingEvents(ctx: HookContext, limit = 256): PendingEvent[] {
  const events: PendingEvent[] = [];
  for (const name of ctx.store.list(STATE_FILES.EVENT_PREFIX)) {
    const event = ctx.store.read<PendingEvent>(name);
    if (event === undefined || event.timeUs > ctx.nowUs) continue;
    if (events.length < limit) events.push(event);
    ctx.store.remove(name);
  }
  return events.sort((a, b) => a.timeUs - b.timeUs);
}

/** Attributes without undefined values (optional input fields). */
export function defined(
  entries: Record<string, string | number | boolean | string[] | undefined>,
): SpanAttributes {
  const out: SpanAttributes = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}
