import { describe, expect, it } from 'vitest';
import { buckets, previousPeriod, resolvePeriod, todayIn, utcBounds, zonedToUtc } from '../../db/stats/period';

const iso = (ms: number) => new Date(ms).toISOString();

describe('periods in the site time zone', () => {
  const now = new Date('2024-03-10T03:30:00Z'); // still 9 March in New York

  it('today depends on the zone', () => {
    expect(todayIn('UTC', now)).toBe('2024-03-10');
    expect(todayIn('America/New_York', now)).toBe('2024-03-09');
    expect(todayIn('Asia/Kolkata', now)).toBe('2024-03-10');
  });

  it('resolves every period, anchored by date or today', () => {
    const tz = 'America/New_York';
    expect(resolvePeriod('day', undefined, tz, now)).toEqual({ from: '2024-03-09', to: '2024-03-09' });
    expect(resolvePeriod('day', '2024-02-29', tz, now)).toEqual({ from: '2024-02-29', to: '2024-02-29' });
    expect(resolvePeriod('7d', undefined, tz, now)).toEqual({ from: '2024-03-03', to: '2024-03-09' });
    expect(resolvePeriod('30d', '2024-03-01', tz, now)).toEqual({ from: '2024-02-01', to: '2024-03-01' });
    expect(resolvePeriod('month', '2024-02-10', tz, now)).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(resolvePeriod('6mo', undefined, tz, now)).toEqual({ from: '2023-10-01', to: '2024-03-31' });
    expect(resolvePeriod('12mo', '2024-01-15', tz, now)).toEqual({ from: '2023-02-01', to: '2024-01-31' });
    expect(resolvePeriod('custom', { from: '2024-01-01', to: '2024-01-05' }, tz, now)).toEqual({ from: '2024-01-01', to: '2024-01-05' });
  });

  it('previous period: same length, just before', () => {
    expect(previousPeriod({ from: '2024-03-01', to: '2024-03-31' })).toEqual({ from: '2024-01-30', to: '2024-02-29' });
    expect(previousPeriod({ from: '2024-03-10', to: '2024-03-10' })).toEqual({ from: '2024-03-09', to: '2024-03-09' });
  });

  it('UTC bounds are local midnights, across DST', () => {
    const b = utcBounds({ from: '2024-03-09', to: '2024-03-10' }, 'America/New_York');
    expect([iso(b.fromMs), iso(b.toMs)]).toEqual(['2024-03-09T05:00:00.000Z', '2024-03-11T04:00:00.000Z']);
    const k = utcBounds({ from: '2024-01-01', to: '2024-01-01' }, 'Asia/Kolkata');
    expect([iso(k.fromMs), iso(k.toMs)]).toEqual(['2023-12-31T18:30:00.000Z', '2024-01-01T18:30:00.000Z']);
    expect(iso(zonedToUtc('America/New_York', 2024, 3, 10, 2))).toBe('2024-03-10T07:00:00.000Z'); // in the gap: first instant after
    expect(iso(zonedToUtc('America/New_York', 2024, 11, 3, 1))).toBe('2024-11-03T05:00:00.000Z'); // ambiguous: the first one
  });

  it('hour buckets: 23 on the spring-forward day, 25 hours in 24 buckets in the fall', () => {
    const spring = buckets({ from: '2024-03-10', to: '2024-03-10' }, 'hour', 'America/New_York');
    expect(spring).toHaveLength(23);
    expect(spring.map((b) => b.label.slice(11, 13))).not.toContain('02');
    const fall = buckets({ from: '2024-11-03', to: '2024-11-03' }, 'hour', 'America/New_York');
    expect(fall).toHaveLength(24);
    expect(fall[1]).toEqual({ label: '2024-11-03 01:00:00', startMs: Date.parse('2024-11-03T05:00:00Z'), endMs: Date.parse('2024-11-03T07:00:00Z') });
  });

  it('date and month buckets carry their UTC span', () => {
    expect(buckets({ from: '2024-01-30', to: '2024-02-01' }, 'date', 'America/New_York').map((b) => [b.label, iso(b.startMs)])).toEqual([
      ['2024-01-30', '2024-01-30T05:00:00.000Z'],
      ['2024-01-31', '2024-01-31T05:00:00.000Z'],
      ['2024-02-01', '2024-02-01T05:00:00.000Z'],
    ]);
    const months = buckets({ from: '2024-01-15', to: '2024-03-31' }, 'month', 'UTC');
    expect(months.map((b) => [b.label, iso(b.startMs), iso(b.endMs)])).toEqual([
      ['2024-01-01', '2024-01-15T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
      ['2024-02-01', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['2024-03-01', '2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
    ]);
  });
});
