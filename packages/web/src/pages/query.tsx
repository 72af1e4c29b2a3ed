import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { QueryBuilder } from '../components/query-builder.tsx';
import {
  ResultCharts,
  ResultsTable,
  ResultWarnings,
  resultWindow,
  tracesLink,
} from '../components/query-result.tsx';
import { SaveToBoard } from '../components/query-save.tsx';
import { EmptyState, ErrorState, Loading, SendDataHint } from '../components/states.tsx';
import { ApiError, api, type QueryResult, type QuerySpec } from '../lib/api.ts';
import { formatTime } from '../lib/format.ts';
import {
  absoluteTime,
  buildCatalogue,
  describeGranularity,
  describeRange,
  describeSpec,
  emptyForm,
  formToSpec,
  type QueryForm,
  scalarCalculations,
  specToForm,
} from '../lib/query-spec.ts';
import { queryHref, readQuerySpec } from '../lib/query-url.ts';
import { href, Link, navigate, useLocation, useTitle } from '../lib/router.tsx';
import { useAsync } from '../lib/use-async.ts';
import './query.css';

const EXAMPLES: { label: string; spec: QuerySpec }[] = [
  {
    label: 'LLM calls and p95 latency per model',
    spec: {
      calculations: [{ op: 'COUNT' }, { op: 'P95', column: 'duration_ms' }],
      filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'chat' }],
      breakdowns: ['gen_ai.request.model'],
      time_range: 604_800,
    },
  },
  {
    label: 'Spend and tokens per agent',
    spec: {
      calculations: [
        { op: 'SUM', column: 'cost_usd' },
        { op: 'SUM', column: 'gen_ai.usage.input_tokens' },
        { op: 'SUM', column: 'gen_ai.usage.output_tokens' },
      ],
      breakdowns: ['gen_ai.agent.name'],
      orders: [{ op: 'SUM', column: 'cost_usd', order: 'descending' }],
      time_range: 604_800,
    },
  },
  {
    label: 'Tool call durations as a heatmap',
    spec: {
      calculations: [{ op: 'COUNT' }, { op: 'HEATMAP', column: 'duration_ms' }],
      filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'execute_tool' }],
      breakdowns: ['gen_ai.tool.name'],
      time_range: 604_800,
    },
  },
  {
    label: 'Failed spans per dataset',
    spec: {
      calculations: [{ op: 'COUNT' }],
      filters: [{ column: 'error', op: '=', value: true }],
      breakdowns: ['service.name'],
      time_range: 604_800,
    },
  },
];

/** The query builder: the whole query lives in `?q=` so a link reruns it. */
export function QueryPage(): ReactNode {
  const location = useLocation();
  const qText = location.search.get('q') ?? '';
  const showSql = location.search.get('sql') === '1';
  let spec: QuerySpec = {};
  let specError: string | null = null;
  try {
    spec = readQuerySpec(location.search);
  } catch (error) {
    specError = error instanceof Error ? error.message : String(error);
  }
  const hasQuery = qText.trim() !== '' && specError === null;
  useTitle(hasQuery ? `Query: ${describeSpec(spec)}` : 'Query');

  const datasets = useAsync((signal) => api.datasets({ signal }), 'datasets');
  const result = useAsync<QueryResult | null>(
    (signal) => (hasQuery ? api.query(spec, { showSql, signal }) : Promise.resolve(null)),
    `${qText}\n${showSql}`,
  );

  const run = (next: QuerySpec): void => {
    const target = href('/query', { q: JSON.stringify(next), sql: showSql ? '1' : undefined });
    if (target === window.location.pathname + window.location.search) result.reload();
    else navigate(target);
  };
  const toggleSql = (): void => {
    navigate(href('/query', { q: qText || undefined, sql: showSql ? undefined : '1' }), { replace: true });
  };

  return (
    <div className="ql-page">
      <div className="page-header">
        <h1>Query</h1>
        {hasQuery ? (
          <span className="sub" data-testid="query-description">
            {describeSpec(spec, { time: true })}
          </span>
        ) : (
          <span className="sub">Ask anything of every span, log and metric on the line.</span>
        )}
      </div>
      {specError ? (
        <div className="ql-error" data-testid="query-error">
          <ErrorState error={new ApiError('BAD_LINK', specError, 0)} />
        </div>
      ) : null}
      <Workspace
        key={qText}
        spec={spec}
        qText={qText}
        datasets={datasets.status === 'ready' ? datasets.data : undefined}
        running={result.status === 'loading' && hasQuery}
        onRun={run}
        error={
          result.status === 'error' ? (
            <div className="ql-error" data-testid="query-error">
              <ErrorState error={result.error} />
            </div>
          ) : datasets.status === 'error' ? (
            <p className="muted">Column suggestions are unavailable: {datasets.error.message}</p>
          ) : null
        }
        toolbar={
          hasQuery ? (
            <>
              <button type="button" onClick={toggleSql} aria-pressed={showSql} data-testid="show-sql">
                {showSql ? 'Hide SQL' : 'Show SQL'}
              </button>
              <SaveToBoard spec={spec} />
            </>
          ) : null
        }
      />
      {!hasQuery ? (
        specError ? null : (
          <EmptyState title="Build a query and run it">
            <p>
              Pick calculations, filters and groups above, then press <span className="ql-em">Run query</span>{' '}
              (or Ctrl/⌘+Enter). Or start from an example:
            </p>
            <ul className="ql-examples">
              {EXAMPLES.map((example) => (
                <li key={example.label}>
                  <Link to={queryHref(example.spec)}>{example.label}</Link>
                </li>
              ))}
            </ul>
          </EmptyState>
        )
      ) : result.status === 'loading' ? (
        <Loading what="results" />
      ) : result.status === 'ready' && result.data ? (
        <Results
          spec={spec}
          result={result.data}
          showSql={showSql}
          noData={
            datasets.status === 'ready' && (datasets.data[spec.source ?? 'spans']?.datasets.length ?? 0) === 0
          }
        />
      ) : null}
    </div>
  );
}

