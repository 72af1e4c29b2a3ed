import { bundledPriceTable, normalizeSpans, type RawSpan, type SpanRow } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { CI_PIPELINES } from './ci-pipeline-catalogue.ts';
import { generateDemo } from './demo-generator.ts';
import { type CollectedSpan, collectDemo, TEST_END_MS } from './demo-test-fixture.ts';
import { TEAM } from './team.ts';

/**
 * Who and what every span is for, where the query language can see it: a span is read alone (there are
 * no joins), so the job, the agent and the person have to be on the LLM spans themselves, the way real
 * emitters put them there.
 */
const OPTIONS = { spans: 50_000 };
const demo = collectDemo(OPTIONS);
const byId = new Map(demo.spans.map((s) => [s.span.spanId, s] as const));

/** Datasets whose runs are CI jobs, exporting with the runner's resource. */
const CI_JOB_DATASETS = ['ci', 'pr-review', 'fix-the-build'];
/** Datasets whose LLM calls are made inside `invoke_agent` runs. */
const AGENT_DATASETS = [
  'claude-code',
  'codex-cli',
  'coding-agent',
  'pr-review',
  'fix-the-build',
  'investigator',
];
/** Datasets whose runs a person drives (an IDE session) or starts (a ticket handed to the coding agent). */
const PERSON_DATASETS = ['claude-code', 'codex-cli', 'coding-agent'];

const isChat = (span: RawSpan): boolean => span.attributes['gen_ai.operation.name'] === 'chat';
const isTool = (span: RawSpan): boolean => span.attributes['gen_ai.operation.name'] === 'execute_tool';
/** An attribute as ingest reads it: the span's own, else the resource's. */
const read = (s: CollectedSpan, key: string): unknown => s.span.attributes[key] ?? s.resource[key];

function nearestAgent(s: CollectedSpan): RawSpan | undefined {
  for (let p = byId.get(s.span.parentSpanId); p !== undefined; p = byId.get(p.span.parentSpanId)) {
    if (p.dataset !== s.dataset) return undefined;
    if (p.span.attributes['gen_ai.operation.name'] === 'invoke_agent') return p.span;
  }
  return undefined;
}

/** The demo as ingest stores it: every batch through the normaliser. */
function normalizedRows(): SpanRow[] {
  const rows: SpanRow[] = [];
  const options = { prices: bundledPriceTable(), captureContent: false };
  for (const batch of generateDemo({ endTimeMs: TEST_END_MS, ...OPTIONS })) {
    const result = normalizeSpans(batch.resourceSpans, options);
    expect(result.rejected).toBe(0);
    rows.push(...result.rows);
  }
  return rows;
}

/** Input + output tokens of chat rows by a key, largest first. */
function burnBy(rows: readonly SpanRow[], key: (row: SpanRow) => string | null): [string | null, number][] {
  const burn = new Map<string | null, number>();
  for (const row of rows) {
    const k = key(row);
    burn.set(k, (burn.get(k) ?? 0) + (row.input_tokens ?? 0) + (row.output_tokens ?? 0));
  }
  return [...burn].sort((a, b) => b[1] - a[1]);
}

