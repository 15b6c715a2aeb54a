import { describe, expect, it } from 'vitest';
import { extractFor, oneCallUrl, viewOf } from '@/app/components/dashboard/one-call';
import { DEFAULT_QUERY } from '@/app/components/dashboard/query';
import type { DashboardResult } from '@/db/stats';

const CALL = '/api/v1/stats/dashboard?site_id=a.test&period=30d&filters=visit%3Asource%3D%3DGoogle&compare=previous_period&interval=date&limit=11';
const base = 'site_id=a.test&period=30d&filters=visit%3Asource%3D%3DGoogle';

const ALL: DashboardResult = {
  top_stats: { visitors: { value: 5, comparison_value: 4, change: 25 }, visits: { value: 7, comparison_value: 7, change: 0 } },
  timeseries: [{ date: '2026-11-01', visitors: 3 }],
  breakdowns: {
    'event:page': Array.from({ length: 11 }, (_, i) => ({ page: `/p${i}`, visitors: 20 - i, pageviews: 30 - i })),
    'event:name': [{ name: 'Signup', visitors: 2, events: 3 }],
  },
};

describe('the one dashboard call answers the first view of each card', () => {
  it('top stats: the metrics asked for, with the comparison, when the call has them all', () => {
    const x = extractFor(CALL, `/api/v1/stats/aggregate?${base}&metrics=visitors,visits&compare=previous_period`)!;
    expect(x(ALL)).toEqual({ results: { visitors: ALL.top_stats.visitors, visits: ALL.top_stats.visits } });
    // A metric the call did not read: not in there, so the card asks on its own.
    expect(extractFor(CALL, `/api/v1/stats/aggregate?${base}&metrics=visitors,bounce_rate&compare=previous_period`)!(ALL)).toBeUndefined();
    // Without the comparison it is another question.
    expect(extractFor(CALL, `/api/v1/stats/aggregate?${base}&metrics=visitors`)).toBeNull();
  });

  it('the chart: visitors at the interval of the call only', () => {
    expect(extractFor(CALL, `/api/v1/stats/timeseries?${base}&metrics=visitors&interval=date`)!(ALL)).toEqual({ results: ALL.timeseries });
    expect(extractFor(CALL, `/api/v1/stats/timeseries?${base}&metrics=pageviews&interval=date`)).toBeNull();
    expect(extractFor(CALL, `/api/v1/stats/timeseries?${base}&metrics=visitors&interval=month`)).toBeNull();
  });

  it('breakdowns: up to the call limit, first page, only the metrics asked for', () => {
    const pages = extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=event:page&metrics=visitors&limit=3`)!(ALL);
    expect(pages).toEqual({ results: [{ page: '/p0', visitors: 20 }, { page: '/p1', visitors: 19 }, { page: '/p2', visitors: 18 }] });
    const both = extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=event:page&metrics=visitors,pageviews&limit=11`)!(ALL);
    expect(both).toEqual({ results: ALL.breakdowns['event:page'] });
    expect(extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=event:page&metrics=visitors&limit=102`)).toBeNull();
    expect(extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=event:page&metrics=visitors&limit=11&page=2`)).toBeNull();
    expect(extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=event:page&metrics=bounce_rate&limit=11`)).toBeNull();
    expect(extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=visit:browser_version&metrics=visitors&limit=11`)).toBeNull();
    expect(extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=event:props:plan&metrics=visitors&limit=11`)).toBeNull();
    // A card the call left out (visit cards under an event-only filter): the card asks on its own.
    expect(extractFor(CALL, `/api/v1/stats/breakdown?${base}&property=visit:entry_page&metrics=visitors&limit=11`)!(ALL)).toBeUndefined();
  });

  it('another view is never answered: site, period, date, filters or share token differ', () => {
    for (const other of [
      'site_id=b.test&period=30d&filters=visit%3Asource%3D%3DGoogle',
      'site_id=a.test&period=7d&filters=visit%3Asource%3D%3DGoogle',
      'site_id=a.test&period=30d&date=2026-11-01&filters=visit%3Asource%3D%3DGoogle',
      'site_id=a.test&period=30d',
      `${base}&auth=token`,
    ]) {
      expect(extractFor(CALL, `/api/v1/stats/breakdown?${other}&property=event:page&metrics=visitors&limit=11`)).toBeNull();
    }
    expect(extractFor(CALL, `/api/v1/stats/realtime/visitors?${base}`)).toBeNull();
  });

  it('a view is its site, period, date, filters, share token and comparison; not its interval or card length', () => {
    const url = oneCallUrl({ ...DEFAULT_QUERY, filters: [{ dimension: 'visit:source', op: '==', value: 'Google' }] }, 'a.test');
    expect(url).toBe(CALL);
    expect(viewOf(url)).toBe(viewOf(CALL.replace('interval=date', 'interval=month').replace('limit=11', 'limit=5')));
    expect(viewOf(url)).not.toBe(viewOf(CALL.replace('&compare=previous_period', '')));
    expect(viewOf(url)).not.toBe(viewOf(`${CALL}&auth=token`));
    expect(oneCallUrl({ ...DEFAULT_QUERY, period: '12mo', compare: false }, 'a.test', 'tok')).toBe('/api/v1/stats/dashboard?site_id=a.test&period=12mo&interval=month&limit=11&auth=tok');
  });
});
