/**
 * Dates in the site's time zone: Stats API periods → inclusive date ranges,
 * date ranges → UTC instants, and the time buckets of a timeseries (each a
 * local label plus the UTC interval it covers, DST included).
 */
import type { DateRange, Interval, Period } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock time in `tz` at the UTC instant `ms`. */
export function localParts(ms: number, tz: string): LocalParts {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(ms)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

function offsetMs(ms: number, tz: string): number {
  const l = localParts(ms, tz);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The UTC instant of a wall-clock time in `tz` (in a DST gap: the first instant after it). */
export function zonedToUtc(tz: string, year: number, month: number, day: number, hour = 0): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  const first = guess - offsetMs(guess, tz);
  const second = guess - offsetMs(first, tz);
  return first === second ? first : Math.max(first, second);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function parseDate(s: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a date: ${s}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) throw new Error(`not a date: ${s}`);
  return { year, month, day };
}

export function isValidDate(s: string): boolean {
  try {
    parseDate(s);
    return true;
  } catch {
    return false;
  }
}

/** Calendar arithmetic on YYYY-MM-DD strings (no time zone involved). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  const d = new Date(Date.UTC(year, month - 1, day) + days * DAY);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function startOfMonth(date: string, monthsToAdd = 0): string {
  const { year, month } = parseDate(date);
  const d = new Date(Date.UTC(year, month - 1 + monthsToAdd, 1));
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function endOfMonth(date: string): string {
  return addDays(startOfMonth(date, 1), -1);
}

export function daysBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY);
}

export function todayIn(tz: string, now: Date): string {
  const l = localParts(now.getTime(), tz);
  return formatDate(l.year, l.month, l.day);
}

/**
 * A Stats API period as an inclusive local date range. `date` anchors every
 * period but `custom`, where it is the range itself (already split).
 */
export function resolvePeriod(period: Period, anchor: string | DateRange | undefined, tz: string, now: Date): DateRange {
  if (period === 'custom') {
    if (!anchor || typeof anchor === 'string') throw new Error('custom period needs a date range');
    return anchor;
  }
  const end = typeof anchor === 'string' ? anchor : todayIn(tz, now);
  switch (period) {
    case 'day':
      return { from: end, to: end };
    case '7d':
      return { from: addDays(end, -6), to: end };
    case '30d':
      return { from: addDays(end, -29), to: end };
    case 'month':
      return { from: startOfMonth(end), to: endOfMonth(end) };
    case '6mo':
      return { from: startOfMonth(end, -5), to: endOfMonth(end) };
    case '12mo':
      return { from: startOfMonth(end, -11), to: endOfMonth(end) };
  }
}

/** The range of the same length that ends the day before `range` starts. */
export function previousPeriod(range: DateRange): DateRange {
  const days = daysBetween(range.from, range.to) + 1;
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

export const defaultInterval = (period: Period): Interval =>
  period === 'day' ? 'hour' : period === '6mo' || period === '12mo' ? 'month' : 'date';

/** [from, to) in UTC epoch ms: local midnight of `from` to local midnight after `to`. */
export function utcBounds(range: DateRange, tz: string): { fromMs: number; toMs: number } {
  const f = parseDate(range.from);
  const t = parseDate(addDays(range.to, 1));
  return { fromMs: zonedToUtc(tz, f.year, f.month, f.day), toMs: zonedToUtc(tz, t.year, t.month, t.day) };
}

export interface Bucket {
  /** As the API reports it: `2024-01-31`, `2024-01-01` (month) or `2024-01-31 13:00:00`. */
  label: string;
  startMs: number;
  endMs: number;
}

/** The buckets of a timeseries over `range`, in order, covering it without gaps. */
export function buckets(range: DateRange, interval: Interval, tz: string): Bucket[] {
  const out: Bucket[] = [];
  if (interval === 'hour') {
    // Walk in quarter hours so zones with :30/:45 offsets and DST changes
    // come out right; consecutive steps with the same local hour merge.
    const { fromMs, toMs } = utcBounds(range, tz);
    for (let t = fromMs; t < toMs; t += HOUR / 4) {
      const l = localParts(t, tz);
      const label = `${formatDate(l.year, l.month, l.day)} ${pad(l.hour)}:00:00`;
      const last = out[out.length - 1];
      if (last && last.label === label && last.endMs === t) last.endMs = t + HOUR / 4;
      else out.push({ label, startMs: t, endMs: t + HOUR / 4 });
    }
    return out;
  }
  let d = interval === 'month' ? startOfMonth(range.from) : range.from;
  while (d <= range.to) {
    const next = interval === 'month' ? startOfMonth(d, 1) : addDays(d, 1);
    const start = d < range.from ? range.from : d;
    const end = next > addDays(range.to, 1) ? addDays(range.to, 1) : next;
    const s = parseDate(start);
    const e = parseDate(end);
    out.push({ label: d, startMs: zonedToUtc(tz, s.year, s.month, s.day), endMs: zonedToUtc(tz, e.year, e.month, e.day) });
    d = next;
  }
  return out;
}

/** Epoch ms → the DateTime64(3) text ClickHouse reads as UTC. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
