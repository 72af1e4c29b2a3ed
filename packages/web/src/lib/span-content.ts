/**
 * Reading what a span says beyond its typed columns: its attributes grouped the way people scan them,
 * captured prompts and answers in the several shapes emitters use, and what an evaluation judged.
 * Pure (no DOM); everything returned is plain text for React to render as text.
 */

export type Attributes = Record<string, unknown>;

export interface SpanEvent {
  name?: string;
  time?: number | string;
  timestamp_us?: number;
  attributes?: Attributes;
}

export interface SpanLink {
  trace_id?: string;
  span_id?: string;
  attributes?: Attributes;
}

/** The parts of a span this module reads. */
export interface ContentSpan {
  span_id: string;
  parent_span_id: string;
  trace_id?: string;
  attributes?: Attributes;
  events?: unknown[];
  links?: unknown[];
}

export interface AttributeGroup {
  id: string;
  title: string;
  entries: [string, unknown][];
}

const GROUPS: { id: string; title: string; test: (key: string) => boolean }[] = [
  { id: 'tool', title: 'Tool', test: (k) => k.startsWith('gen_ai.tool.') || k.startsWith('tool.') },
  { id: 'gen_ai', title: 'GenAI', test: (k) => k.startsWith('gen_ai.') },
  { id: 'cicd', title: 'CI/CD', test: (k) => k.startsWith('cicd.') },
  { id: 'vcs', title: 'Version control', test: (k) => k.startsWith('vcs.') },
  {
    id: 'resource',
    title: 'Resource',
    test: (k) =>
      /^(service|telemetry|deployment|host|os|process\.runtime|cloud|k8s|container|device)\./.test(k),
  },
  { id: 'other', title: 'Other', test: () => true },
];

/** Attributes in groups (gen_ai.*, tool, cicd.*, vcs.*, resource, other), keys sorted; empty groups left out. */
export function groupAttributes(attributes: Attributes | undefined | null): AttributeGroup[] {
  const groups = GROUPS.map((g) => ({ id: g.id, title: g.title, entries: [] as [string, unknown][] }));
  for (const key of Object.keys(attributes ?? {}).sort()) {
    const at = GROUPS.findIndex((g) => g.test(key));
    groups[at]?.entries.push([key, (attributes as Attributes)[key]]);
  }
  return groups.filter((g) => g.entries.length > 0);
}

/** An attribute value as text: strings as they are, everything else as JSON. */
export function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value, null, Array.isArray(value) && value.every(isScalar) ? undefined : 2);
  } catch {
    return String(value);
  }
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

export interface Message {
  role: string;
  text: string;
}

const INPUT_KEYS = ['gen_ai.input.messages', 'gen_ai.prompt', 'prompt', 'input.value', 'ai.prompt'];
const OUTPUT_KEYS = [
  'gen_ai.output.messages',
  'gen_ai.completion',
  'response',
  'output.value',
  'ai.response.text',
];
const INPUT_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.content.prompt': 'user',
  'claude_code.user_prompt': 'user',
  'codex.user_prompt': 'user',
  'gemini_cli.user_prompt': 'user',
};
const OUTPUT_EVENTS: Record<string, string> = {
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.choice': 'assistant',
  'gen_ai.content.completion': 'assistant',
  'claude_code.assistant_response': 'assistant',
};
const EVENT_TEXT_KEYS = [
  'content',
  'body',
  'message',
  'prompt',
  'response',
  'gen_ai.prompt',
  'gen_ai.completion',
  'text',
];

/**
 * The captured messages of a span, in or out: `gen_ai.input.messages` / `gen_ai.output.messages` (JSON
 * text or arrays, with `parts` or `content`), `gen_ai.prompt` / `gen_ai.completion` (text, JSON or the
 * indexed `gen_ai.prompt.0.content` form), assistant-native `prompt` / `response`, and message events
 * (`gen_ai.user.message`, `gen_ai.choice`, `claude_code.user_prompt`, `gen_ai.client.inference.operation.details`…).
 * Empty when nothing was captured.
 */
export function messagesOf(span: ContentSpan, direction: 'input' | 'output'): Message[] {
  const attributes = span.attributes ?? {};
  const fallbackRole = direction === 'input' ? 'user' : 'assistant';
  for (const key of direction === 'input' ? INPUT_KEYS : OUTPUT_KEYS) {
    if (attributes[key] !== undefined && attributes[key] !== null && attributes[key] !== '') {
      const messages = parseMessages(attributes[key], fallbackRole);
      if (messages.length > 0) return messages;
    }
  }
  const indexed = indexedMessages(
    attributes,
    direction === 'input' ? 'gen_ai.prompt.' : 'gen_ai.completion.',
  );
  if (indexed.length > 0) return indexed.map((m) => ({ role: m.role || fallbackRole, text: m.text }));
  const wanted = direction === 'input' ? INPUT_EVENTS : OUTPUT_EVENTS;
  const out: Message[] = [];
  for (const raw of span.events ?? []) {
    const event = raw as SpanEvent;
    const name = event.name ?? '';
    const attrs = event.attributes ?? {};
    if (name === 'gen_ai.client.inference.operation.details') {
      const key = direction === 'input' ? 'gen_ai.input.messages' : 'gen_ai.output.messages';
      if (attrs[key] !== undefined) out.push(...parseMessages(attrs[key], fallbackRole));
      continue;
    }
    const role = wanted[name];
    if (role === undefined) continue;
    for (const key of EVENT_TEXT_KEYS) {
      if (attrs[key] === undefined || attrs[key] === null || attrs[key] === '') continue;
      const parsed = parseMessages(attrs[key], typeof attrs.role === 'string' ? attrs.role : role);
      out.push(...parsed);
      break;
    }
  }
  return out;
}