describe('attribution on every span', () => {
  it("exports every span of a CI job with the job's cicd.* and vcs.* resource, kept on the spans that had them", () => {
    const spans = demo.spans.filter((s) => CI_JOB_DATASETS.includes(s.dataset));
    const pipelineRoots = new Set(spans.filter((s) => s.dataset === 'ci' && s.span.parentSpanId === ''));
    expect(pipelineRoots.size).toBeGreaterThan(100);
    const runKeys = [
      'cicd.pipeline.name',
      'cicd.pipeline.run.id',
      'vcs.repository.name',
      'vcs.ref.head.name',
    ];
    const jobKeys = ['cicd.pipeline.task.name', 'cicd.pipeline.task.run.id'];
    const missing = spans.filter(({ resource }) => runKeys.some((k) => typeof resource[k] !== 'string'));
    const jobless = spans.filter(
      (s) => !pipelineRoots.has(s) && jobKeys.some((k) => typeof s.resource[k] !== 'string'),
    );
    const disagreeing = spans.filter(({ span, resource }) =>
      [...runKeys, ...jobKeys].some((k) => k in span.attributes && span.attributes[k] !== resource[k]),
    );
    expect(missing.map((s) => s.span.name)).toEqual([]);
    expect(jobless.map((s) => s.span.name)).toEqual([]);
    expect(disagreeing.map((s) => s.span.name)).toEqual([]);
    const runs = new Map<string, Set<unknown>>();
    for (const { span, resource } of spans) {
      runs.set(span.traceId, (runs.get(span.traceId) ?? new Set()).add(resource['cicd.pipeline.run.id']));
    }
    expect([...runs.values()].filter((ids) => ids.size !== 1)).toEqual([]);
  });

  it('gives every chat of a CI job its pipeline and task, and no person (an automated call)', () => {
    const chats = demo.spans.filter((s) => CI_JOB_DATASETS.includes(s.dataset) && isChat(s.span));
    expect(chats.length).toBeGreaterThan(1000);
    const unplaced = chats.filter(
      (s) =>
        typeof read(s, 'cicd.pipeline.name') !== 'string' ||
        typeof read(s, 'cicd.pipeline.task.name') !== 'string',
    );
    expect(unplaced.map((s) => s.span.name)).toEqual([]);
    expect(chats.filter((s) => read(s, 'user.id') !== undefined)).toEqual([]);
  });

  it('names the agent, as its own run span does, on every chat and tool call it makes', () => {
    const calls = demo.spans.filter(
      (s) => AGENT_DATASETS.includes(s.dataset) && (isChat(s.span) || isTool(s.span)),
    );
    const datasets = new Set(calls.filter((s) => isChat(s.span)).map((s) => s.dataset));
    expect([...datasets].sort()).toEqual([...AGENT_DATASETS].sort());
    const misnamed = calls.filter((s) => {
      const agent = nearestAgent(s);
      return (
        typeof s.span.attributes['gen_ai.agent.name'] !== 'string' ||
        agent?.attributes['gen_ai.agent.name'] !== s.span.attributes['gen_ai.agent.name'] ||
        agent?.attributes['gen_ai.agent.id'] !== s.span.attributes['gen_ai.agent.id']
      );
    });
    expect(misnamed.map((s) => `${s.dataset}: ${s.span.name}`)).toEqual([]);
    const subAgentChats = calls.filter(
      (s) => isChat(s.span) && s.span.attributes['gen_ai.agent.name'] === 'hypothesis-investigator',
    );
    expect(subAgentChats.length).toBeGreaterThan(0);
  });

  it('puts the person on every span of a session they drive or a run they start', () => {
    const people = new Set<unknown>(TEAM.map((e) => e.id));
    const spans = demo.spans.filter((s) => PERSON_DATASETS.includes(s.dataset));
    expect(spans.filter((s) => !people.has(read(s, 'user.id'))).map((s) => s.span.name)).toEqual([]);
    const roots = new Map(
      spans.filter((s) => s.span.parentSpanId === '').map((s) => [s.span.traceId, s] as const),
    );
    const strangers = spans.filter(
      (s) =>
        s.dataset === 'coding-agent' && read(s, 'user.id') !== read(roots.get(s.span.traceId)!, 'user.id'),
    );
    expect(strangers).toEqual([]);
  });

  it('ranks token burn by real CI jobs when the query breaks chat spans down by task', () => {
    const chats = normalizedRows().filter((row) => row.operation === 'chat');
    const llmTasks = CI_PIPELINES.flatMap((p) =>
      p.tasks.filter((t) => t.llm !== undefined).map((t) => t.name),
    );
    const jobs = new Set<string | null>([...llmTasks, 'review', 'fix-the-build']);
    const byTask = burnBy(
      chats.filter((row) => CI_JOB_DATASETS.includes(row.dataset)),
      (row) => row.cicd_task_name,
    );
    expect(byTask.length).toBeGreaterThan(3);
    expect(byTask.filter(([task]) => !jobs.has(task))).toEqual([]);
    // the home page's jobs leaderboard: automated calls (no user.id) by station, agent, pipeline and task
    const automated = chats.filter((row) => row.user_id === null);
    const leaderboard = burnBy(automated, (row) =>
      [row.dataset, row.agent_name, row.cicd_pipeline_name, row.cicd_task_name].join(' / '),
    );
    const ciRows = leaderboard.filter(([key]) => CI_JOB_DATASETS.some((d) => key!.startsWith(`${d} / `)));
    expect(ciRows.length).toBeGreaterThan(3);
    expect(ciRows.filter(([key]) => !jobs.has(key!.split(' / ')[3]!))).toEqual([]);
    const taskless = new Set(
      automated.filter((row) => row.cicd_task_name === null).map((row) => row.dataset),
    );
    expect([...taskless].sort()).toEqual(['evaluator', 'investigator']);
    const agentless = chats.filter((row) => AGENT_DATASETS.includes(row.dataset) && row.agent_name === null);
    const personless = chats.filter((row) => PERSON_DATASETS.includes(row.dataset) && row.user_id === null);
    expect(agentless.length + personless.length).toBe(0);
  });
});