function Workspace(props: {
  spec: QuerySpec;
  qText: string;
  datasets: Awaited<ReturnType<typeof api.datasets>> | undefined;
  running: boolean;
  onRun: (spec: QuerySpec) => void;
  error: ReactNode;
  toolbar: ReactNode;
}): ReactNode {
  const [form, setForm] = useState<QueryForm>(() =>
    props.qText === '' ? emptyForm() : specToForm(props.spec),
  );
  const source = props.datasets?.[form.source];
  const catalogue = useMemo(() => buildCatalogue(source, form.datasets), [source, form.datasets]);
  const draft = formToSpec(form, catalogue.typeOf);
  const draftText = JSON.stringify(draft);
  // compared in the builder's own form, so a hand-written link's key order or value spelling is no change
  const baseline = useMemo(
    () => JSON.stringify(formToSpec(specToForm(props.spec), catalogue.typeOf)),
    [props.spec, catalogue],
  );
  const changed = props.qText !== '' && draftText !== baseline;
  return (
    <QueryBuilder
      form={form}
      onChange={setForm}
      catalogue={catalogue}
      datasets={source?.datasets ?? []}
      running={props.running}
      onRun={() => props.onRun(draft)}
      aside={
        <div className="ql-aside">
          {changed ? (
            <p className="muted ql-changed" data-testid="query-changed">
              The query above has changed: run it to update the results.
            </p>
          ) : null}
          {props.error}
          <div className="ql-toolbar">
            {props.toolbar}
            <JsonEditor draft={draft} onApply={props.onRun} />
          </div>
        </div>
      }
    />
  );
}

/** The query as editable JSON; Apply runs it (the server checks it and explains any mistake). */
function JsonEditor(props: { draft: QuerySpec; onApply: (spec: QuerySpec) => void }): ReactNode {
  const draftJson = JSON.stringify(props.draft, null, 2);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(draftJson);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!dirty) setText(draftJson);
  }, [draftJson, dirty]);
  const apply = (): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setError(`Not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setError('A query is a JSON object, e.g. {"calculations":[{"op":"COUNT"}]}.');
      return;
    }
    setError(null);
    setDirty(false);
    props.onApply(parsed as QuerySpec);
  };
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="edit-json">
        Edit as JSON
      </button>
    );
  }
  return (
    <div className="ql-json">
      <label className="visually-hidden" htmlFor="ql-json-text">
        Query JSON
      </label>
      <textarea
        id="ql-json-text"
        value={text}
        spellCheck={false}
        rows={Math.min(24, Math.max(6, text.split('\n').length + 1))}
        onChange={(e) => {
          setText(e.target.value);
          setDirty(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.stopPropagation();
            apply();
          }
        }}
        data-testid="query-json"
      />
      <div className="ql-json-actions">
        <button type="button" className="primary" onClick={apply} data-testid="apply-json">
          Run this JSON
        </button>
        <button
          type="button"
          onClick={() => {
            setDirty(false);
            setText(draftJson);
            setError(null);
          }}
        >
          Reset to builder
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
        <a className="ql-doc" href="https://github.com/loopline/loopline/blob/main/docs/query-language.md">
          query language
        </a>
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Results(props: {
  spec: QuerySpec;
  result: QueryResult;
  showSql: boolean;
  noData: boolean;
}): ReactNode {
  const { spec, result } = props;
  const window = resultWindow(result);
  const scalar = scalarCalculations(spec);
  const spans = (spec.source ?? 'spans') === 'spans';
  const empty =
    scalar.length > 0
      ? result.groups.length === 0 || Object.values(result.totals).every((v) => v === null || v === 0)
      : Object.values(result.heatmap ?? {}).every((h) => h.cells.length === 0);
  const allTraces = tracesLink(absoluteTime(spec, window), true);
  return (
    <section className="ql-results-area" data-testid="query-results">
      <div className="ql-meta">
        <span data-testid="result-meta">
          {scalar.length > 0
            ? `${result.groups.length} group${result.groups.length === 1 ? '' : 's'} · `
            : ''}
          {describeRange(spec)}
          {spec.start_time !== undefined && spec.end_time !== undefined
            ? ''
            : ` (${formatTime(result.meta.start)} – ${formatTime(result.meta.end)} UTC)`}{' '}
          · {describeGranularity(result.meta.granularity)} buckets
        </span>
        {spans ? (
          <Link to={allTraces} testId="all-traces-link">
            Traces of this query →
          </Link>
        ) : null}
      </div>
      <ResultWarnings result={result} />
      {props.showSql ? (
        <pre className="ql-sql" data-testid="query-sql">
          {(result.meta.sql ?? []).join(';\n\n')}
        </pre>
      ) : null}
      {empty ? (
        <EmptyState title="No rows matched this query">
          {props.noData ? (
            <SendDataHint />
          ) : (
            <p>Widen the time range, choose other datasets or loosen the filters.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <div className="panel ql-chart-panel">
            <ResultCharts spec={spec} result={result} onOpen={spans ? undefined : null} />
            {spans ? (
              <p className="muted ql-hint">Click a point, a heatmap cell or a row to see its traces.</p>
            ) : null}
          </div>
          {scalar.length > 0 ? (
            <div className="panel ql-table-panel">
              <ResultsTable spec={spec} result={result} onOpen={spans ? undefined : null} />
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
