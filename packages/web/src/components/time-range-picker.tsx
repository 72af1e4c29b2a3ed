import type { ReactNode } from 'react';
import { href, navigate, useLocation } from '../lib/router.tsx';
import { formatDuration, RANGE_PRESETS, readTimeRange } from '../lib/time-range.ts';

/** The shared time range control: writes `range` (or clears `from`/`to`) in the current URL. */
export function TimeRangePicker(): ReactNode {
  const location = useLocation();
  const range = readTimeRange(location.search);
  const value = range.seconds !== null ? formatDuration(range.seconds) : 'custom';
  const onChange = (next: string): void => {
    const params = Object.fromEntries(location.search.entries());
    delete params.from;
    delete params.to;
    navigate(href(location.pathname, { ...params, range: next }));
  };
  return (
    <label className="time-range">
      <span className="visually-hidden">Time range</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="time-range">
        {RANGE_PRESETS.map((preset) => (
          <option key={preset.value} value={preset.value}>
            {preset.label}
          </option>
        ))}
        {value === 'custom' ? <option value="custom">Custom range</option> : null}
        {value !== 'custom' && !RANGE_PRESETS.some((p) => p.value === value) ? (
          <option value={value}>Last {value}</option>
        ) : null}
      </select>
    </label>
  );
}
