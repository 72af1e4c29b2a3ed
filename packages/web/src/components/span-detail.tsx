import type { ReactNode } from 'react';
import type { ApiError, Span } from '../lib/api.ts';
import { formatInteger, formatMs, formatTime, formatUsd } from '../lib/format.ts';
import { href, Link } from '../lib/router.tsx';
import {
  attributeText,
  evaluationTarget,
  eventTimeUs,
  groupAttributes,
  type Message,
  messagesOf,
  redactedKeys,
  type SpanEvent,
  type SpanLink,
  spanKind,
} from '../lib/span-content.ts';
import type { SpanTree } from '../lib/span-tree.ts';
import { ErrorMark, SpanIcon } from './span-icon.tsx';
import { Loading } from './states.tsx';
import { evalName, evalText } from './waterfall.tsx';

export interface SpanDetailProps {
  traceId: string;
  tree: SpanTree<Span>;
  index: number;
  /** the span with attributes, events and links once loaded */
  full: Span | null;
  fullError: ApiError | null;
  /** evaluation spans (indices) that judged this span */
  evaluations: number[];
  onSelect: (index: number) => void;
  onClose: () => void;
}

/** Everything about one span: the LLM call up front, then attributes by family, events, links. */
export function SpanDetail(props: SpanDetailProps): ReactNode {
  const { tree, index, full } = props;
  const light = tree.spans[index] as Span;
  const span: Span = full ? { ...light, ...full } : light;
  const kind = spanKind(span);
  const error = span.is_error === true || span.status_code === 'error';
  const offsetMs = (span.timestamp_us - tree.startUs) / 1000;
  const parentIndex = tree.parent[index] ?? -1;
  return (
    <aside className="span-detail panel" data-testid="span-detail" aria-label="Span details">
      <div className="sd-title">
        <SpanIcon kind={kind} />
        {error ? <ErrorMark /> : null}
        <h2 data-testid="span-detail-name">{span.name}</h2>
        <button type="button" className="sd-close" onClick={props.onClose} aria-label="Close span details">
          ×
        </button>
      </div>
      <div className="sd-facts">
        <span className={error ? 'badge error' : span.status_code === 'ok' ? 'badge ok' : 'badge'}>
          {error ? 'error' : (span.status_code ?? 'unset')}
        </span>
        <span title="duration">{formatMs(span.duration_ms)}</span>
        <span className="muted" title="start, from the start of the trace">
          at +{formatMs(offsetMs)}
        </span>
        {span.dataset ? <span className="badge">{span.dataset}</span> : null}
        {span.kind ? <span className="muted">{span.kind}</span> : null}
      </div>
      {span.status_message ? (
        <p className="sd-status error-text" data-testid="span-status-message">
          {span.status_message}
        </p>
      ) : null}

      {kind === 'llm' ? <LlmFacts span={span} /> : null}
      {kind === 'tool' ? <ToolFacts span={span} error={error} /> : null}
      {kind === 'agent' ? (
        <Facts
          title="Agent"
          rows={[
            ['Agent', span.agent_name],
            ['Agent id', span.agent_id as string | null],
            ['Children', formatInteger(tree.children[index]?.length ?? 0)],
            ['Spans below', formatInteger(tree.descendants[index] ?? 0)],
          ]}
        />
      ) : null}
      {kind === 'eval' ? <EvalFacts {...props} span={span} /> : null}
      {props.evaluations.length > 0 ? (
        <section className="sd-section" data-testid="span-evaluations">
          <h3>Evaluations of this span</h3>
          <ul className="sd-evals">
            {props.evaluations.map((e) => {
              const evalSpan = tree.spans[e] as Span;
              return (
                <li key={e}>
                  <button type="button" className="link-button" onClick={() => props.onSelect(e)}>
                    {evalName(evalSpan)}
                  </button>{' '}
                  <span className="badge eval-badge">{evalText(evalSpan)}</span>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      {full ? (
        <FullSections span={span} traceStartUs={tree.startUs} traceId={props.traceId} />
      ) : props.fullError ? (
        <p className="error-text" role="alert">
          Attributes could not be loaded: {props.fullError.message}
        </p>
      ) : (
        <Loading what="attributes" />
      )}

      <section className="sd-section">
        <h3>Identity</h3>
        <dl className="sd-facts-grid">
          <dt>Span id</dt>
          <dd className="mono">{span.span_id}</dd>
          <dt>Parent</dt>
          <dd className="mono">
            {parentIndex >= 0 ? (
              <button type="button" className="link-button mono" onClick={() => props.onSelect(parentIndex)}>
                {span.parent_span_id}
              </button>
            ) : span.parent_span_id ? (
              <span title="the parent span was not received">{span.parent_span_id} (missing)</span>
            ) : (
              'none (root)'
            )}
          </dd>
          <dt>Trace id</dt>
          <dd className="mono">{span.trace_id}</dd>
          <dt>Started</dt>
          <dd>{formatTime(span.timestamp_us / 1000)} UTC</dd>
          {span.scope_name ? (
            <>
              <dt>Library</dt>
              <dd>
                {String(span.scope_name)}
                {span.scope_version ? ` ${String(span.scope_version)}` : ''}
              </dd>
            </>
          ) : null}
          {typeof span.conversation_id === 'string' && span.conversation_id ? (
            <>
              <dt>Conversation</dt>
              <dd>
                <Link
                  to={`/conversations/${encodeURIComponent(span.conversation_id)}`}
                  testId="span-conversation-link"
                >
                  {span.conversation_id}
                </Link>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
    </aside>
  );
}

function Facts(props: { title: string; rows: [string, ReactNode, string?][]; testId?: string }): ReactNode {
  const rows = props.rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (rows.length === 0) return null;
  return (
    <section className="sd-section sd-card" data-testid={props.testId}>
      <h3>{props.title}</h3>
      <dl className="sd-facts-grid">
        {rows.map(([label, value, testId]) => (
          <div key={label} className="sd-fact">
            <dt>{label}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function LlmFacts(props: { span: Span }): ReactNode {
  const { span } = props;
  const model =
    span.response_model && span.request_model && span.response_model !== span.request_model
      ? `${span.request_model} → ${span.response_model}`
      : (span.request_model ?? span.response_model);
  const tokens = (value: number | null | undefined): string | null =>
    value === null || value === undefined ? null : formatInteger(value);
  return (
    <Facts
      title="LLM call"
      testId="span-llm"
      rows={[
        ['Model', model, 'span-model'],
        ['Provider', span.provider as string | null],
        ['Input tokens', tokens(span.input_tokens), 'span-input-tokens'],
        ['Output tokens', tokens(span.output_tokens), 'span-output-tokens'],
        ['Cache read', tokens(span.cache_read_tokens), 'span-cache-read-tokens'],
        ['Cache write', tokens(span.cache_write_tokens), 'span-cache-write-tokens'],
        ['Reasoning', tokens(span.reasoning_tokens as number | null | undefined)],
        [
          'Cost',
          span.cost_usd === null || span.cost_usd === undefined ? null : (
            <>
              <span data-testid="span-cost">{formatUsd(span.cost_usd)}</span>
              {span.cost_source ? <span className="muted"> ({span.cost_source})</span> : null}
            </>
          ),
        ],
        ['Time to first token', span.ttft_ms == null ? null : formatMs(span.ttft_ms), 'span-ttft'],
      ]}
    />
  );
}

function ToolFacts(props: { span: Span; error: boolean }): ReactNode {
  const { span } = props;
  return (
    <Facts
      title="Tool call"
      testId="span-tool"
      rows={[
        ['Tool', span.tool_name],
        ['Call id', span.tool_call_id as string | null],
        [
          'Outcome',
          <span key="o" className={props.error ? 'badge error' : 'badge ok'} data-testid="span-tool-outcome">
            {props.error ? `error${span.error_type ? `: ${String(span.error_type)}` : ''}` : 'ok'}
          </span>,
        ],
      ]}
    />
  );
}

function EvalFacts(props: SpanDetailProps & { span: Span }): ReactNode {
  const { span, tree } = props;
  const attributes = (span.attributes ?? {}) as Record<string, unknown>;
  const target = evaluationTarget(span);
  let judged: ReactNode = null;
  if (target) {
    const local = target.traceId === undefined || target.traceId === props.traceId;
    const at = local ? tree.byId.get(target.spanId) : undefined;
    if (at !== undefined) {
      judged = (
        <button
          type="button"
          className="link-button"
          onClick={() => props.onSelect(at)}
          data-testid="eval-target"
        >
          {(tree.spans[at] as Span).name}
        </button>
      );
    } else if (target.traceId) {
      judged = (
        <Link to={href(`/traces/${target.traceId}`, { span: target.spanId })} testId="eval-target">
          span {target.spanId} in trace {target.traceId.slice(0, 8)}…
        </Link>
      );
    }
  }
  const failureModes = attributes['loopline.evaluation.failure_modes'];
  return (
    <Facts
      title="Evaluation"
      testId="span-eval"
      rows={[
        ['Judged', judged],
        ['Name', span.eval_name],
        ['Label', span.eval_label, 'span-eval-label'],
        ['Score', span.eval_score == null ? null : String(span.eval_score), 'span-eval-score'],
        [
          'Explanation',
          typeof attributes['gen_ai.evaluation.explanation'] === 'string'
            ? (attributes['gen_ai.evaluation.explanation'] as string)
            : null,
        ],
        ['Failure modes', failureModes === undefined ? null : attributeText(failureModes)],
      ]}
    />
  );
}

function FullSections(props: { span: Span; traceStartUs: number; traceId: string }): ReactNode {
  const { span } = props;
  const input = messagesOf(span as never, 'input');
  const output = messagesOf(span as never, 'output');
  const redacted = redactedKeys(span as never);
  const groups = groupAttributes(span.attributes ?? {});
  const events = (span.events ?? []) as SpanEvent[];
  const links = (span.links ?? []) as SpanLink[];
  return (
    <>
      {input.length > 0 || output.length > 0 ? (
        <section className="sd-section" data-testid="span-messages">
          <h3>Messages</h3>
          <Messages messages={input} />
          <Messages messages={output} />
        </section>
      ) : redacted.length > 0 ? (
        <p className="muted sd-note">
          Content not captured: {redacted.join(', ')} dropped at ingest (start the server with{' '}
          <code>--capture-content</code> to keep it).
        </p>
      ) : null}
      <section className="sd-section" data-testid="span-attributes">
        <h3>Attributes</h3>
        {groups.length === 0 ? <p className="muted">No attributes.</p> : null}
        {groups.map((group) => (
          <div key={group.id} className="sd-group" data-testid={`attr-group-${group.id}`}>
            <h4>{group.title}</h4>
            <table className="sd-attrs">
              <tbody>
                {group.entries.map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row" className="mono">
                      {key}
                    </th>
                    <td>
                      <span className={typeof value === 'string' ? 'attr-value' : 'attr-value mono'}>
                        {attributeText(value)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>
      {events.length > 0 ? (
        <section className="sd-section" data-testid="span-events">
          <h3>Events ({events.length})</h3>
          <ol className="sd-events">
            {events.map((event, i) => {
              const time = eventTimeUs(event);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and never reorder
                <li key={i}>
                  <div>
                    <strong>{event.name ?? '(unnamed)'}</strong>{' '}
                    <span className="muted">
                      {time === null ? '' : `+${formatMs((time - span.timestamp_us) / 1000)}`}
                    </span>
                  </div>
                  {event.attributes && Object.keys(event.attributes).length > 0 ? (
                    <table className="sd-attrs">
                      <tbody>
                        {Object.entries(event.attributes).map(([key, value]) => (
                          <tr key={key}>
                            <th scope="row" className="mono">
                              {key}
                            </th>
                            <td>
                              <span className="attr-value">{attributeText(value)}</span>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </section>
      ) : null}
      {links.length > 0 ? (
        <section className="sd-section" data-testid="span-links">
          <h3>Links ({links.length})</h3>
          <ul className="sd-links">
            {links.map((link, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: links have no id of their own and never reorder
              <li key={i}>
                {link.trace_id ? (
                  <Link to={href(`/traces/${link.trace_id}`, { span: link.span_id })} testId="span-link">
                    {link.trace_id === props.traceId ? 'this trace' : `trace ${link.trace_id.slice(0, 12)}…`}{' '}
                    · span {link.span_id}
                  </Link>
                ) : (
                  <span className="mono">{link.span_id}</span>
                )}
                {link.attributes && Object.keys(link.attributes).length > 0 ? (
                  <span className="muted"> {attributeText(link.attributes)}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

const ROLE_CLASSES = new Set(['user', 'assistant', 'system', 'tool']);

export function Messages(props: { messages: Message[] }): ReactNode {
  if (props.messages.length === 0) return null;
  return (
    <div className="messages">
      {props.messages.map((message, i) => {
        const className = `message role-${ROLE_CLASSES.has(message.role) ? message.role : 'other'}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages are an ordered list without ids
          <div key={i} className={className}>
            <div className="message-role">{message.role}</div>
            <div className="message-text">{message.text}</div>
          </div>
        );
      })}
    </div>
  );
}
