/**
 * Covers time buckets with rollup rows: each bucket (a UTC interval with its
 * local label) is tiled greedily with whole UTC months, then days, then
 * hours, so a long range reads a few monthly rows instead of thousands of
 * hourly ones. A tile never crosses a bucket edge, so its bucket is the one
 * its start falls in. A bucket whose edges are not whole UTC hours (a zone
 * with a :30 offset) cannot be tiled: the caller then reads the raw tables.
 *
 * Tiles of one level come back as runs of consecutive keys, [start, end),
 * which the builder turns into range conditions on the rollup's time key.
 */
import type { Bucket } from './period';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type Level = 'hour' | 'day' | 'month';

/** Consecutive tiles of one level, as epoch ms [start, end). */
export type Runs = [number, number][];

export type Tiling = Record<Level, Runs>;

function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const isMonthStart = (ms: number) => ms % DAY === 0 && new Date(ms).getUTCDate() === 1;

/**
 * `limits`: a level's tiles must end by then (how far that rollup is
 * complete); the finer levels fill in. Without, every level is complete.
 */
export function tile(bucketsToTile: readonly Bucket[], levels: readonly Level[], limits: Partial<Record<Level, number>> = {}): Tiling | null {
  const out: Tiling = { hour: [], day: [], month: [] };
  const limit = (l: Level) => limits[l] ?? Infinity;
  const push = (level: Level, start: number, end: number) => {
    const runs = out[level];
    const last = runs[runs.length - 1];
    if (last && last[1] === start) last[1] = end;
    else runs.push([start, end]);
  };
  for (const b of bucketsToTile) {
    if (b.startMs % HOUR !== 0 || b.endMs % HOUR !== 0) return null;
    let t = b.startMs;
    while (t < b.endMs) {
      const month = nextMonth(t);
      if (levels.includes('month') && isMonthStart(t) && month <= b.endMs && month <= limit('month')) {
        push('month', t, month);
        t = month;
      } else if (levels.includes('day') && t % DAY === 0 && t + DAY <= b.endMs && t + DAY <= limit('day')) {
        push('day', t, t + DAY);
        t += DAY;
      } else {
        if (t + HOUR > limit('hour')) return null;
        push('hour', t, t + HOUR);
        t += HOUR;
      }
    }
  }
  return out;
}
