/**
 * Covers time buckets with rollup rows. Each bucket (a UTC interval with its
 * local label) is covered with the coarsest whole UTC months it contains,
 * then whole weeks (Monday to Monday) on either side, then days, then hours,
 * so a period reads a few coarse rows instead of thousands of hourly ones.
 * A tile never crosses a bucket edge, so its bucket is the one its start
 * falls in. A bucket whose edges are not whole UTC hours (a zone with a
 * :30 offset) cannot be tiled: the caller then reads the raw tables.
 *
 * Tiles of one level come back as runs of consecutive tiles, [start, end),
 * which the builder turns into range conditions on the rollup's time key.
 */
import type { Bucket } from './period';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday of the epoch. */
const MONDAY = 4 * DAY;

export type Level = 'hour' | 'day' | 'week' | 'month';
export const LEVELS: readonly Level[] = ['month', 'week', 'day', 'hour'];

/** Consecutive tiles of one level, as epoch ms [start, end). */
export type Runs = [number, number][];

export type Tiling = Record<Level, Runs>;

/** The first boundary of `level` at or after `t`, and the last at or before it. */
function ceil(level: Level, t: number): number {
  if (level === 'hour') return Math.ceil(t / HOUR) * HOUR;
  if (level === 'day') return Math.ceil(t / DAY) * DAY;
  if (level === 'week') return Math.ceil((t - MONDAY) / WEEK) * WEEK + MONDAY;
  const d = new Date(t);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return start === t ? t : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function floor(level: Level, t: number): number {
  if (level === 'hour') return Math.floor(t / HOUR) * HOUR;
  if (level === 'day') return Math.floor(t / DAY) * DAY;
  if (level === 'week') return Math.floor((t - MONDAY) / WEEK) * WEEK + MONDAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * `levels`: the rollup levels available; `limits`: a level's tiles must end
 * by then (how far that rollup is complete) — finer levels fill in.
 */
export function tile(bucketsToTile: readonly Bucket[], levels: readonly Level[], limits: Partial<Record<Level, number>> = {}): Tiling | null {
  const out: Tiling = { hour: [], day: [], week: [], month: [] };
  const order = LEVELS.filter((l) => l === 'hour' || levels.includes(l));
  const push = (level: Level, start: number, end: number) => out[level].push([start, end]);
  // Covers [a, b) with level order[i] or finer: the coarse middle, then both edges.
  const cover = (a: number, b: number, i: number): boolean => {
    if (a >= b) return true;
    const level = order[i]!;
    if (level === 'hour') {
      if (a % HOUR !== 0 || b % HOUR !== 0 || b > (limits.hour ?? Infinity)) return false;
      push('hour', a, b);
      return true;
    }
    const limit = limits[level];
    const x = ceil(level, a);
    const y = Math.min(floor(level, b), limit === undefined || !Number.isFinite(limit) ? Infinity : floor(level, limit));
    if (x >= y) return cover(a, b, i + 1);
    push(level, x, y);
    return cover(a, x, i + 1) && cover(y, b, i + 1);
  };
  for (const b of bucketsToTile) {
    if (!cover(b.startMs, b.endMs, 0)) return null;
  }
  for (const level of LEVELS) out[level] = merge(out[level]);
  return out;
}

/** Sorted, with touching runs joined. */
function merge(runs: Runs): Runs {
  const sorted = [...runs].sort((a, b) => a[0] - b[0]);
  const out: Runs = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] === a) last[1] = b;
    else out.push([a, b]);
  }
  return out;
}

/**
 * The settled part (before the closed-day marker) and the open part. In
 * `closed`, days, weeks and months are read from the closed-day tables
 * (plain counts) and hours — of a partial edge day — from the sketch hours;
 * `open` is read from the sketch tables.
 */
export interface SplitTiling {
  closed: Tiling;
  open: Tiling;
}

/**
 * Tiles the buckets in two parts at `closedTo` (a UTC midnight: every day
 * before it is closed). Before it, whole days, weeks and months come from
 * the closed-day tables and the hours of a partial edge day from the sketch
 * hours; everything from `closedTo` on from the sketch tables (`levels`
 * within `limits`).
 */
export function tileSplit(
  bucketsToTile: readonly Bucket[],
  closedTo: number,
  levels: readonly Level[],
  limits: Partial<Record<Level, number>> = {},
): SplitTiling | null {
  const before = bucketsToTile.filter((b) => b.startMs < closedTo).map((b) => ({ ...b, endMs: Math.min(b.endMs, closedTo) }));
  const after = bucketsToTile.filter((b) => b.endMs > closedTo).map((b) => ({ ...b, startMs: Math.max(b.startMs, closedTo) }));
  const closed = tile(before, ['day', 'week', 'month'], { hour: limits.hour });
  const open = tile(after, levels, limits);
  if (!closed || !open) return null;
  return { closed, open };
}

/**
 * Nothing is stored after now (event times are the server's), so buckets
 * that start later are skipped, and the one holding now ends at the next UTC
 * midnight: today is then one daily row per value instead of an hourly row
 * per hour so far, and the days, weeks or months still to come in the period
 * are not read at all.
 */
export function throughToday(list: readonly Bucket[], nowMs: number): Bucket[] {
  const midnight = Math.floor(nowMs / DAY) * DAY + DAY;
  return list.filter((b) => b.startMs <= nowMs).map((b) => (b.endMs > nowMs ? { ...b, endMs: midnight } : b));
}
