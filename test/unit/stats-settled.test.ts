/**
 * The outer query of a two-part report, done in JS over the kept settled
 * rows and the live rows (db/stats/settled.ts). The integration tests check
 * it against ClickHouse's own outer query on real data; these pin the rules
 * one by one.
 */
import { describe, expect, it } from 'vitest';
import type { Finish } from '../../db/stats/builder';
import { compareText, finish, group } from '../../db/stats/settled';

const EVENT = ['f_visitors', 'f_pageviews', 'f_events'];
const VISIT = ['f_visits', 'f_bounces', 'f_bounce_base', 'f_duration', 'f_pageviews'];

const run = (settled: Record<string, unknown>[], live: Record<string, unknown>[], f: Finish) => finish(group(settled, f), group(live, f), f);

describe('two-part reports: the outer query in JS', () => {
  it('sums each group across the parts, with 64-bit metrics as strings', () => {
    const f: Finish = { groups: ['d_value'], finals: EVENT, metrics: ['visitors', 'events'] };
    const rows = run(
      [
        { d_value: '/a', f_visitors: '3', f_pageviews: '4', f_events: '5' },
        { d_value: '/b', f_visitors: '1', f_pageviews: '1', f_events: '1' },
      ],
      [
        { d_value: '/a', f_visitors: '2', f_pageviews: '2', f_events: '2' },
        { d_value: '/c', f_visitors: '7', f_pageviews: '7', f_events: '9' },
      ],
      f,
    );
    expect(rows.sort((a, b) => String(a.d_value).localeCompare(String(b.d_value)))).toEqual([
      { d_value: '/a', m_visitors: '5', m_events: '7' },
      { d_value: '/b', m_visitors: '1', m_events: '1' },
      { d_value: '/c', m_visitors: '7', m_events: '9' },
    ]);
  });

  it('a total is one row, and visit metrics round half up as the SQL does', () => {
    const f: Finish = { groups: [], finals: VISIT, metrics: ['visits', 'bounce_rate', 'visit_duration', 'views_per_visit'] };
    // 3 visits, 1 bounce: 33.3% → 33; 2,500 ms over 3 visits → 0.83 s → 1; 5 pageviews / 3 → 1.67 → 1.67 (167).
    const rows = run([{ f_visits: 2, f_bounces: 1, f_bounce_base: 2, f_duration: 1000, f_pageviews: 3 }], [{ f_visits: 1, f_bounces: 0, f_bounce_base: 1, f_duration: 1500, f_pageviews: 2 }], f);
    expect(rows).toEqual([{ m_visits: '3', m_bounce_rate: '33', m_visit_duration: '1', m_views_per_visit: '167' }]);
    // Exactly half rounds up: 1 bounce of 8 visits = 12.5% → 13; no visits → 0.
    expect(run([{ f_visits: 8, f_bounces: 1, f_bounce_base: 8, f_duration: 0, f_pageviews: 8 }], [], f)[0]!.m_bounce_rate).toBe('13');
    expect(run([{ f_visits: 0, f_bounces: 0, f_bounce_base: 0, f_duration: 0, f_pageviews: 0 }], [], f)[0]).toEqual({ m_visits: '0', m_bounce_rate: '0', m_visit_duration: '0', m_views_per_visit: '0' });
  });

  it('orders by the metric, then the value; paginates', () => {
    const f: Finish = { groups: ['d_value'], finals: EVENT, metrics: ['visitors'], order: { by: 'visitors', parent: false, limit: 2, offset: 1 } };
    const row = (d_value: string, v: number) => ({ d_value, f_visitors: v, f_pageviews: v, f_events: v });
    const rows = run([row('b', 5), row('a', 5), row('c', 9), row('d', 1)], [row('d', 3)], f);
    // c 9, a 5, b 5, d 4 → page from the second row
    expect(rows.map((r) => r.d_value)).toEqual(['a', 'b']);
  });

  it('keeps the top rows of each dimension, and only the asked keys', () => {
    const f: Finish = { groups: ['d_dim', 'd_value'], finals: EVENT, metrics: ['visitors'], order: { by: 'visitors', parent: false, limitBy: 1 } };
    const row = (d_dim: number, d_value: string, v: number) => ({ d_dim, d_value, f_visitors: v, f_pageviews: 0, f_events: 0 });
    const rows = run([row(1, 'x', 1), row(0, 'a', 2), row(0, 'b', 3), row(1, 'y', 2)], [row(0, 'a', 5)], f);
    expect(rows).toEqual([
      { d_dim: 0, d_value: 'a', m_visitors: '7' },
      { d_dim: 1, d_value: 'y', m_visitors: '2' },
    ]);
    const goals: Finish = { groups: ['d_value'], finals: EVENT, metrics: ['visitors'], keys: ['Signup'] };
    expect(run([{ d_value: 'Signup', f_visitors: 1, f_pageviews: 0, f_events: 1 }, { d_value: 'Other', f_visitors: 1, f_pageviews: 0, f_events: 1 }], [], goals)).toEqual([{ d_value: 'Signup', m_visitors: '1' }]);
  });

  it('versions order by parent, then value', () => {
    const f: Finish = { groups: ['d_value', 'd_parent'], finals: EVENT, metrics: ['visitors'], order: { by: 'visitors', parent: true } };
    const row = (d_parent: string, d_value: string) => ({ d_parent, d_value, f_visitors: 1, f_pageviews: 0, f_events: 0 });
    const rows = run([row('Safari', '17'), row('Chrome', '120'), row('Chrome', '119')], [], f);
    expect(rows.map((r) => `${r.d_parent} ${r.d_value}`)).toEqual(['Chrome 119', 'Chrome 120', 'Safari 17']);
  });

  it('compares text as ClickHouse does (UTF-8 bytes, so code points)', () => {
    const sorted = ['b', '\u{1F600}', '\uFF5E', 'a', 'ab', ''].sort(compareText);
    expect(sorted).toEqual(['', 'a', 'ab', 'b', '\uFF5E', '\u{1F600}']);
    expect([...sorted].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))).toEqual(sorted);
  });

  it('the top rows from the presorted settled groups are those of a full sort, for any page', () => {
    // A small PRNG, so a failure replays.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    // A reference outer query: every group summed, fully sorted, then limited.
    const reference = (settled: Record<string, unknown>[], live: Record<string, unknown>[], f: Finish) => {
      const sums = new Map<string, { d_dim: number; d_value: string; v: number }>();
      for (const r of [...settled, ...live]) {
        const key = `${r.d_dim}|${r.d_value}`;
        const g = sums.get(key) ?? { d_dim: r.d_dim as number, d_value: r.d_value as string, v: 0 };
        g.v += r.f_visitors as number;
        sums.set(key, g);
      }
      let rows = [...sums.values()].filter((g) => !f.keys || f.keys.includes(g.d_value));
      rows.sort((a, b) => a.d_dim - b.d_dim || b.v - a.v || compareText(a.d_value, b.d_value));
      const o = f.order!;
      if (o.limitBy !== undefined) rows = rows.filter((r, i) => rows.slice(0, i).filter((x) => x.d_dim === r.d_dim).length < o.limitBy!);
      else rows = rows.slice(o.offset ?? 0, (o.offset ?? 0) + (o.limit ?? Infinity));
      return rows.map((r) => ({ d_dim: r.d_dim, d_value: r.d_value, m_visitors: String(r.v) }));
    };
    for (let round = 0; round < 200; round++) {
      const row = () => ({ d_dim: rnd(3), d_value: `v${rnd(30)}`, f_visitors: rnd(6), f_pageviews: 0, f_events: 0 });
      const settled = Array.from({ length: rnd(60) }, row);
      const live = Array.from({ length: rnd(20) }, row);
      const order =
        round % 3 === 0 ? { by: 'visitors', parent: false, limitBy: 1 + rnd(4) } : { by: 'visitors', parent: false, limit: 1 + rnd(5), offset: rnd(4) };
      const f: Finish = { groups: ['d_dim', 'd_value'], finals: EVENT, metrics: ['visitors'], order, keys: round % 5 === 0 ? ['v1', 'v2', 'v3'] : undefined };
      const kept = group(settled, f);
      // Twice on the same kept groups: the second run reads the ranking the first one made.
      for (let i = 0; i < 2; i++) expect(finish(kept, group(live, f), f)).toEqual(reference(settled, live, f));
    }
  });
});
