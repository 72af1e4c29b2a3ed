import { type ReactNode, useMemo, useState } from 'react';
import { Messages } from '../components/span-detail.tsx';
import { ErrorMark, SpanIcon } from '../components/span-icon.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { evalName, evalText } from '../components/waterfall.tsx';
import { api, type ConversationResponse, type Span, type TraceSummary } from '../lib/api.ts';
import { formatCount, formatInteger, formatMs, formatTime, formatUsd } from '../lib/format.ts';
import { formatKnownCost, knownCostOf, unpricedTitle } from '../lib/known-cost.ts';
import { href, Link, useTitle } from '../lib/router.tsx';
import { evaluationTarget, type Message, messagesOf, redactedKeys, spanKind } from '../lib/span-content.ts';
import { buildSpanTree, type SpanTree } from '../lib/span-tree.ts';
import { useAsync } from '../lib/use-async.ts';
import './trace.css';

const TURNS_PAGE = 40;
const STEPS_PAGE = 30;

/** Every trace of one conversation (`gen_ai.conversation.id`) as a turn, in time order. */
export function ConversationPage(props: { conversationId: string }): ReactNode {
  const { conversationId } = props;
  useTitle(`Conversation ${conversationId.slice(0, 8)}`);
  const state = useAsync((signal) => api.conversation(conversationId, { signal }), conversationId);
  return (
    <div className="conversation-page" data-testid="conversation-page">
      <Link to="/conversations" className="conv-back" testId="back-to-timeline">
        ← Agent timeline
      </Link>
      {state.status === 'loading' ? <Loading what="the conversation" /> : null}
      {state.status === 'error' ? (
        <ErrorState
          error={state.error}
          onRetry={state.reload}
          hint={
            state.error.code === 'NOT_FOUND' ? (
              <>
                No stored span carries <code>gen_ai.conversation.id</code> = <code>{conversationId}</code>.
                Pick a conversation from the <Link to="/conversations">agent timeline</Link>.
              </>
            ) : null
          }
        />
      ) : null}
      {state.status === 'ready' ? <ConversationView data={state.data} /> : null}
    </div>
  );
}

interface Turn {
  traceId: string;
  summary: TraceSummary | null;
  startUs: number;
  tree: SpanTree<Span>;
}

interface Evaluation {
  span: Span;
  judge: Span[];
}

function ConversationView(props: { data: ConversationResponse }): ReactNode {
  const { data } = props;
  const { totals } = data;
  const model = useMemo(() => buildModel(data), [data]);
  const [shown, setShown] = useState(TURNS_PAGE);
  return (
    <>
      <div className="page-header">
        <h1>Conversation</h1>
        <span className="sub mono" data-testid="conversation-id">
          {data.conversationId}
        </span>
        <span className="sub">started {formatTime(totals.start)} UTC</span>
        {model.datasets.map((d) => (
          <span key={d} className="badge">
            {d}
          </span>
        ))}
        {model.agents.length > 0 ? <span className="sub">agents: {model.agents.join(', ')}</span> : null}
        {model.users.length > 0 ? <span className="sub">by {model.users.join(', ')}</span> : null}
      </div>
      <div className="stats conv-stats" data-testid="conversation-totals">
        <Total label="Cost" id="cost" value={formatKnownCost(totals)} title={unpricedTitle(totals)} />
        <Total label="Input tokens" id="input-tokens" value={formatInteger(totals.inputTokens)} />
        <Total label="Output tokens" id="output-tokens" value={formatInteger(totals.outputTokens)} />
        <Total
          label="Cache read tokens"
          id="cache-read-tokens"
          value={formatInteger(totals.cacheReadTokens)}
        />
        <Total label="Duration" id="duration" value={formatMs(totals.durationMs)} />
        <Total label="LLM calls" id="llm-calls" value={formatInteger(totals.llmCalls)} />
        <Total label="Tool calls" id="tool-calls" value={formatInteger(totals.toolCalls)} />
        <Total label="Traces" id="traces" value={formatInteger(totals.traces)} />
        <Total label="Spans" id="spans" value={formatInteger(totals.spans)} />
      </div>
      {data.truncated ? (
        <div className="state trace-truncated" role="status" data-testid="conversation-truncated">
          <strong>This conversation is larger than one page can hold</strong>
          Only its first {formatInteger(data.spans.length)} spans by start time are shown.
        </div>
      ) : null}
      <ol className="turns" aria-label="Turns" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {model.turns.slice(0, shown).map((turn, i) => (
          <TurnView
            key={turn.traceId}
            turn={turn}
            number={i + 1}
            evaluations={model.evaluations}
            placed={model.placed}
          />
        ))}
      </ol>
      {model.turns.length > shown ? (
        <button type="button" className="steps-more" onClick={() => setShown((n) => n + TURNS_PAGE)}>
          Show {formatInteger(Math.min(TURNS_PAGE, model.turns.length - shown))} more turns (of{' '}
          {formatInteger(model.turns.length)})
        </button>
      ) : null}
    </>
  );
}

