/**
 * The generated SQL: request values only ever travel as bound parameters,
 * and the builder picks rollups only when they can answer.
 */
import { describe, expect, it } from 'vitest';
import { buildEventQuery, buildVisitQuery, type Grouping, type Scope } from '../../db/stats/builder';
import { parseFilters } from '../../db/stats/filters';
import { buckets, utcBounds } from '../../db/stats/period';

const marks = (iso: string) => ({ hour: Date.parse(iso), day: Date.parse(iso), week: Date.parse(iso), month: Date.parse(iso) });

const EVIL = `x' OR 1=1 --{p0:String}" DROP TABLE events`;

function scope(filters = '', tz = 'UTC', range = { from: '2024-01-01', to: '2024-01-31' }): Scope {
  return { site: `site${EVIL}`, timezone: tz, ...utcBounds(range, tz), filters: parseFilters(filters) };
}

/** Every placeholder in the SQL has a value, and no value's text appears in the SQL. */
function expectBound(sql: string, params: Record<string, unknown>) {
  const placeholders = [...sql.matchAll(/\{(p\d+):[^}]+\}/g)].map((m) => m[1]);
  expect(new Set(placeholders)).toEqual(new Set(Object.keys(params)));
  expect(sql).not.toContain('DROP TABLE');
  expect(sql).not.toContain("x'");
  expect(sql).not.toContain('OR 1=1');
}

const evilFilters = [
  `event:page==/blog/${EVIL}`,
  `event:page==/a*${EVIL}**`,
  `visit:source!=${EVIL}|Google`,
  `event:props:${EVIL}==${EVIL}`,
  `event:goal==${EVIL}|Visit /x/${EVIL}*`,
  `visit:entry_page==${EVIL}`,
].join(';');

describe('SQL shape', () => {
  const groupings: Grouping[] = [
    { kind: 'total' },
    { kind: 'bucket', interval: 'date', buckets: buckets({ from: '2024-01-01', to: '2024-01-31' }, 'date', 'UTC') },
    { kind: 'dim', property: 'event:page', keys: [EVIL], orderBy: 'm_visitors', limit: 10, offset: 20 },
    { kind: 'dim', property: `event:props:${EVIL}`, orderBy: 'm_visitors', limit: 5 },
    { kind: 'dim', property: 'event:goal', goals: [{ name: EVIL, kind: 'page', event_name: '', page_path: `/${EVIL}/**` }] },
    { kind: 'dim', property: 'visit:browser_version', keys: [`Chrome\u001f${EVIL}`] },
  ];

  it('event queries bind every value, raw and rollup', () => {
    for (const g of groupings) {
      for (const rollups of [true, false]) {
        const raw = buildEventQuery(scope(evilFilters), g, ['visitors', 'pageviews', 'events'], { rollups });
        expect(raw.source).toBe('raw');
        expectBound(raw.sql, raw.params);
        expect(JSON.stringify(raw.params)).toContain('DROP TABLE'); // the values did travel, as parameters
        if (g.kind === 'dim' && g.property.startsWith('event:props:')) continue;
        const rolled = buildEventQuery(scope(), g, ['visitors', 'pageviews', 'events'], { rollups });
        expect(rolled.source).toBe(rollups ? 'rollup' : 'raw');
        expectBound(rolled.sql, rolled.params);
      }
    }
  });

  it('visit queries bind every value, raw, rollup and both', () => {
    const visitFilters = `event:page==/blog/${EVIL};visit:country==DE;visit:source!=${EVIL};visit:exit_page==/a*`;
    for (const g of groupings.filter((x) => x.kind !== 'dim' || x.property === 'visit:browser_version')) {
      const q = buildVisitQuery(scope(visitFilters), g, ['visits', 'bounce_rate', 'visit_duration', 'views_per_visit'], { rollups: true, visitMarks: marks('2024-01-20T00:00:00Z') });
      expect(q.source).toBe('raw');
      expectBound(q.sql, q.params);
    }
    const entry: Grouping = { kind: 'dim', property: 'visit:entry_page', keys: [EVIL], orderBy: 'm_visits', limit: 3 };
    const both = buildVisitQuery(scope(`visit:entry_page==${EVIL}`), entry, ['visits', 'visitors'], { rollups: true, visitMarks: marks('2024-01-20T00:00:00Z') });
    expect(both.source).toBe('rollup+raw');
    expectBound(both.sql, both.params);
    const only = buildVisitQuery(scope(), { kind: 'total' }, ['visits'], { rollups: true, visitMarks: marks('2024-03-01T00:00:00Z') });
    expect(only.source).toBe('rollup');
  });

  it('reads rollups only when they can answer', () => {
    const q = (filters: string, g: Grouping, tz = 'UTC') => buildEventQuery(scope(filters, tz), g, ['visitors'], { rollups: true }).source;
    const pages: Grouping = { kind: 'dim', property: 'event:page' };
    expect(q('', pages)).toBe('rollup');
    expect(q('event:page==/blog/**', pages)).toBe('rollup');
    expect(q('visit:country==DE', pages)).toBe('raw');
    expect(q('visit:country==DE', { kind: 'total' })).toBe('rollup');
    expect(q('visit:country==DE;visit:source==Google', { kind: 'total' })).toBe('raw');
    expect(q('event:goal==Signup', { kind: 'total' })).toBe('rollup');
    expect(q('event:goal==Visit /blog/**', { kind: 'total' })).toBe('rollup');
    expect(q('event:goal==Signup|Visit /blog', { kind: 'total' })).toBe('raw');
    expect(q('event:props:plan==pro', { kind: 'total' })).toBe('raw');
    expect(q('visit:browser==Chrome', { kind: 'dim', property: 'visit:browser_version' })).toBe('rollup');
    expect(q('', { kind: 'total' }, 'America/New_York')).toBe('rollup');
    expect(q('', { kind: 'total' }, 'Asia/Kolkata')).toBe('raw'); // :30 offset: no whole UTC hours
  });

  it('tiles long ranges with months, days and hours', () => {
    const built = buildEventQuery(scope('', 'America/New_York', { from: '2023-02-01', to: '2024-01-31' }), { kind: 'total' }, ['visitors'], { rollups: true });
    for (const table of ['stats_monthly', 'stats_weekly', 'stats_daily', 'stats_hourly']) expect(built.sql).toContain(`FROM ${table}`);
    // Local midnight is 05:00 UTC: whole months Mar 2023 – Jan 2024, weeks and days before them, hours at both ends.
    const values = Object.values(built.params);
    for (const bound of ['2023-03-01', '2024-02-01', '2023-02-06', '2023-02-27', '2023-02-02', '2023-02-01 05:00:00', '2024-02-01 05:00:00']) {
      expect(values).toContain(bound);
    }
  });
});
