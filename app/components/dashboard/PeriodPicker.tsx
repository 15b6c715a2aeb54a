/**
 * Period, custom date range and comparison controls. Native selects and
 * date inputs: keyboard and screen-reader friendly without extra code.
 */
'use client';

import { useState } from 'react';
import { useDashboard } from './context';
import { todayIn } from './format';
import type { DashboardQuery } from './query';
import styles from './dashboard.module.css';

type Choice = 'today' | 'yesterday' | '7d' | '30d' | 'month' | 'last-month' | '6mo' | '12mo' | 'custom';

const LABELS: Record<Choice, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  'last-month': 'Last month',
  '6mo': 'Last 6 months',
  '12mo': 'Last 12 months',
  custom: 'Custom range…',
};

function firstOfPreviousMonth(timeZone: string): string {
  const [y, m] = todayIn(timeZone).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}

function choiceOf(q: DashboardQuery, timeZone: string): Choice {
  if (q.period === 'day') return !q.date || q.date === todayIn(timeZone) ? 'today' : q.date === todayIn(timeZone, -1) ? 'yesterday' : 'custom';
  if (q.period === 'month') return !q.date || q.date.slice(0, 7) === todayIn(timeZone).slice(0, 7) ? 'month' : q.date === firstOfPreviousMonth(timeZone) ? 'last-month' : 'custom';
  return q.period as Choice;
}

function rangeOf(q: DashboardQuery, timeZone: string): [string, string] {
  if (q.period === 'custom' && q.date) return q.date.split(',') as [string, string];
  if (q.period === 'day' && q.date) return [q.date, q.date];
  return [todayIn(timeZone, -6), todayIn(timeZone)];
}

export function PeriodPicker() {
  const { site, query, setQuery } = useDashboard();
  const tz = site.timezone;
  const current = choiceOf(query, tz);
  const [editing, setEditing] = useState(current === 'custom');
  const [range, setRange] = useState(() => rangeOf(query, tz));

  const choose = (choice: Choice) => {
    const base = { ...query, interval: undefined };
    if (choice === 'custom') return setEditing(true);
    setEditing(false);
    if (choice === 'today') setQuery({ ...base, period: 'day', date: undefined });
    else if (choice === 'yesterday') setQuery({ ...base, period: 'day', date: todayIn(tz, -1) });
    else if (choice === 'month') setQuery({ ...base, period: 'month', date: undefined });
    else if (choice === 'last-month') setQuery({ ...base, period: 'month', date: firstOfPreviousMonth(tz) });
    else setQuery({ ...base, period: choice, date: undefined });
  };

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const [from, to] = range[0] <= range[1] ? range : [range[1], range[0]];
    setQuery({ ...query, interval: undefined, ...(from === to ? { period: 'day', date: from } : { period: 'custom', date: `${from},${to}` }) });
  };

  return (
    <div className={styles.periodPicker}>
      <label className={styles.inlineField}>
        <span className="sr-only">Period</span>
        <select value={editing ? 'custom' : current} onChange={(e) => choose(e.target.value as Choice)} data-testid="period">
          {(Object.keys(LABELS) as Choice[]).map((c) => (
            <option key={c} value={c}>
              {c === 'custom' && current === 'custom' && !editing ? `${range[0]} – ${range[1]}` : LABELS[c]}
            </option>
          ))}
        </select>
      </label>
      {editing ? (
        <form className={styles.range} onSubmit={apply} aria-label="Custom date range">
          <label>
            <span className="sr-only">From</span>
            <input type="date" required value={range[0]} max={todayIn(tz)} onChange={(e) => setRange([e.target.value, range[1]])} />
          </label>
          <span aria-hidden="true">–</span>
          <label>
            <span className="sr-only">To</span>
            <input type="date" required value={range[1]} max={todayIn(tz)} onChange={(e) => setRange([range[0], e.target.value])} />
          </label>
          <button type="submit" className="button small">
            Apply
          </button>
        </form>
      ) : null}
      <label className={styles.checkbox}>
        <input type="checkbox" checked={query.compare} onChange={(e) => setQuery({ ...query, compare: e.target.checked })} />
        Compare with previous period
      </label>
    </div>
  );
}
