import {
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import type { Calculation, Order } from '../lib/api.ts';
import {
  CALCULATION_OPS,
  type Catalogue,
  calcName,
  calculationTakesColumn,
  DEFAULT_FORM_RANGE,
  describeGranularity,
  FILTER_OPS,
  filterTakesList,
  filterTakesValue,
  GRANULARITY_PRESETS,
  HAVING_OPS,
  isNumericType,
  minimumGranularity,
  orderChoices,
  orderKey,
  type QueryForm,
  SOURCES,
  type Source,
  type TimeForm,
} from '../lib/query-spec.ts';
import { formatDuration, RANGE_PRESETS } from '../lib/time-range.ts';

/**
 * The query builder (Honeycomb's model): source, datasets and time on one line, then the clauses
 * VISUALIZE, WHERE, GROUP BY, ORDER BY, LIMIT, HAVING. It edits a `QueryForm`; the page turns the form
 * into a query and runs it (button or Ctrl/Cmd+Enter).
 */
export function QueryBuilder(props: {
  form: QueryForm;
  onChange: (form: QueryForm) => void;
  catalogue: Catalogue;
  datasets: { name: string; rows: number }[];
  onRun: () => void;
  running: boolean;
  /** shown next to the Run button: the server's error, etc. */
  aside?: ReactNode;
}): ReactNode {
  const { form, onChange, catalogue } = props;
  const ids = useId();
  const allList = `${ids}-columns`;
  const numberList = `${ids}-numbers`;
  const set = (patch: Partial<QueryForm>): void => onChange({ ...form, ...patch });

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      props.onRun();
    }
  };

  const rangeSeconds = form.time.mode === 'relative' ? form.time.seconds : form.time.to - form.time.from;
  // the hover text of a column input: the whole name (an input may be too narrow for it), then its type
  const typeLabel = (column: string): string | undefined => {
    if (column === '') return undefined;
    const known = catalogue.columns.find((c) => c.name === column);
    return known ? `${column}\n${known.type}${known.description ? ` — ${known.description}` : ''}` : column;
  };

  return (
    <section
      className="panel ql-builder"
      aria-label="Query builder"
      onKeyDown={onKeyDown}
      data-testid="query-builder"
    >
      <datalist id={allList}>
        {catalogue.columns.map((c) => (
          <option key={c.name} value={c.name} label={`${c.type} · ${c.description}`} />
        ))}
      </datalist>
      <datalist id={numberList}>
        {catalogue.columns
          .filter((c) => isNumericType(c.type))
          .map((c) => (
            <option key={c.name} value={c.name} label={`${c.type} · ${c.description}`} />
          ))}
      </datalist>

      <div className="ql-topline">
        <label className="ql-field">
          <span>Source</span>
          <select
            value={form.source}
            onChange={(e) => set({ source: e.target.value as Source, datasets: [] })}
            data-testid="source-select"
          >
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <DatasetPicker
          datasets={props.datasets}
          chosen={form.datasets}
          onChange={(datasets) => set({ datasets })}
        />
        <TimePicker time={form.time} onChange={(time) => set({ time })} />
        <label className="ql-field">
          <span>Granularity</span>
          <select
            value={form.granularity === null ? 'auto' : String(form.granularity)}
            onChange={(e) => set({ granularity: e.target.value === 'auto' ? null : Number(e.target.value) })}
            data-testid="granularity-select"
          >
            <option value="auto">Auto</option>
            {[...new Set([...GRANULARITY_PRESETS, ...(form.granularity === null ? [] : [form.granularity])])]
              .sort((a, b) => a - b)
              .map((g) => (
                <option key={g} value={g} disabled={g < minimumGranularity(rangeSeconds)}>
                  {describeGranularity(g)}
                </option>
              ))}
          </select>
        </label>
        <div className="ql-run">
          <button
            type="button"
            className="primary"
            onClick={props.onRun}
            disabled={props.running}
            data-testid="run-query"
            title="Run query (Ctrl/Cmd+Enter)"
          >
            {props.running ? 'Running…' : 'Run query'}
          </button>
          <span className="muted ql-kbd">
            <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd>
          </span>
        </div>
      </div>

      <div className="ql-clauses">
        <Clause
          title="Visualize"
          onAdd={() => set({ calculations: [...form.calculations, { op: 'COUNT' }] })}
          addTestId="add-calculation"
          addLabel="Add a calculation"
        >
          {form.calculations.length === 0 ? <p className="ql-placeholder">COUNT</p> : null}
          {form.calculations.map((calc, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
            <div className="ql-row" key={i} data-testid="calculation-row">
              <select
                aria-label="Calculation"
                value={calc.op}
                onChange={(e) => {
                  const next: Calculation = { ...calc, op: e.target.value };
                  if (!calculationTakesColumn(next.op)) delete next.column;
                  set({ calculations: replace(form.calculations, i, next) });
                }}
                data-testid="calc-op"
              >
                {CALCULATION_OPS.map((op) => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </select>
              {calculationTakesColumn(calc.op) ? (
                <input
                  aria-label={`Column for ${calc.op}`}
                  list={calc.op === 'COUNT_DISTINCT' ? allList : numberList}
                  value={calc.column ?? ''}
                  placeholder={calc.op === 'COUNT_DISTINCT' ? 'column' : 'number column'}
                  title={typeLabel(calc.column ?? '')}
                  onChange={(e) =>
                    set({ calculations: replace(form.calculations, i, { ...calc, column: e.target.value }) })
                  }
                  className="ql-column"
                  data-testid="calc-column"
                  spellCheck={false}
                />
              ) : null}
              <RemoveButton
                label={`Remove ${calcName(calc)}`}
                onClick={() => set({ calculations: form.calculations.filter((_, j) => j !== i) })}
              />
            </div>
          ))}
        </Clause>

        <Clause
          title="Where"
          onAdd={() => set({ filters: [...form.filters, { column: '', op: '=', value: '' }] })}
          addTestId="add-filter"
          addLabel="Add a filter"
          extra={
            form.filters.length > 1 ? (
              <select
                aria-label="Combine filters with"
                value={form.combination}
                onChange={(e) => set({ combination: e.target.value as 'AND' | 'OR' })}
                data-testid="filter-combination"
                className="ql-mini"
              >
                <option value="AND">all (AND)</option>
                <option value="OR">any (OR)</option>
              </select>
            ) : null
          }
        >
          {form.filters.length === 0 ? <p className="ql-placeholder">no filters</p> : null}
          {form.filters.map((filter, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
            <div className="ql-row" key={i} data-testid="filter-row">
              <input
                aria-label="Filter column"
                list={allList}
                value={filter.column}
                placeholder="column"
                title={typeLabel(filter.column)}
                onChange={(e) =>
                  set({ filters: replace(form.filters, i, { ...filter, column: e.target.value }) })
                }
                className="ql-column"
                style={fitName(filter.column)}
                data-testid="filter-column"
                spellCheck={false}
              />
              <select
                aria-label="Filter operator"
                value={filter.op}
                onChange={(e) =>
                  set({ filters: replace(form.filters, i, { ...filter, op: e.target.value }) })
                }
                data-testid="filter-op"
              >
                {FILTER_OPS.map((op) => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </select>
              {filterTakesValue(filter.op) ? (
                <input
                  aria-label="Filter value"
                  value={filter.value}
                  placeholder={filterTakesList(filter.op) ? 'a, b, c' : 'value'}
                  onChange={(e) =>
                    set({ filters: replace(form.filters, i, { ...filter, value: e.target.value }) })
                  }
                  className="ql-value"
                  data-testid="filter-value"
                  spellCheck={false}
                />
              ) : null}
              <RemoveButton
                label="Remove filter"
                onClick={() => set({ filters: form.filters.filter((_, j) => j !== i) })}
              />
            </div>
          ))}
        </Clause>

        <Clause
          title="Group by"
          onAdd={() => set({ breakdowns: [...form.breakdowns, ''] })}
          addTestId="add-breakdown"
          addLabel="Add a group by column"
        >
          {form.breakdowns.length === 0 ? <p className="ql-placeholder">none</p> : null}
          {form.breakdowns.map((column, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
            <div className="ql-row" key={i}>
              <input
                aria-label="Group by column"
                list={allList}
                value={column}
                placeholder="column"
                title={typeLabel(column)}
                onChange={(e) => set({ breakdowns: replace(form.breakdowns, i, e.target.value) })}
                className="ql-column"
                data-testid="breakdown-column"
                spellCheck={false}
              />
              <RemoveButton
                label={`Remove group by ${column}`}
                onClick={() => set({ breakdowns: form.breakdowns.filter((_, j) => j !== i) })}
              />
            </div>
          ))}
        </Clause>

        <OrderClause form={form} onChange={onChange} />

        <Clause title="Limit">
          <div className="ql-row">
            <input
              aria-label="Limit (groups)"
              type="number"
              min={1}
              max={10000}
              value={form.limit}
              placeholder="100"
              onChange={(e) => set({ limit: e.target.value })}
              className="ql-limit"
              data-testid="limit"
            />
            <span className="muted">groups</span>
          </div>
        </Clause>

        <HavingClause form={form} onChange={onChange} />
      </div>
      {props.aside}
    </section>
  );
}

function replace<T>(list: T[], index: number, value: T): T[] {
  return list.map((item, i) => (i === index ? value : item));
}

/**
 * A column input at least as wide as the name in it (monospace: one `ch` a character), so the name is not
 * cut; the row wraps the operator and value below it when they no longer fit, and only a name wider than
 * the whole clause is cut (its title reads whole).
 */
function fitName(column: string): CSSProperties {
  return { minWidth: `min(100%, calc(${Math.max(column.length, 8) + 1}ch + 18px))` };
}

function Clause(props: {
  title: string;
  children: ReactNode;
  onAdd?: () => void;
  addTestId?: string;
  addLabel?: string;
  extra?: ReactNode;
}): ReactNode {
  return (
    <fieldset className="ql-clause">
      <legend>{props.title}</legend>
      <div className="ql-clause-head">
        {props.extra}
        {props.onAdd ? (
          <button
            type="button"
            className="ql-add"
            onClick={props.onAdd}
            data-testid={props.addTestId}
            aria-label={props.addLabel}
            title={props.addLabel}
          >
            +
          </button>
        ) : null}
      </div>
      <div className="ql-clause-body">{props.children}</div>
    </fieldset>
  );
}

function RemoveButton(props: { label: string; onClick: () => void }): ReactNode {
  return (
    <button
      type="button"
      className="ql-remove"
      aria-label={props.label}
      title={props.label}
      onClick={props.onClick}
    >
      ×
    </button>
  );
}

function OrderClause(props: { form: QueryForm; onChange: (form: QueryForm) => void }): ReactNode {
  const { form } = props;
  const choices = orderChoices(form);
  const set = (orders: Order[]): void => props.onChange({ ...form, orders });
  const first = choices[0];
  return (
    <Clause
      title="Order by"
      onAdd={first ? () => set([...form.orders, { ...first.order, order: 'descending' }]) : undefined}
      addTestId="add-order"
      addLabel="Add an order"
    >
      {form.orders.length === 0 ? (
        <p className="ql-placeholder">{first ? `${first.label} descending` : 'first calculation'}</p>
      ) : null}
      {form.orders.map((order, i) => {
        const key = orderKey(order);
        const known = choices.some((c) => orderKey(c.order) === key);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
          <div className="ql-row" key={i}>
            <select
              aria-label="Order by"
              value={key}
              onChange={(e) => {
                const choice = choices.find((c) => orderKey(c.order) === e.target.value);
                if (choice) set(replace(form.orders, i, { ...choice.order, order: order.order }));
              }}
              data-testid="order-by"
            >
              {known ? null : (
                <option value={key}>
                  {order.op ? calcName({ op: order.op, column: order.column }) : order.column}
                </option>
              )}
              {choices.map((c) => (
                <option key={orderKey(c.order)} value={orderKey(c.order)}>
                  {c.label}
                </option>
              ))}
            </select>
            <select
              aria-label="Direction"
              value={order.order ?? 'ascending'}
              onChange={(e) =>
                set(
                  replace(form.orders, i, { ...order, order: e.target.value as 'ascending' | 'descending' }),
                )
              }
              data-testid="order-direction"
            >
              <option value="descending">descending</option>
              <option value="ascending">ascending</option>
            </select>
            <RemoveButton label="Remove order" onClick={() => set(form.orders.filter((_, j) => j !== i))} />
          </div>
        );
      })}
    </Clause>
  );
}

function HavingClause(props: { form: QueryForm; onChange: (form: QueryForm) => void }): ReactNode {
  const { form } = props;
  const choices = orderChoices({ calculations: form.calculations, breakdowns: [] });
  const set = (havings: QueryForm['havings']): void => props.onChange({ ...form, havings });
  const first = choices[0];
  return (
    <Clause
      title="Having"
      onAdd={
        first
          ? () =>
              set([
                ...form.havings,
                {
                  calculate_op: first.order.op as string,
                  ...(first.order.column ? { column: first.order.column } : {}),
                  op: '>',
                  value: '',
                },
              ])
          : undefined
      }
      addTestId="add-having"
      addLabel="Add a having condition"
    >
      {form.havings.length === 0 ? <p className="ql-placeholder">none</p> : null}
      {form.havings.map((having, i) => {
        const key = orderKey({ op: having.calculate_op, column: having.column });
        const known = choices.some((c) => orderKey(c.order) === key);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
          <div className="ql-row" key={i}>
            <select
              aria-label="Having calculation"
              value={key}
              onChange={(e) => {
                const choice = choices.find((c) => orderKey(c.order) === e.target.value);
                if (!choice) return;
                const next = { ...having, calculate_op: choice.order.op as string };
                if (choice.order.column) next.column = choice.order.column;
                else delete next.column;
                set(replace(form.havings, i, next));
              }}
              data-testid="having-calc"
            >
              {known ? null : (
                <option value={key}>{calcName({ op: having.calculate_op, column: having.column })}</option>
              )}
              {choices.map((c) => (
                <option key={orderKey(c.order)} value={orderKey(c.order)}>
                  {c.label}
                </option>
              ))}
            </select>
            <select
              aria-label="Having operator"
              value={having.op}
              onChange={(e) => set(replace(form.havings, i, { ...having, op: e.target.value }))}
              data-testid="having-op"
            >
              {HAVING_OPS.map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </select>
            <input
              aria-label="Having value"
              type="number"
              value={having.value}
              onChange={(e) => set(replace(form.havings, i, { ...having, value: e.target.value }))}
              className="ql-limit"
              data-testid="having-value"
            />
            <RemoveButton label="Remove having" onClick={() => set(form.havings.filter((_, j) => j !== i))} />
          </div>
        );
      })}
    </Clause>
  );
}

/** Datasets as a checkbox list in a disclosure; none checked means all. */
function DatasetPicker(props: {
  datasets: { name: string; rows: number }[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
}): ReactNode {
  const { chosen } = props;
  const summary =
    chosen.length === 0
      ? 'All datasets'
      : chosen.length <= 2
        ? chosen.join(', ')
        : `${chosen.length} datasets`;
  const names = [...new Set([...props.datasets.map((d) => d.name), ...chosen])];
  const toggle = (name: string, on: boolean): void => {
    props.onChange(on ? [...chosen, name] : chosen.filter((c) => c !== name));
  };
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    // the menu closes on a click elsewhere or Escape
    const onClick = (event: MouseEvent): void => {
      if (ref.current?.open && !ref.current.contains(event.target as Node)) ref.current.open = false;
    };
    const onKey = (event: globalThis.KeyboardEvent): void => {
      if (event.key === 'Escape' && ref.current?.open) ref.current.open = false;
    };
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('click', onClick);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
  return (
    <div className="ql-field">
      <span>Dataset</span>
      <details className="ql-datasets" data-testid="dataset-picker" ref={ref}>
        <summary data-testid="dataset-summary">{summary}</summary>
        <div className="ql-datasets-menu">
          {names.length === 0 ? <p className="muted">No datasets yet.</p> : null}
          {names.map((name) => {
            const info = props.datasets.find((d) => d.name === name);
            return (
              <label key={name} className="ql-check">
                <input
                  type="checkbox"
                  checked={chosen.includes(name)}
                  onChange={(e) => toggle(name, e.target.checked)}
                  data-testid="dataset-option"
                  value={name}
                />
                <span>{name}</span>
                {info ? <span className="muted">{info.rows.toLocaleString('en-US')}</span> : null}
              </label>
            );
          })}
          {chosen.length > 0 ? (
            <button type="button" className="ql-link" onClick={() => props.onChange([])}>
              All datasets
            </button>
          ) : null}
        </div>
      </details>
    </div>
  );
}

/** `YYYY-MM-DDTHH:MM[:SS]` in UTC for a datetime-local input. */
function toInput(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return seconds % 60 === 0 ? iso.slice(0, 16) : iso.slice(0, 19);
}
function fromInput(value: string): number | null {
  const ms = Date.parse(`${value}Z`);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** Presets plus a custom from/to (UTC). */
function TimePicker(props: { time: TimeForm; onChange: (time: TimeForm) => void }): ReactNode {
  const { time } = props;
  const [error, setError] = useState<string | null>(null);
  const value = time.mode === 'absolute' ? 'custom' : String(time.seconds);
  const presets = RANGE_PRESETS.map((p) => ({ value: String(p.seconds), label: p.label }));
  if (time.mode === 'relative' && !RANGE_PRESETS.some((p) => p.seconds === time.seconds)) {
    presets.push({ value: String(time.seconds), label: `Last ${formatDuration(time.seconds)}` });
  }
  const onSelect = (next: string): void => {
    setError(null);
    if (next === 'custom') {
      const seconds = time.mode === 'relative' ? time.seconds : DEFAULT_FORM_RANGE;
      const to = Math.ceil(Date.now() / 60_000) * 60;
      props.onChange({ mode: 'absolute', from: to - seconds, to });
    } else props.onChange({ mode: 'relative', seconds: Number(next) });
  };
  const setEdge = (edge: 'from' | 'to', text: string): void => {
    if (time.mode !== 'absolute') return;
    const seconds = fromInput(text);
    if (seconds === null) return;
    const next = { ...time, [edge]: seconds };
    setError(next.to <= next.from ? 'The end must be after the start.' : null);
    props.onChange(next);
  };
  return (
    <div className="ql-field ql-time">
      <label>
        <span>Time range</span>
        <select value={value} onChange={(e) => onSelect(e.target.value)} data-testid="query-time-range">
          {presets.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range…</option>
        </select>
      </label>
      {time.mode === 'absolute' ? (
        <span className="ql-custom-range">
          <label>
            <span className="visually-hidden">From (UTC)</span>
            <input
              type="datetime-local"
              step={1}
              value={toInput(time.from)}
              onChange={(e) => setEdge('from', e.target.value)}
              data-testid="time-from"
            />
          </label>
          <span className="muted">to</span>
          <label>
            <span className="visually-hidden">To (UTC)</span>
            <input
              type="datetime-local"
              step={1}
              value={toInput(time.to)}
              onChange={(e) => setEdge('to', e.target.value)}
              data-testid="time-to"
            />
          </label>
          <span className="muted">UTC</span>
          {error ? <span className="error-text">{error}</span> : null}
        </span>
      ) : null}
    </div>
  );
}
