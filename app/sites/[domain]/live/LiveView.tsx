/**
 * The live view of one site: visitors online, pageviews and events per
 * minute for the last 30 minutes, top pages / sources / countries / devices
 * right now, and a feed of recent events; all under one filter, all pushed
 * over socket.io (lib/live/PROTOCOL.md). Clicking a row filters by it.
 */
'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { Chart } from '@/app/components/chart/Chart';
import { LiveSubscription, type LiveStatus } from '@/lib/live/client';
import {
  FILTER_DIMENSIONS,
  MINUTE_MS,
  WINDOW_MINUTES,
  filterKey,
  topList,
  type FeedItem,
  type FilterDimension,
  type LiveFilter,
  type LiveState,
  type TopDimension,
} from '@/lib/live/protocol';
import styles from './live.module.css';

const DIMENSION_LABELS: Record<FilterDimension, string> = {
  page: 'Page',
  source: 'Source',
  country: 'Country',
  device: 'Device',
  name: 'Event',
};

const TOP_CARDS: { dim: TopDimension; title: string }[] = [
  { dim: 'page', title: 'Pages' },
  { dim: 'source', title: 'Sources' },
  { dim: 'country', title: 'Countries' },
  { dim: 'device', title: 'Devices' },
];

const regionNames = typeof Intl !== 'undefined' && 'DisplayNames' in Intl ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

