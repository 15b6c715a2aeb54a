import { describe, expect, it } from 'vitest';
import { parseStatsParams, toStatsQuery } from '../../db/stats/params';

const parse = (endpoint: Parameters<typeof parseStatsParams>[0], qs: string) => parseStatsParams(endpoint, new URLSearchParams(qs));

describe('Stats API query strings', () => {
  it('defaults: 30d, visitors, json', () => {
    expect(parse('aggregate', 'site_id=example.com')).toEqual({
      endpoint: 'aggregate',
      siteId: 'example.com',
      period: '30d',
      date: undefined,
      metrics: ['visitors'],
      filters: [],
      format: 'json',
    });
  });

  it('breakdown with everything', () => {
    const req = parse('breakdown', 'site_id=example.com&period=custom&date=2024-01-01,2024-01-31&metrics=visitors,bounce_rate&property=visit:source&filters=visit:country%3D%3DDE&limit=10&page=2&format=csv');
    expect(req).toMatchObject({
      period: 'custom',
      date: { from: '2024-01-01', to: '2024-01-31' },
      metrics: ['visitors', 'bounce_rate'],
      property: 'visit:source',
      filters: [{ property: 'visit:country', op: 'is', values: ['DE'] }],
      limit: 10,
      page: 2,
      format: 'csv',
    });
  });

  it('timeseries interval defaults by period; hour only for a day', () => {
    expect(parse('timeseries', 'site_id=a.com&period=day').interval).toBe('hour');
    expect(parse('timeseries', 'site_id=a.com&period=12mo').interval).toBe('month');
    expect(parse('timeseries', 'site_id=a.com&period=7d').interval).toBe('date');
    expect(parse('timeseries', 'site_id=a.com&period=month&interval=day').interval).toBe('date');
    expect(() => parse('timeseries', 'site_id=a.com&period=7d&interval=hour')).toThrow('invalid interval `hour`');
    expect(() => parse('timeseries', 'site_id=a.com&interval=week')).toThrow('invalid interval `week`');
  });

  it('compare only on aggregate', () => {
    expect(parse('aggregate', 'site_id=a.com&compare=previous_period').compare).toBe('previous_period');
    expect(() => parse('aggregate', 'site_id=a.com&compare=year')).toThrow('Error parsing `compare` parameter');
  });

  it('rejects bad input with Plausible messages', () => {
    const cases: [string, string, string][] = [
      ['aggregate', '', 'Missing site ID'],
      ['aggregate', 'site_id=a.com&period=1y', 'Error parsing `period` parameter: invalid period `1y`'],
      ['aggregate', 'site_id=a.com&period=custom&date=2024-02-01,2024-01-01', 'must not be after'],
      ['aggregate', 'site_id=a.com&period=custom&date=2024-02-31,2024-03-01', 'Invalid format for `date` parameter'],
      ['aggregate', 'site_id=a.com&metrics=visitors,pageviews,visitors', 'Metrics cannot be queried multiple times.'],
      ['aggregate', 'site_id=a.com&metrics=conversion_rate', 'Metric `conversion_rate` can only be queried in a goal breakdown or with a goal filter'],
      ['aggregate', 'site_id=a.com&metrics=views_per_visit&filters=event:page%3D%3D/', 'Metric `views_per_visit` cannot be queried with a filter on `event:page`.'],
      ['aggregate', 'site_id=a.com&metrics=visits&filters=event:props:plan%3D%3Dpro', 'Session metric `visits` cannot be queried when using a filter on `event:props:plan`.'],
      ['breakdown', 'site_id=a.com&property=event:name&metrics=visit_duration', 'Session metric `visit_duration` cannot be queried for breakdown by `event:name`.'],
      ['breakdown', 'site_id=a.com&property=visit:entry_page&metrics=events', 'Metric `events` cannot be queried for breakdown by `visit:entry_page`.'],
      ['breakdown', 'site_id=a.com&property=event:page&limit=1001', 'Please provide limit as a number between 1 and 1000.'],
      ['breakdown', 'site_id=a.com&property=event:page&page=0', 'Please provide page as a positive number.'],
      ['breakdown', 'site_id=a.com&property=event:props:', "Invalid property 'event:props:'"],
      ['breakdown', 'site_id=a.com&property=event:page&format=xml', 'Error parsing `format` parameter'],
    ];
    for (const [endpoint, qs, message] of cases) {
      expect(() => parse(endpoint as 'aggregate', qs), qs).toThrow(message);
    }
  });

  it('turns a request into a query in the site time zone', () => {
    const req = parse('breakdown', 'site_id=a.com&period=day&property=event:page');
    const query = toStatsQuery(req, { domain: 'a.com', timezone: 'America/New_York' }, new Date('2024-03-10T03:00:00Z'));
    expect(query).toEqual({
      site: 'a.com',
      timezone: 'America/New_York',
      range: { from: '2024-03-09', to: '2024-03-09' },
      metrics: ['visitors'],
      filters: [],
      dimension: 'event:page',
      interval: undefined,
      limit: undefined,
      page: undefined,
    });
  });
});