function Total(props: { label: string; id: string; value: string; title?: string | undefined }): ReactNode {
  return (
    <div className="stat" title={props.title}>
      <div className="label">{props.label}</div>
      <div className="value" data-testid={`conv-total-${props.id}`}>
        {props.value}
      </div>
    </div>
  );
}

interface Model {
  turns: Turn[];
  /** evaluation spans by the span id they judged */
  evaluations: Map<string, Evaluation[]>;
  /** evaluation spans placed next to their target (left out where they happen to sit) */
  placed: Set<Span>;
  datasets: string[];
  agents: string[];
  users: string[];
}

function buildModel(data: ConversationResponse): Model {
  const byTrace = new Map<string, Span[]>();
  const spanIds = new Set<string>();
  const agents = new Set<string>();
  const users = new Set<string>();
  for (const span of data.spans) {
    const list = byTrace.get(span.trace_id) ?? [];
    list.push(span);
    byTrace.set(span.trace_id, list);
    spanIds.add(span.span_id);
    if (span.agent_name) agents.add(span.agent_name);
    if (typeof span.user_id === 'string' && span.user_id) users.add(span.user_id);
  }
  const summaries = new Map(data.traces.map((t) => [t.traceId, t]));
  const turns: Turn[] = [...byTrace.entries()].map(([traceId, spans]) => {
    const tree = buildSpanTree(spans);
    const summary = summaries.get(traceId) ?? null;
    const startUs = summary ? Date.parse(summary.start) * 1000 : tree.startUs;
    return { traceId, summary, startUs: Number.isNaN(startUs) ? tree.startUs : startUs, tree };
  });
  turns.sort((a, b) => a.startUs - b.startUs || a.tree.startUs - b.tree.startUs);

  const evaluations = new Map<string, Evaluation[]>();
  const placed = new Set<Span>();
  for (const turn of turns) {
    const { tree } = turn;
    tree.spans.forEach((span, index) => {
      if (spanKind(span) !== 'eval') return;
      const target = evaluationTarget(span);
      if (!target || !spanIds.has(target.spanId)) return;
      const judge: Span[] = [];
      const stack = [...(tree.children[index] ?? [])];
      while (stack.length > 0) {
        const k = stack.pop() as number;
        judge.push(tree.spans[k] as Span);
        stack.push(...(tree.children[k] ?? []));
      }
      const list = evaluations.get(target.spanId) ?? [];
      list.push({ span, judge });
      evaluations.set(target.spanId, list);
      placed.add(span);
    });
  }
  const datasets = [...new Set(data.traces.flatMap((t) => t.datasets))].filter(Boolean).sort();
  return { turns, evaluations, placed, datasets, agents: [...agents].sort(), users: [...users].sort() };
}

