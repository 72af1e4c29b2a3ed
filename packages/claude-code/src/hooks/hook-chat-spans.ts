import { GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import { parseTranscript } from '../parse-transcript.ts';
import type { SpanRecord } from '../span-record.ts';
import { transcriptToSpans } from '../transcript-spans.ts';
import type { HookContext } from './hook-context.ts';
import type { SessionState } from './hook-records.ts';
import { sessionAttributes } from './hook-session.ts';

/** Where chat spans hang: a turn span or a sub-agent span. */
export interface ChatParent {
  traceId: string;
  spanId: string;
}

export interface TranscriptChatOptions {
  captureContent: boolean;
  /** set when `text` is a sub-agent's own transcript file (`…/subagents/agent-<id>.jsonl`) */
  agentPath?: string;
}

/**
 * The `chat {model}` spans of a stretch of transcript (hooks never see Claude Code's own LLM calls), made
 * by the transcript importer's parser and span builder, so a live hook and a later import give the same
 * span ids and attributes.
 */
export function transcriptChatSpans(text: string, options: TranscriptChatOptions): SpanRecord[] {
  const session =
    options.agentPath === undefined
      ? parseTranscript(text)
      : parseTranscript('', { subagents: [{ text, path: options.agentPath }] });
  return transcriptToSpans(session, { captureContent: options.captureContent }).filter(
    (span) => span.attributes[GEN_AI_ATTRIBUTES.OPERATION_NAME] === 'chat',
  );
}

/** A span's start in integer microseconds. */
export function spanStartUs(span: SpanRecord): number {
  const nanos = span.startTimeUnixNano;
  return nanos.length > 3 ? Number(nanos.slice(0, -3)) : 0;
}

/** A chat span moved under the hook's turn or sub-agent span, with the session's attributes. */
export function adoptChatSpan(span: SpanRecord, session: SessionState, parent: ChatParent): SpanRecord {
  return {
    ...span,
    traceId: parent.traceId,
    parentSpanId: parent.spanId,
    attributes: { ...sessionAttributes(session), ...span.attributes },
  };
}

/** Environment variables as `process.env` holds them. */
export type EnvVars = Readonly<Record<string, string | undefined>>;

/** Forces the decision below: `1` / `true` (Loopline gets Claude Code's traces) or `0` / `false`. */
export const NATIVE_TRACES_ENV = 'LOOPLINE_CLAUDE_NATIVE_TRACES';

const DEFAULT_LOOPLINE_ENDPOINT = 'http://127.0.0.1:4318';
/** OTel's default OTLP endpoint (4318 for HTTP, 4317 for gRPC: the same receiver here). */
const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
const OTLP_PORTS: ReadonlySet<string> = new Set(['4317', '4318']);
const LOOPBACK: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * One source of model calls per session. True when Claude Code's own beta traces reach Loopline, so its
 * `claude_code.llm_request` spans are the model calls and the hook must not add transcript `chat` spans:
 * `CLAUDE_CODE_ENABLE_TELEMETRY` and `CLAUDE_CODE_ENHANCED_TELEMETRY_BETA` on, `OTEL_TRACES_EXPORTER`
 * lists `otlp`, and the traces endpoint (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, else OTel's default) is Loopline's (`looplineEndpoint`, else
 * `LOOPLINE_ENDPOINT`, else the default): same host, loopback names alike, and same port or the OTLP
 * pair 4317/4318. `LOOPLINE_CLAUDE_NATIVE_TRACES=1|0` overrides all of it.
 */
export function nativeTracesToLoopline(env: EnvVars, looplineEndpoint?: string): boolean {
  const forced = flag(env[NATIVE_TRACES_ENV]);
  if (forced !== undefined) return forced;
  if (flag(env.CLAUDE_CODE_ENABLE_TELEMETRY) !== true) return false;
  if (flag(env.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA) !== true) return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim().toLowerCase());
  if (!exporters.includes('otlp')) return false;
  const traces =
    nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ??
    nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ??
    DEFAULT_OTLP_ENDPOINT;
  const loopline = nonEmpty(looplineEndpoint) ?? nonEmpty(env.LOOPLINE_ENDPOINT) ?? DEFAULT_LOOPLINE_ENDPOINT;
  return sameReceiver(traces, loopline);
}

/** The context's decision, else the one the process environment gives. */
export function nativeTracesOn(ctx: HookContext): boolean {
  if (ctx.nativeTraces !== undefined) return ctx.nativeTraces;
  const env = (globalThis as { process?: { env?: EnvVars } }).process?.env;
  return env === undefined ? false : nativeTracesToLoopline(env);
}

function flag(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'no' || v === 'off') return false;
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

interface Receiver {
  host: string;
  port: string;
}

function receiverOf(endpoint: string): Receiver | null {
  try {
    const url = new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`);
    const host = url.hostname.toLowerCase();
    const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
    return { host: LOOPBACK.has(host) ? 'loopback' : host, port };
  } catch {
    return null;
  }
}

function sameReceiver(a: string, b: string): boolean {
  const x = receiverOf(a);
  const y = receiverOf(b);
  if (x === null || y === null || x.host !== y.host) return false;
  return x.port === y.port || (OTLP_PORTS.has(x.port) && OTLP_PORTS.has(y.port));
}
