/** Display formatting for metrics, changes, dates and countries. */
import type { Interval, Metric } from '@/db/stats';

export const METRIC_LABELS: Record<Metric, string> = {
  visitors: 'Unique visitors',
  visits: 'Total visits',
  pageviews: 'Total pageviews',
  views_per_visit: 'Views per visit',
  bounce_rate: 'Bounce rate',
  visit_duration: 'Visit duration',
  events: 'Total events',
  conversion_rate: 'Conversion rate',
};

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const full = new Intl.NumberFormat('en');

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Math.abs(n) >= 10_000 ? compact.format(n) : full.format(Math.round(n * 100) / 100);
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatMetric(metric: Metric, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  switch (metric) {
    case 'bounce_rate':
    case 'conversion_rate':
      return `${Math.round(value * 10) / 10}%`;
    case 'visit_duration':
      return formatDuration(value);
    case 'views_per_visit':
      return (Math.round(value * 100) / 100).toFixed(2);
    default:
      return formatNumber(value);
  }
}

/** A lower bounce rate is good news; for everything else up is good. */
export function changeTone(metric: Metric, change: number): 'good' | 'bad' | 'flat' {
  if (change === 0) return 'flat';
  const up = change > 0;
  return (metric === 'bounce_rate' ? !up : up) ? 'good' : 'bad';
}

/** Counts change in percent; rates (bounce, conversion) in percentage points, as the Stats API computes them. */
export function formatChange(metric: Metric, change: number): string {
  const arrow = change > 0 ? '↑' : change < 0 ? '↓' : '';
  const points = metric === 'bounce_rate' || metric === 'conversion_rate';
  return `${arrow}${Math.abs(Math.round(change * 10) / 10)}${points ? ' pp' : '%'}`;
}

/** API date ("2024-05-01" or "2024-05-01 13:00:00") → a short axis/tooltip label. */
export function formatBucket(date: string, interval: Interval, long = false): string {
  const [day, time] = date.split(/[ T]/);
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  const opts: Intl.DateTimeFormatOptions = { timeZone: 'UTC' };
  if (interval === 'hour') return long ? `${d.toLocaleDateString('en', { ...opts, month: 'short', day: 'numeric' })}, ${time?.slice(0, 5) ?? ''}` : (time?.slice(0, 5) ?? date);
  if (interval === 'month') return d.toLocaleDateString('en', { ...opts, month: long ? 'long' : 'short', year: 'numeric' });
  return d.toLocaleDateString('en', { ...opts, month: 'short', day: 'numeric', ...(long ? { weekday: 'short', year: 'numeric' } : {}) });
}

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/i.test(code)) return code || 'Unknown';
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export function countryFlag(code: string): string {
  if (!/^[A-Z]{2}$/i.test(code)) return '';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
