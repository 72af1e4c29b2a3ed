/**
 * One big, realistic agent trace as an OTLP/JSON request: an orchestrator `invoke_agent` runs worker
 * agents one after another; each worker loops `chat` → `execute_tool` calls, and some tool calls are
 * `Agent` tools that start nested sub-agents (down to three levels). A few tool calls and LLM calls fail.
 * The last span (in start order and in the waterfall's tree order) is a leaf: `execute_tool submit_report`.
 * Used by bench:ui and the browser tests (packages/web/test/trace.test.ts). Seeded: the same options give
 * the same trace.
 */

export interface BigTrace {
  traceId: string;
  /** the OTLP/JSON ExportTraceServiceRequest */
  request: object;
  spanCount: number;
  rootName: string;
  /** the name of the span the waterfall lists last */
  lastSpanName: string;
  errorSpanIds: string[];
}

interface GenSpan {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startUs: number;
  endUs: number;
  attributes: Record<string, string | number>;
  error?: { message: string; type: string };
}

const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'gpt-5', 'gpt-5-mini'];
const TOOLS = ['Read', 'Grep', 'Bash', 'Edit', 'run_query', 'search_docs', 'Glob', 'WebFetch'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function bigTrace(options: { spans?: number; seed?: number; endMs?: number } = {}): BigTrace {
  const total = Math.max(2, options.spans ?? 10_000);
  const rng = mulberry32(options.seed ?? 7);
  const hex = (length: number): string => {
    let out = '';
    while (out.length < length)
      out += Math.floor(rng() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  };
  const between = (lo: number, hi: number): number => Math.round(lo + rng() * (hi - lo));
  const traceId = hex(32);
  const conversationId = `bench-${hex(12)}`;
  const spans: GenSpan[] = [];
  let remaining = total;
  let workers = 0;
  let subAgents = 0;

  const add = (span: Omit<GenSpan, 'spanId'>): GenSpan => {
    const full = { ...span, spanId: hex(16) };
    spans.push(full);
    remaining--;
    return full;
  };

  /** an agent with at most `budget` spans (itself included), starting at `startUs`; returns its end */
  const runAgent = (
    parentId: string,
    name: string,
    startUs: number,
    budget: number,
    depth: number,
  ): number => {
    const agent = add({
      parentSpanId: parentId,
      name: `invoke_agent ${name}`,
      kind: 1,
      startUs,
      endUs: startUs,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': name,
        'gen_ai.conversation.id': conversationId,
      },
    });
    let used = 1;
    let t = startUs + between(200, 2_000);
    while (used < budget && remaining > 1) {
      const model = MODELS[Math.floor(rng() * MODELS.length)] as string;
      const input = between(2_000, 60_000);
      const chatFails = rng() < 0.004;
      const chat = add({
        parentSpanId: agent.spanId,
        name: `chat ${model}`,
        kind: 3,
        startUs: t,
        endUs: t + between(200_000, 2_500_000),
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': model.startsWith('gpt') ? 'openai' : 'anthropic',
          'gen_ai.request.model': model,
          'gen_ai.usage.input_tokens': input,
          'gen_ai.usage.output_tokens': chatFails ? 0 : between(20, 900),
          'gen_ai.usage.cache_read.input_tokens': Math.floor(input * 0.8),
          'gen_ai.conversation.id': conversationId,
        },
        ...(chatFails ? { error: { message: 'overloaded_error', type: 'overloaded_error' } } : {}),
      });
      used++;
      t = chat.endUs + between(1_000, 20_000);
      const calls = between(1, 3);
      for (let c = 0; c < calls && used < budget && remaining > 1; c++) {
        const room = Math.min(budget - used, remaining - 1);
        if (depth < 3 && room > 12 && rng() < 0.06) {
          const tool = add({
            parentSpanId: agent.spanId,
            name: 'execute_tool Agent',
            kind: 1,
            startUs: t,
            endUs: t,
            attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'Agent' },
          });
          used++;
          const subBudget = Math.min(room - 1, between(10, 80));
          const before = remaining;
          subAgents++;
          const end = runAgent(tool.spanId, `reviewer-${subAgents}`, t + 500, subBudget, depth + 1);
          used += before - remaining;
          tool.endUs = end + 300;
          t = tool.endUs + between(1_000, 10_000);
          continue;
        }
        const toolName = TOOLS[Math.floor(rng() * TOOLS.length)] as string;
        const fails = rng() < 0.012;
        const tool = add({
          parentSpanId: agent.spanId,
          name: `execute_tool ${toolName}`,
          kind: 1,
          startUs: t,
          endUs: t + between(3_000, 600_000),
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': toolName,
            'gen_ai.tool.call.id': `toolu_${hex(20)}`,
            'tool.args': JSON.stringify({ path: `src/module-${between(1, 400)}.ts` }),
          },
          ...(fails ? { error: { message: 'exit code 1', type: 'exit_code_1' } } : {}),
        });
        used++;
        t = tool.endUs + between(1_000, 20_000);
      }
    }
    agent.endUs = t + between(500, 3_000);
    return agent.endUs;
  };

  const rootName = 'invoke_agent orchestrator';
  const root = add({
    parentSpanId: '',
    name: rootName,
    kind: 2,
    startUs: 0,
    endUs: 0,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'orchestrator',
      'gen_ai.conversation.id': conversationId,
      'vcs.repository.name': 'acme/monorepo',
      'cicd.pipeline.name': 'nightly-refactor',
    },
  });
  let t = 1_000;
  while (remaining > 1) {
    workers++;
    t = runAgent(root.spanId, `worker-${workers}`, t, Math.min(remaining - 1, between(40, 250)), 1) + 2_000;
  }
  const last = add({
    parentSpanId: root.spanId,
    name: 'execute_tool submit_report',
    kind: 1,
    startUs: t,
    endUs: t + 150_000,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'submit_report' },
  });
  root.endUs = last.endUs + 1_000;

  const endUs = (options.endMs ?? Date.now() - 60_000) * 1000;
  const shift = endUs - root.endUs;
  const nanos = (us: number): string => (BigInt(Math.round(us + shift)) * 1000n).toString();
  const value = (v: string | number): object =>
    typeof v === 'number'
      ? Number.isInteger(v)
        ? { intValue: String(v) }
        : { doubleValue: v }
      : { stringValue: v };
  const otlpSpans = spans.map((span) => ({
    traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: nanos(span.startUs),
    endTimeUnixNano: nanos(span.endUs),
    attributes: Object.entries({
      ...span.attributes,
      ...(span.error ? { 'error.type': span.error.type } : {}),
    }).map(([key, v]) => ({ key, value: value(v) })),
    status: span.error ? { code: 2, message: span.error.message } : { code: 0 },
  }));
  return {
    traceId,
    request: {
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'big-agent' } },
              { key: 'service.version', value: { stringValue: '1.0.0' } },
            ],
          },
          scopeSpans: [{ scope: { name: 'loopline-bench', version: '1.0.0' }, spans: otlpSpans }],
        },
      ],
    },
    spanCount: spans.length,
    rootName,
    lastSpanName: last.name,
    errorSpanIds: spans.filter((s) => s.error).map((s) => s.spanId),
  };
}

/** POSTs an OTLP/JSON trace request to `url`/v1/traces; throws on a non-2xx answer or a partial success. */
export async function sendOtlpJson(url: string, request: object): Promise<void> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /v1/traces: ${response.status} ${text}`);
  const body = text ? (JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number } }) : {};
  if (Number(body.partialSuccess?.rejectedSpans ?? 0) > 0) throw new Error(`spans rejected: ${text}`);
}

/** Waits until GET /api/traces/:id counts `spans` spans (ingest stores asynchronously). */
export async function waitForTrace(
  url: string,
  traceId: string,
  spans: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/api/traces/${traceId}?view=waterfall`);
    if (response.ok) {
      seen = ((await response.json()) as { summary: { spanCount: number } }).summary.spanCount;
      if (seen >= spans) return;
    } else {
      await response.body?.cancel();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`trace ${traceId}: ${seen} of ${spans} spans stored after ${timeoutMs} ms`);
}
