import type { RawSpan } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { FAILURE_MODES, GROUNDEDNESS_LABELS, REVIEW_TYPES } from './dataset-catalogue.ts';
import { type CollectedSpan, collectDemo, countBy, percent } from './demo-test-fixture.ts';
import { TEAM } from './team.ts';

const demo = collectDemo({ spans: 200_000 });
const inDataset = (name: string): RawSpan[] =>
  demo.spans.filter((s) => s.dataset === name).map((s) => s.span);
const roots = (name: string): RawSpan[] => inDataset(name).filter((span) => span.parentSpanId === '');
const byId = new Map(demo.spans.map((s) => [s.span.spanId, s] as const));
const minutes = (span: RawSpan): number => (span.endUs - span.startUs) / 60_000_000;

describe('create & modify: the IDE assistants', () => {
  it('writes one trace per prompt turn, joined into sessions by gen_ai.conversation.id', () => {
    const turns = roots('claude-code');
    expect(turns.every((span) => span.name === 'invoke_agent claude-code')).toBe(true);
    const sessions = countBy(turns, (span) => String(span.attributes['gen_ai.conversation.id']));
    expect(turns.length / sessions.size).toBeGreaterThan(3);
    expect(roots('codex-cli').length).toBeLessThan(turns.length);
  });

  it('loads CLAUDE.md in most sessions but the coding standards only in a minority', () => {
    const sessions = new Map(
      roots('claude-code').map((span) => [span.attributes['gen_ai.conversation.id'], span] as const),
    );
    const loaded = (file: string): number =>
      percent(
        [...sessions.values()].filter((span) =>
          (span.attributes['claude_code.instructions.files'] as string[]).includes(file),
        ).length,
        sessions.size,
      );
    expect(loaded('CLAUDE.md')).toBeGreaterThan(75);
    expect(loaded('docs/CODING_STANDARDS.md')).toBeLessThan(40);
    expect(
      roots('claude-code').some((span) =>
        span.events.some((e) => e.name === 'claude_code.instructions_loaded'),
      ),
    ).toBe(true);
  });

  it('nests sub-agents under an execute_tool Agent span', () => {
    const subAgents = inDataset('claude-code').filter(
      (span) => span.name.startsWith('invoke_agent') && span.parentSpanId !== '',
    );
    expect(subAgents.length).toBeGreaterThan(50);
    expect(subAgents.every((span) => byId.get(span.parentSpanId)?.span.name === 'execute_tool Agent')).toBe(
      true,
    );
  });

  it('attributes sessions to a team of twelve and commits to revisions', () => {
    const claude = demo.spans.filter((s) => s.dataset === 'claude-code');
    const users = new Set(claude.map((s) => s.resource['user.id']));
    expect([...users].sort()).toEqual(TEAM.map((e) => e.id).sort());
    expect(claude.every((s) => s.resource['user.email'] === `${s.resource['user.id']}@example.com`)).toBe(
      true,
    );
    expect(
      inDataset('claude-code').some((span) => typeof span.attributes['vcs.ref.head.revision'] === 'string'),
    ).toBe(true);
  });

  it('fails some tool calls with an error.type, including pre-tool-use policy denials', () => {
    const tools = inDataset('claude-code').filter(
      (span) => span.attributes['gen_ai.operation.name'] === 'execute_tool',
    );
    const failed = tools.filter((span) => span.statusCode === 2);
    expect(percent(failed.length, tools.length)).toBeGreaterThan(1);
    expect(failed.some((span) => span.attributes['error.type'] === 'policy_denied')).toBe(true);
  });
});

describe('handoff: coding agent, PR review, fix-the-build', () => {
  it('tags every coding-agent run with its ticket, the human who started it and an exit code', () => {
    const runs = roots('coding-agent');
    const people = new Set(TEAM.map((e) => e.id));
    expect(runs.every((span) => /^ENG-\d+$/.test(String(span.attributes['loopline.ticket.id'])))).toBe(true);
    expect(runs.every((span) => people.has(String(span.attributes['user.id'])))).toBe(true);
    expect(runs.every((span) => typeof span.attributes['process.exit.code'] === 'number')).toBe(true);
  });

  it('has the 28-minute run with a 10-minute dependency install', () => {
    const long = roots('coding-agent').find((span) => Math.abs(minutes(span) - 28) < 0.5);
    expect(long).toBeDefined();
    const install = inDataset('coding-agent').find(
      (span) => span.parentSpanId === long!.spanId && span.name === 'install dependencies',
    );
    expect(minutes(install!)).toBeCloseTo(10, 1);
  });

  it('records egress attempts through the fence, some denied', () => {
    const egress = inDataset('coding-agent').filter((span) => span.name === 'http.request');
    const denied = egress.filter((span) => span.attributes['loopline.egress.decision'] === 'deny');
    expect(egress.every((span) => typeof span.attributes['server.address'] === 'string')).toBe(true);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((span) => span.statusCode === 2)).toBe(true);
  });

  it('reviews PRs of every type, each with its PR number', () => {
    const reviews = roots('pr-review');
    const types = countBy(reviews, (span) => String(span.attributes['loopline.review.type']));
    expect([...types.keys()].sort()).toEqual(REVIEW_TYPES.map((r) => r.type).sort());
    expect(reviews.every((span) => /^\d+$/.test(String(span.attributes['vcs.change.id'])))).toBe(true);
  });

  it('repairs main, reverting some of the time', () => {
    const outcomes = countBy(roots('fix-the-build'), (span) =>
      String(span.attributes['loopline.fix.outcome']),
    );
    expect([...outcomes.keys()].sort()).toEqual(['fixed', 'gave_up', 'reverted']);
  });
});