function TurnView(props: {
  turn: Turn;
  number: number;
  evaluations: Map<string, Evaluation[]>;
  placed: Set<Span>;
}): ReactNode {
  const { turn, evaluations, placed } = props;
  const { tree, summary } = turn;
  const [limit, setLimit] = useState(STEPS_PAGE);
  const rootIndex = tree.roots[0];
  const root = rootIndex === undefined ? undefined : tree.spans[rootIndex];
  const steps = useMemo(() => stepsOf(tree, placed), [tree, placed]);
  const chats = tree.spans.filter((s) => spanKind(s) === 'llm' && !isJudge(tree, s, placed));
  const tools = tree.spans.filter((s) => spanKind(s) === 'tool');
  const prompt = root ? promptOf(root, chats) : [];
  const answer = root ? answerOf(root, chats) : [];
  const redacted = [...new Set(tree.spans.flatMap((s) => redactedKeys(s)))];
  const rootEvals = root ? (evaluations.get(root.span_id) ?? []) : [];
  const errors = summary?.errorCount ?? tree.spans.filter((s) => s.is_error === true).length;
  return (
    <li
      className="panel turn"
      data-testid="turn"
      data-trace-id={turn.traceId}
      data-start={new Date(turn.startUs / 1000).toISOString()}
    >
      <div className="turn-head">
        <span className="turn-no">#{props.number}</span>
        <span className="muted">{formatTime(turn.startUs / 1000)}</span>
        <span className="turn-name">{summary?.rootName ?? root?.name ?? '(no root span)'}</span>
        {(summary?.datasets ?? []).map((d) => (
          <span key={d} className="badge">
            {d}
          </span>
        ))}
        <span className="turn-figures">
          <span title="duration">{formatMs(summary?.durationMs ?? (tree.endUs - tree.startUs) / 1000)}</span>
          <span>
            {formatInteger(chats.length)} LLM · {formatInteger(tools.length)} tool
            {tools.length === 1 ? '' : 's'}
          </span>
          {summary ? (
            <span title="input / output tokens">
              {formatCount(summary.inputTokens)} / {formatCount(summary.outputTokens)} tok
            </span>
          ) : null}
          {summary ? (
            <span data-testid="turn-cost" title={unpricedTitle(summary)}>
              {formatKnownCost(summary)}
            </span>
          ) : null}
          {errors > 0 ? (
            <span className="error-text">
              {formatInteger(errors)} error{errors === 1 ? '' : 's'}
            </span>
          ) : null}
        </span>
        <Link to={`/traces/${turn.traceId}`} className="turn-open" testId="turn-trace-link">
          Open trace →
        </Link>
      </div>
      <div className="turn-body">
        {prompt.length === 0 && answer.length === 0 ? (
          <NotCaptured what="Prompt and answer" redacted={redacted} />
        ) : (
          <Content label="Prompt" messages={prompt} redacted={redacted} testId="turn-prompt" />
        )}
        <ol className="steps" aria-label="Steps">
          {steps.slice(0, limit).map((step) => (
            <StepView
              key={step.index}
              step={step}
              tree={tree}
              traceId={turn.traceId}
              evaluations={evaluations.get((tree.spans[step.index] as Span).span_id)}
            />
          ))}
        </ol>
        {steps.length > limit ? (
          <button type="button" className="steps-more" onClick={() => setLimit(steps.length)}>
            Show all {formatInteger(steps.length)} steps
          </button>
        ) : null}
        {prompt.length > 0 || answer.length > 0 ? (
          <Content label="Answer" messages={answer} redacted={redacted} testId="turn-answer" />
        ) : null}
        {rootEvals.map((e) => (
          <EvalCard key={e.span.span_id} evaluation={e} />
        ))}
      </div>
    </li>
  );
}

function Content(props: {
  label: string;
  messages: Message[];
  redacted: string[];
  testId: string;
}): ReactNode {
  return (
    <div className="turn-content" data-testid={props.testId}>
      {props.messages.length > 0 ? (
        <Messages messages={props.messages} />
      ) : (
        <NotCaptured what={props.label} redacted={props.redacted} />
      )}
    </div>
  );
}

function NotCaptured(props: { what: string; redacted: string[] }): ReactNode {
  return (
    <div className="not-captured" data-testid="content-not-captured">
      {props.what}: content not captured
      {props.redacted.length > 0
        ? ` (${props.redacted.join(', ')} dropped at ingest; \`loopline serve --capture-content\` keeps it)`
        : ''}
    </div>
  );
}

/** The user's words: captured on the root (agent) span, else the last user message the first LLM call got. */
function promptOf(root: Span, chats: Span[]): Message[] {
  const own = messagesOf(root as never, 'input');
  if (own.length > 0) return own.filter((m) => m.role !== 'system');
  const first = chats[0];
  if (!first) return [];
  const input = messagesOf(first as never, 'input').filter((m) => m.role === 'user');
  return input.length > 0 ? [input[input.length - 1] as Message] : [];
}

/** The reply: captured on the root span, else what the last LLM call answered. */
function answerOf(root: Span, chats: Span[]): Message[] {
  const own = messagesOf(root as never, 'output');
  if (own.length > 0) return own;
  const last = chats[chats.length - 1];
  return last ? messagesOf(last as never, 'output') : [];
}

interface Step {
  index: number;
  depth: number;
}

/** The turn's spans below its root in tree order, evaluations and their judges left out (they sit by their target). */
function stepsOf(tree: SpanTree<Span>, placed: Set<Span>): Step[] {
  const out: Step[] = [];
  const stack: Step[] = [];
  const [first, ...others] = tree.roots;
  for (let r = others.length - 1; r >= 0; r--) stack.push({ index: others[r] as number, depth: 0 });
  if (first !== undefined) {
    const kids = tree.children[first] ?? [];
    for (let k = kids.length - 1; k >= 0; k--) stack.push({ index: kids[k] as number, depth: 0 });
  }
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if (placed.has(tree.spans[step.index] as Span)) continue;
    out.push(step);
    const kids = tree.children[step.index] ?? [];
    for (let k = kids.length - 1; k >= 0; k--)
      stack.push({ index: kids[k] as number, depth: step.depth + 1 });
  }
  return out;
}

