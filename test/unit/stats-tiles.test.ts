import { describe, expect, it } from 'vitest';
import { throughToday, tile, tileSplit } from '../../db/stats/tiles';

const T = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const runs = (r: [number, number][]) => r.map(([a, b]) => `${iso(a)}..${iso(b)}`);
const bucket = (from: string, to: string) => ({ label: 'x', startMs: T(from), endMs: T(to) });
const ALL = ['hour', 'day', 'week', 'month'] as const;

describe('tiling periods with rollup levels', () => {
  it('a 30-day New York period: weeks in the middle, days and hours at the edges', () => {
    const t = tile([bucket('2024-01-02T05:00:00Z', '2024-02-01T05:00:00Z')], ALL)!;
    expect(runs(t.month)).toEqual([]);
    expect(runs(t.week)).toEqual(['2024-01-08T00:00..2024-01-29T00:00']); // Mondays
    expect(runs(t.day)).toEqual(['2024-01-03T00:00..2024-01-08T00:00', '2024-01-29T00:00..2024-02-01T00:00']);
    expect(runs(t.hour)).toEqual(['2024-01-02T05:00..2024-01-03T00:00', '2024-02-01T00:00..2024-02-01T05:00']);
  });

  it('a UTC year: whole months only', () => {
    const t = tile([bucket('2023-01-01T00:00:00Z', '2024-01-01T00:00:00Z')], ALL)!;
    expect(runs(t.month)).toEqual(['2023-01-01T00:00..2024-01-01T00:00']);
    expect([t.week, t.day, t.hour]).toEqual([[], [], []]);
  });

  it('covers every bucket exactly once, without gaps', () => {
    const buckets = [bucket('2024-03-01T05:00:00Z', '2024-04-01T04:00:00Z'), bucket('2024-04-01T04:00:00Z', '2024-05-01T04:00:00Z')];
    const t = tile(buckets, ALL)!;
    const all = [...t.month, ...t.week, ...t.day, ...t.hour].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < all.length; i++) expect(all[i]![0]).toBe(all[i - 1]![1]);
    expect(all[0]![0]).toBe(T('2024-03-01T05:00:00Z'));
    expect(all.at(-1)![1]).toBe(T('2024-05-01T04:00:00Z'));
  });

  it('respects how far each level is complete', () => {
    const t = tile([bucket('2024-01-01T00:00:00Z', '2024-03-01T00:00:00Z')], ALL, { month: T('2024-02-01T00:00:00Z'), week: T('2024-02-12T00:00:00Z'), day: T('2024-02-20T00:00:00Z') })!;
    expect(runs(t.month)).toEqual(['2024-01-01T00:00..2024-02-01T00:00']);
    expect(runs(t.week)).toEqual(['2024-02-05T00:00..2024-02-12T00:00']);
    expect(runs(t.day)).toEqual(['2024-02-01T00:00..2024-02-05T00:00', '2024-02-12T00:00..2024-02-20T00:00']);
    expect(runs(t.hour)).toEqual(['2024-02-20T00:00..2024-03-01T00:00']);
  });

  it('refuses edges that are not whole UTC hours (zones with :30 offsets)', () => {
    expect(tile([bucket('2023-12-31T18:30:00Z', '2024-01-01T18:30:00Z')], ALL)).toBeNull();
  });
});

describe('splitting a period at the closed-day mark', () => {
  const ny30 = [bucket('2024-01-02T05:00:00Z', '2024-02-01T05:00:00Z')];

  it('closed weeks and days before the mark, sketch days and hours after it and at the edges', () => {
    const t = tileSplit(ny30, T('2024-01-30T00:00:00Z'), ALL)!;
    expect(runs(t.closed.week)).toEqual(['2024-01-08T00:00..2024-01-29T00:00']);
    expect(runs(t.closed.day)).toEqual(['2024-01-03T00:00..2024-01-08T00:00', '2024-01-29T00:00..2024-01-30T00:00']);
    expect(runs(t.closed.hour)).toEqual(['2024-01-02T05:00..2024-01-03T00:00']);
    expect(runs(t.open.day)).toEqual(['2024-01-30T00:00..2024-02-01T00:00']);
    expect(runs(t.open.hour)).toEqual(['2024-02-01T00:00..2024-02-01T05:00']);
    expect([t.open.week, t.open.month]).toEqual([[], []]);
  });

  it('a mark before the period leaves everything open; one after it, nothing', () => {
    const none = tileSplit(ny30, 0, ALL)!;
    expect([none.closed.hour, none.closed.day, none.closed.week, none.closed.month]).toEqual([[], [], [], []]);
    expect(none.open).toEqual(tile(ny30, ALL));
    const all = tileSplit(ny30, T('2024-03-01T00:00:00Z'), ALL)!;
    expect(runs(all.closed.hour)).toEqual(['2024-01-02T05:00..2024-01-03T00:00', '2024-02-01T00:00..2024-02-01T05:00']);
    expect([all.open.hour, all.open.day, all.open.week, all.open.month]).toEqual([[], [], [], []]);
  });

  it('keeps each bucket whole across the two parts', () => {
    const days = [bucket('2024-01-10T00:00:00Z', '2024-01-11T00:00:00Z'), bucket('2024-01-11T00:00:00Z', '2024-01-12T00:00:00Z')];
    const t = tileSplit(days, T('2024-01-11T00:00:00Z'), ALL)!;
    expect(runs(t.closed.day)).toEqual(['2024-01-10T00:00..2024-01-11T00:00']);
    expect(runs(t.open.day)).toEqual(['2024-01-11T00:00..2024-01-12T00:00']);
  });
});

describe('periods that run past now', () => {
  it('skip the buckets after now and end the one holding now at the next UTC midnight', () => {
    const days = [
      { label: '2024-03-09', startMs: T('2024-03-09T05:00:00Z'), endMs: T('2024-03-10T04:00:00Z') },
      { label: '2024-03-10', startMs: T('2024-03-10T04:00:00Z'), endMs: T('2024-03-11T04:00:00Z') },
      { label: '2024-03-11', startMs: T('2024-03-11T04:00:00Z'), endMs: T('2024-03-12T04:00:00Z') },
    ];
    const out = throughToday(days, T('2024-03-10T23:30:00Z'));
    expect(out.map((b) => [b.label, iso(b.startMs), iso(b.endMs)])).toEqual([
      ['2024-03-09', '2024-03-09T05:00', '2024-03-10T04:00'],
      ['2024-03-10', '2024-03-10T04:00', '2024-03-11T00:00'],
    ]);
    // A month holding now: the rest of it is not read.
    const month = [{ label: '2024-03-01', startMs: T('2024-03-01T05:00:00Z'), endMs: T('2024-04-01T04:00:00Z') }];
    expect(throughToday(month, T('2024-03-10T06:00:00Z')).map((b) => iso(b.endMs))).toEqual(['2024-03-11T00:00']);
    // A period already over is left alone.
    expect(throughToday(days, T('2024-03-13T00:00:00Z'))).toEqual(days);
  });
});