describe('build & test: CI', () => {
  it('writes pipeline runs and tasks by the cicd conventions', () => {
    const runs = roots('ci');
    expect(
      runs.every(
        (span) =>
          span.kind === 2 &&
          span.name ===
            `${span.attributes['cicd.pipeline.action.name']} ${span.attributes['cicd.pipeline.name']}`,
      ),
    ).toBe(true);
    const tasks = inDataset('ci').filter(
      (span) => span.parentSpanId !== '' && span.attributes['cicd.pipeline.task.name'] !== undefined,
    );
    expect(
      tasks.every(
        (span) => span.kind === 1 && typeof span.attributes['cicd.pipeline.task.run.result'] === 'string',
      ),
    ).toBe(true);
    expect(new Set(runs.map((span) => span.attributes['cicd.pipeline.result']))).toEqual(
      new Set(['success', 'failure', 'cancellation']),
    );
  });

  it('puts LLM jobs beside compile jobs in the same trace', () => {
    const traces = new Map<string, Set<string>>();
    for (const span of inDataset('ci')) {
      const kinds = traces.get(span.traceId) ?? new Set<string>();
      if (span.name === 'compile') kinds.add('compile');
      if (span.attributes['gen_ai.operation.name'] === 'chat') kinds.add('chat');
      traces.set(span.traceId, kinds);
    }
    expect([...traces.values()].filter((kinds) => kinds.size === 2).length).toBeGreaterThan(100);
  });
});

describe('operate & evaluate: the investigator and its judge', () => {
  it('spreads conversations over several traces, a few of them about two hours long', () => {
    const conversations = new Map<string, RawSpan[]>();
    for (const span of roots('investigator')) {
      const id = String(span.attributes['gen_ai.conversation.id']);
      conversations.set(id, [...(conversations.get(id) ?? []), span]);
    }
    const multi = [...conversations.values()].filter((traces) => traces.length > 1);
    expect(percent(multi.length, conversations.size)).toBeGreaterThan(40);
    const lengths = multi.map(
      (traces) =>
        (Math.max(...traces.map((s) => s.endUs)) - Math.min(...traces.map((s) => s.startUs))) / 3.6e9,
    );
    expect(lengths.some((hours) => hours > 1.5)).toBe(true);
  });

  it('calls run_query more than any other tool, and runs hypothesis sub-agents', () => {
    const tools = countBy(
      inDataset('investigator').filter((s) => s.attributes['gen_ai.tool.name'] !== undefined),
      (s) => String(s.attributes['gen_ai.tool.name']),
    );
    const [top] = [...tools].sort((a, b) => b[1] - a[1]);
    expect(top?.[0]).toBe('run_query');
    expect(
      inDataset('investigator').some((span) => span.name === 'invoke_agent hypothesis-investigator'),
    ).toBe(true);
  });

  it('scores groundedness with the article’s label shares', () => {
    const evaluations = inDataset('evaluator').filter((span) => span.name === 'evaluate groundedness');
    const labels = countBy(evaluations, (span) => String(span.attributes['gen_ai.evaluation.score.label']));
    for (const { label, share } of GROUNDEDNESS_LABELS) {
      expect(Math.abs(percent(labels.get(label) ?? 0, evaluations.length) - share * 100)).toBeLessThan(3);
    }
  });

  it('places each evaluation in the trace it judges, with its verdict, tags and judge', () => {
    const evaluations = demo.spans.filter((s) => s.span.name === 'evaluate groundedness');
    const misplaced = evaluations.filter(
      ({ span }) => !judgesItsInvestigation(span, byId.get(span.parentSpanId)),
    );
    expect(misplaced).toEqual([]);
    const weak = evaluations.filter(({ span }) =>
      ['weakly grounded', 'ungrounded'].includes(String(span.attributes['gen_ai.evaluation.score.label'])),
    );
    const modes = weak.flatMap(
      ({ span }) => span.attributes['loopline.evaluation.failure_modes'] as string[],
    );
    expect(new Set(modes)).toEqual(new Set(FAILURE_MODES));
    const judged = new Set(
      inDataset('evaluator')
        .filter((s) => s.name.startsWith('chat '))
        .map((s) => s.parentSpanId),
    );
    expect(evaluations.every(({ span }) => judged.has(span.spanId))).toBe(true);
  });
});

function judgesItsInvestigation(span: RawSpan, parent: CollectedSpan | undefined): boolean {
  const score = Number(span.attributes['gen_ai.evaluation.score.value']);
  const event = span.events.find((e) => e.name === 'gen_ai.evaluation.result');
  return (
    parent?.dataset === 'investigator' &&
    parent.span.name === 'invoke_agent investigator' &&
    parent.span.traceId === span.traceId &&
    parent.span.attributes['gen_ai.conversation.id'] === span.attributes['gen_ai.conversation.id'] &&
    span.attributes['gen_ai.operation.name'] === 'evaluate' &&
    score >= 0 &&
    score <= 1 &&
    event?.attributes['gen_ai.evaluation.score.label'] === span.attributes['gen_ai.evaluation.score.label']
  );
}