/** An LLM call made by a judge placed next to its target (counted with the evaluation, not the turn). */
function isJudge(tree: SpanTree<Span>, span: Span, placed: Set<Span>): boolean {
  let p = tree.parent[tree.byId.get(span.span_id) ?? -1] ?? -1;
  while (p >= 0) {
    if (placed.has(tree.spans[p] as Span)) return true;
    p = tree.parent[p] ?? -1;
  }
  return false;
}

function StepView(props: {
  step: Step;
  tree: SpanTree<Span>;
  traceId: string;
  evaluations: Evaluation[] | undefined;
}): ReactNode {
  const { step, tree, traceId } = props;
  const span = tree.spans[step.index] as Span;
  const kind = spanKind(span);
  const error = span.is_error === true || span.status_code === 'error';
  return (
    <>
      <li
        className={error ? 'step error' : 'step'}
        style={{ paddingLeft: step.depth * 20 }}
        data-testid="step"
        data-kind={kind}
        data-span-id={span.span_id}
      >
        <SpanIcon kind={kind} />
        {error ? <ErrorMark title={span.status_message ?? undefined} /> : null}
        <Link to={href(`/traces/${traceId}`, { span: span.span_id })} className="step-name">
          {kind === 'agent' ? `sub-agent ${span.agent_name ?? span.name}` : span.name}
        </Link>
        <StepFigures span={span} kind={kind} error={error} />
      </li>
      {props.evaluations && props.evaluations.length > 0 ? (
        <li className="step-eval-wrap" style={{ paddingLeft: step.depth * 20 }}>
          {props.evaluations.map((e) => (
            <EvalCard key={e.span.span_id} evaluation={e} />
          ))}
        </li>
      ) : null}
    </>
  );
}

/** Figures in fixed columns (model, tokens, cache, cost, latency) so a turn's steps read as a table. */
function StepFigures(props: { span: Span; kind: string; error: boolean }): ReactNode {
  const { span, kind } = props;
  const reason = props.error ? String(span.error_type ?? span.status_message ?? '') : '';
  const hasTokens = span.input_tokens != null || span.output_tokens != null;
  return (
    <span className="step-figures">
      {kind === 'llm' ? (
        <>
          <span className="f-model">{span.request_model ?? span.response_model ?? ''}</span>
          <span className="f-tokens" title="input → output tokens">
            {hasTokens ? `${formatCount(span.input_tokens)} → ${formatCount(span.output_tokens)}` : ''}
          </span>
          <span className="f-cache" title="cache read tokens">
            {span.cache_read_tokens ? `${formatCount(span.cache_read_tokens)} cached` : ''}
          </span>
          <span className="f-cost">{span.cost_usd == null ? '' : formatUsd(span.cost_usd)}</span>
        </>
      ) : null}
      {kind === 'tool' ? (
        <span className={props.error ? 'badge error' : 'badge ok'} data-testid="tool-outcome">
          {props.error ? 'error' : 'ok'}
        </span>
      ) : null}
      {reason ? <span className="error-text f-reason">{reason}</span> : null}
      {kind === 'eval' ? <span className="badge eval-badge">{evalText(span)}</span> : null}
      <span className="f-latency" title={kind === 'llm' ? 'latency' : 'duration'}>
        {formatMs(span.duration_ms)}
      </span>
    </span>
  );
}

function EvalCard(props: { evaluation: Evaluation }): ReactNode {
  const { span, judge } = props.evaluation;
  const attributes = (span.attributes ?? {}) as Record<string, unknown>;
  const explanation = attributes['gen_ai.evaluation.explanation'];
  const judgeModels = [...new Set(judge.map((s) => s.request_model).filter(Boolean))];
  const judgeCost = knownCostOf(judge);
  return (
    <div className="step-eval" data-testid="evaluation" data-span-id={span.span_id}>
      <SpanIcon kind="eval" /> <strong>{evalName(span)}</strong>{' '}
      <span className="badge eval-badge" data-testid="evaluation-result">
        {evalText(span)}
      </span>
      {judgeModels.length > 0 ? (
        <span className="muted">
          {' '}
          · judged by {judgeModels.join(', ')} · {formatKnownCost(judgeCost)}
        </span>
      ) : null}{' '}
      <Link to={href(`/traces/${span.trace_id}`, { span: span.span_id })}>details</Link>
      {typeof explanation === 'string' && explanation ? (
        <div className="eval-explanation">{explanation}</div>
      ) : null}
    </div>
  );
}