function indexedMessages(attributes: Attributes, prefix: string): Message[] {
  const byIndex = new Map<number, Message>();
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d+)\.(role|content)$/.exec(key.slice(prefix.length));
    if (!match) continue;
    const index = Number(match[1]);
    const message = byIndex.get(index) ?? { role: '', text: '' };
    if (match[2] === 'role') message.role = String(value);
    else message.text = attributeText(value);
    byIndex.set(index, message);
  }
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, m]) => m)
    .filter((m) => m.text !== '');
}

/** Messages from one value: JSON text or a list of messages, a single message object, or plain text. */
export function parseMessages(value: unknown, fallbackRole: string): Message[] {
  let data = value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
      try {
        data = JSON.parse(trimmed);
      } catch {
        data = value;
      }
    }
  }
  if (typeof data === 'string') return data === '' ? [] : [{ role: fallbackRole, text: data }];
  const list = Array.isArray(data) ? data : [data];
  const out: Message[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      if (item !== '') out.push({ role: fallbackRole, text: item });
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    const inner = (record.message ?? record) as Record<string, unknown>;
    const role = typeof inner.role === 'string' ? inner.role : fallbackRole;
    const text = messageText(inner);
    if (text !== '') out.push({ role, text });
  }
  return out;
}

function messageText(message: Record<string, unknown>): string {
  if (Array.isArray(message.parts)) return partsText(message.parts);
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) return partsText(message.content);
  if (typeof message.text === 'string') return message.text;
  if (message.content !== undefined && message.content !== null) return attributeText(message.content);
  return '';
}

function partsText(parts: unknown[]): string {
  const lines: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      lines.push(part);
      continue;
    }
    if (part === null || typeof part !== 'object') continue;
    const p = part as Record<string, unknown>;
    const type = typeof p.type === 'string' ? p.type : 'text';
    if (typeof p.content === 'string' && (type === 'text' || type === 'reasoning')) lines.push(p.content);
    else if (typeof p.text === 'string') lines.push(p.text);
    else if (type === 'tool_call' || type === 'tool_use') {
      const args = p.arguments ?? p.input;
      lines.push(`→ ${String(p.name ?? 'tool')}(${args === undefined ? '' : attributeText(args)})`);
    } else if (type === 'tool_call_response' || type === 'tool_result') {
      const result = p.response ?? p.result ?? p.content;
      lines.push(`← ${result === undefined ? '' : attributeText(result)}`);
    } else if (p.content !== undefined) lines.push(attributeText(p.content));
  }
  return lines.join('\n');
}

/** Content keys the server dropped at ingest (`loopline.redacted`), to explain "not captured". */
export function redactedKeys(span: Pick<ContentSpan, 'attributes'>): string[] {
  const value = span.attributes?.['loopline.redacted'];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') return value.split(',').map((s) => s.trim());
  return [];
}

const TARGET_SPAN_KEYS = [
  'gen_ai.evaluation.target.span_id',
  'gen_ai.evaluation.span_id',
  'loopline.evaluation.target.span_id',
];
const TARGET_TRACE_KEYS = [
  'gen_ai.evaluation.target.trace_id',
  'gen_ai.evaluation.trace_id',
  'loopline.evaluation.target.trace_id',
];

/**
 * What an evaluation span judged: an explicit target attribute, else its first link, else its parent
 * (online judges run as a child of the work they judge). `traceId` is set when the target names one.
 */
export function evaluationTarget(span: ContentSpan): { spanId: string; traceId?: string } | null {
  const attributes = span.attributes ?? {};
  const spanKey = TARGET_SPAN_KEYS.find((k) => typeof attributes[k] === 'string' && attributes[k] !== '');
  if (spanKey) {
    const traceKey = TARGET_TRACE_KEYS.find((k) => typeof attributes[k] === 'string' && attributes[k] !== '');
    return {
      spanId: String(attributes[spanKey]).toLowerCase(),
      ...(traceKey ? { traceId: String(attributes[traceKey]).toLowerCase() } : {}),
    };
  }
  const link = (span.links ?? [])[0] as SpanLink | undefined;
  if (link?.span_id) {
    return { spanId: link.span_id, ...(link.trace_id ? { traceId: link.trace_id } : {}) };
  }
  return span.parent_span_id ? { spanId: span.parent_span_id } : null;
}

/** An event's time in µs (the API stores it as `time`; older shapes used `timestamp_us`). */
export function eventTimeUs(event: SpanEvent): number | null {
  const value = event.time ?? event.timestamp_us;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return asNumber;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms * 1000;
  }
  return null;
}

export type SpanKind = 'llm' | 'tool' | 'agent' | 'eval' | 'span';

/** What a span is, for its icon and colour: an LLM call, a tool call, an agent, an evaluation, or other. */
export function spanKind(span: {
  operation?: string | null;
  request_model?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
}): SpanKind {
  switch (span.operation) {
    case 'chat':
    case 'text_completion':
    case 'generate_content':
    case 'embeddings':
      return 'llm';
    case 'execute_tool':
      return 'tool';
    case 'invoke_agent':
    case 'create_agent':
      return 'agent';
    case 'evaluate':
      return 'eval';
  }
  if (span.request_model && (span.input_tokens != null || span.output_tokens != null)) return 'llm';
  return 'span';
}