function countryName(code: string): string {
  if (!code) return 'Unknown';
  if (code.length !== 2) return code;
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

function flag(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

function label(dim: FilterDimension, value: string): string {
  if (dim === 'source') return value || 'Direct / None';
  if (dim === 'country') return `${flag(value)} ${countryName(value)}`.trim();
  if (dim === 'device' || dim === 'page' || dim === 'name') return value || '(none)';
  return value;
}

function timeAgo(t: number, now: number): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  return `${Math.floor(s / 60)}m ago`;
}

const hhmm = (m: number) => new Date(m).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Keeps the filter in the address bar (shareable) without a navigation. */
function writeFilterToUrl(filter: LiveFilter) {
  const url = new URL(window.location.href);
  for (const d of FILTER_DIMENSIONS) url.searchParams.delete(d);
  for (const d of FILTER_DIMENSIONS) if (filter[d] !== undefined) url.searchParams.set(d, filter[d]!);
  window.history.replaceState(null, '', url);
}

function useLive(domain: string, filter: LiveFilter, shareToken: string | undefined) {
  const [state, setState] = useState<LiveState | null>(null);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const sub = useRef<LiveSubscription | null>(null);
  const applied = useRef('');
  const key = filterKey(filter);

  useEffect(() => {
    const socket: Socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], auth: shareToken ? { token: shareToken } : {} });
    applied.current = key;
    sub.current = new LiveSubscription(socket, {
      domain,
      filter,
      onState: (s, st) => {
        setState(s);
        setStatus(st);
      },
    });
    return () => {
      sub.current?.close();
      sub.current = null;
      socket.close();
    };
    // The filter is applied by the effect below without reconnecting.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [domain, shareToken]);

  useEffect(() => {
    if (applied.current === key) return;
    applied.current = key;
    sub.current?.setFilter(filter);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return { state, status };
}

export function LiveView({ domain, initialFilter, shareToken }: { domain: string; initialFilter: LiveFilter; shareToken?: string }) {
  const [filter, setFilter] = useState<LiveFilter>(initialFilter);
  const { state, status } = useLive(domain, filter, shareToken);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);

  const update = (next: LiveFilter) => {
    setFilter(next);
    writeFilterToUrl(next);
  };
  const addFilter = (dim: FilterDimension, value: string) => update({ ...filter, [dim]: value });
  const removeFilter = (dim: FilterDimension) => {
    const next = { ...filter };
    delete next[dim];
    update(next);
  };

  const series = useMemo(() => {
    if (!state) return [];
    return Array.from({ length: WINDOW_MINUTES + 1 }, (_, i) => {
      const minute = state.minute - (WINDOW_MINUTES - i) * MINUTE_MS;
      const [pageviews, events] = state.series.get(minute) ?? [0, 0];
      return { minute: String(minute), pageviews, events };
    });
  }, [state]);

  const error = typeof status === 'object' ? status : null;

  return (
    <main className={styles.page}>
      <header className={styles.header}>
        <div>
          <h1 className={styles.title}>{domain}</h1>
          <p className={styles.subtitle}>Live view</p>
        </div>
        <StatusBadge status={status} />
      </header>

      <FilterBar filter={filter} onAdd={addFilter} onRemove={removeFilter} />

      {error ? (
        <p className={styles.error} role="alert" data-testid="live-error">
          {error.error === 'forbidden' ? 'You may not watch this site.' : (error.detail ?? 'Live updates are unavailable.')}
        </p>
      ) : null}

      <section className={styles.hero} aria-live="polite">
        <span className={styles.dot} aria-hidden="true" />
        <strong className={styles.online} data-testid="live-online">
          {state ? state.online.toLocaleString() : '–'}
        </strong>
        <span>visitor{state?.online === 1 ? '' : 's'} online now</span>
        <span className={styles.muted}>(active in the last 5 minutes)</span>
        {state && !state.complete ? <span className={styles.muted}> · history before this server started is missing</span> : null}
      </section>

      <section className={styles.card}>
        <h2 className={styles.cardTitle}>
          Per minute, last 30 minutes
          <span className={styles.legend} aria-hidden="true">
            <span className={styles.swatch} style={{ background: 'var(--chart-1)' }} /> Pageviews
            <span className={styles.swatch} style={{ background: 'var(--chart-2)' }} /> Events
          </span>
        </h2>
        <Chart
          data={series}
          xKey="minute"
          kind="bar"
          height={220}
          label="Pageviews and events per minute over the last 30 minutes"
          series={[
            { key: 'pageviews', label: 'Pageviews' },
            { key: 'events', label: 'Events' },
          ]}
          formatX={(m) => hhmm(Number(m))}
        />
      </section>

      <div className={styles.grid}>
        {TOP_CARDS.map(({ dim, title }) => (
          <TopCard key={dim} title={title} dim={dim} entries={state ? topList(state.top[dim], 10) : []} active={filter[dim]} onPick={addFilter} />
        ))}
      </div>

      <section className={styles.card}>
        <h2 className={styles.cardTitle}>Recent events</h2>
        <Feed items={state?.feed ?? []} now={now} onPick={addFilter} />
      </section>
    </main>
  );
}

function StatusBadge({ status }: { status: LiveStatus }) {
  const text = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : status === 'reconnecting' ? 'Reconnecting…' : 'Unavailable';
  return (
    <span className={`${styles.badge} ${status === 'live' ? styles.badgeLive : ''}`} data-testid="live-status">
      {text}
    </span>
  );
}

function FilterBar({ filter, onAdd, onRemove }: { filter: LiveFilter; onAdd: (d: FilterDimension, v: string) => void; onRemove: (d: FilterDimension) => void }) {
  const [dim, setDim] = useState<FilterDimension>('page');
  const [value, setValue] = useState('');
  const active = FILTER_DIMENSIONS.filter((d) => filter[d] !== undefined);
  return (
    <div className={styles.filters}>
      {active.map((d) => (
        <span key={d} className={styles.chip} data-testid={`live-filter-${d}`}>
          {DIMENSION_LABELS[d]} is <strong>{label(d, filter[d]!)}</strong>
          <button type="button" aria-label={`Remove ${DIMENSION_LABELS[d]} filter`} onClick={() => onRemove(d)}>
            ×
          </button>
        </span>
      ))}
      <form
        className={styles.filterForm}
        onSubmit={(e) => {
          e.preventDefault();
          onAdd(dim, dim === 'country' ? value.trim().toUpperCase() : value.trim());
          setValue('');
        }}
      >
        <select aria-label="Filter by" value={dim} onChange={(e) => setDim(e.target.value as FilterDimension)}>
          {FILTER_DIMENSIONS.map((d) => (
            <option key={d} value={d}>
              {DIMENSION_LABELS[d]}
            </option>
          ))}
        </select>
        <input aria-label="Filter value" placeholder={dim === 'page' ? '/pricing' : dim === 'country' ? 'DE' : ''} value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit">Filter</button>
      </form>
    </div>
  );
}

function TopCard({ title, dim, entries, active, onPick }: { title: string; dim: TopDimension; entries: [string, number][]; active?: string; onPick: (d: FilterDimension, v: string) => void }) {
  const max = entries[0]?.[1] ?? 1;
  return (
    <section className={styles.card} data-testid={`live-top-${dim}`}>
      <h2 className={styles.cardTitle}>
        {title} <span className={styles.muted}>· visitors now</span>
      </h2>
      {entries.length === 0 ? <p className={styles.muted}>Nobody right now.</p> : null}
      <ol className={styles.list}>
        {entries.map(([value, n]) => (
          <li key={value}>
            <button type="button" className={styles.row} disabled={active === value} onClick={() => onPick(dim, value)} title={`Filter by ${value || 'this'}`}>
              <span className={styles.bar} style={{ width: `${(100 * n) / max}%` }} aria-hidden="true" />
              <span className={styles.rowLabel}>{label(dim, value)}</span>
              <span className={styles.rowValue}>{n.toLocaleString()}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Feed({ items, now, onPick }: { items: FeedItem[]; now: number; onPick: (d: FilterDimension, v: string) => void }) {
  if (items.length === 0) return <p className={styles.muted}>No events in the last 30 minutes.</p>;
  return (
    <ol className={styles.feed} data-testid="live-feed">
      {items.map((f, i) => (
        <li key={`${f.t}-${i}`}>
          <span className={styles.muted}>{timeAgo(f.t, Math.max(now, f.t))}</span>
          <button type="button" className={styles.link} onClick={() => onPick('name', f.name)}>
            {f.name}
          </button>
          <button type="button" className={styles.link} onClick={() => onPick('page', f.page)}>
            {f.page}
          </button>
          <span>
            {flag(f.country)} {f.city || countryName(f.country)}
          </span>
          <span className={styles.muted}>
            {label('source', f.source)} · {f.device} · {f.browser}
          </span>
        </li>
      ))}
    </ol>
  );
}
