/**
 * Covers time buckets with rollup rows: each bucket (a UTC interval with its
 * local label) is tiled greedily with whole UTC months, then days, then
 * hours, so a long range reads a few monthly rows instead of thousands of
 * hourly ones. A bucket whose edges are not whole UTC hours (a zone with a
 * :30 offset) cannot be tiled: the caller then reads the raw tables.
 */
import type { Bucket } from './period';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type Level = 'hour' | 'day' | 'month';

export interface TileList {
  /** Row keys as ClickHouse text: `2024-01-31 13:00:00`, `2024-01-31`, `2024-01-01`. */
  keys: string[];
  /** The bucket label of each key. */
  labels: string[];
}

export type Tiling = Record<Level, TileList>;

const iso = (ms: number) => new Date(ms).toISOString();
const keyOf = (level: Level, ms: number) =>
  level === 'hour' ? iso(ms).slice(0, 13).replace('T', ' ') + ':00:00' : level === 'day' ? iso(ms).slice(0, 10) : iso(ms).slice(0, 8) + '01';

function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const isMonthStart = (ms: number) => ms % DAY === 0 && new Date(ms).getUTCDate() === 1;

export function tile(bucketsToTile: readonly Bucket[], levels: readonly Level[]): Tiling | null {
  const out: Tiling = { hour: { keys: [], labels: [] }, day: { keys: [], labels: [] }, month: { keys: [], labels: [] } };
  const push = (level: Level, ms: number, label: string) => {
    out[level].keys.push(keyOf(level, ms));
    out[level].labels.push(label);
  };
  for (const b of bucketsToTile) {
    if (b.startMs % HOUR !== 0 || b.endMs % HOUR !== 0) return null;
    let t = b.startMs;
    while (t < b.endMs) {
      if (levels.includes('month') && isMonthStart(t) && nextMonth(t) <= b.endMs) {
        push('month', t, b.label);
        t = nextMonth(t);
      } else if (levels.includes('day') && t % DAY === 0 && t + DAY <= b.endMs) {
        push('day', t, b.label);
        t += DAY;
      } else {
        push('hour', t, b.label);
        t += HOUR;
      }
    }
  }
  return out;
}
