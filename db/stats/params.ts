/**
 * Stats API v1 query strings → a validated request, then (with the site's
 * time zone) → a StatsQuery. Every rejection is a StatsInputError carrying
 * Plausible's wording, answered as 400 `{error}`.
 */
import { z } from 'zod';
import { parseFilters } from './filters';
import { parseMetrics, validateMetrics } from './metrics';
import { defaultInterval, isValidDate, resolvePeriod } from './period';
import { propertyDef } from './properties';
import { PERIODS, StatsInputError, type DateRange, type Filter, type Interval, type Period, type StatsQuery } from './types';

export type Endpoint = 'aggregate' | 'timeseries' | 'breakdown' | 'realtime' | 'dashboard';

export interface StatsRequest {
  endpoint: Endpoint;
  siteId: string;
  period: Period;
  /** Anchor date, or the custom range. */
  date?: string | DateRange;
  metrics: string[];
  filters: Filter[];
  property?: string;
  interval?: Interval;
  compare?: 'previous_period';
  limit?: number;
  page?: number;
  format: 'json' | 'csv';
}

const PERIODS_DOC = 'See https://plausible.io/docs/stats-api#time-periods';
const MAX_LIMIT = 1000;

const optional = z.string().optional();

const rawSchema = z.object({
  site_id: z.string({ error: 'Missing site ID. Please provide the required site_id parameter with your request.' }).trim().min(1, {
    error: 'Missing site ID. Please provide the required site_id parameter with your request.',
  }),
  period: z
    .enum(PERIODS, {
      error: (issue) =>
        `Error parsing \`period\` parameter: invalid period \`${String(issue.input)}\`. Please find accepted values in our docs: https://plausible.io/docs/stats-api#time-periods`,
    })
    .default('30d'),
  date: optional,
  metrics: optional,
  filters: optional,
  property: optional,
  interval: optional,
  compare: z
    .enum(['previous_period'], {
      error: (issue) => `Error parsing \`compare\` parameter: invalid value \`${String(issue.input)}\`. The supported value is \`previous_period\`.`,
    })
    .optional(),
  limit: z
    .string()
    .regex(/^\d+$/, { error: `Please provide limit as a number between 1 and ${MAX_LIMIT}.` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_LIMIT, { error: `Please provide limit as a number between 1 and ${MAX_LIMIT}.` })
    .optional(),
  page: z
    .string()
    .regex(/^\d+$/, { error: 'Please provide page as a positive number.' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1_000_000, { error: 'Please provide page as a positive number.' })
    .optional(),
  format: z.enum(['json', 'csv'], { error: 'Error parsing `format` parameter: use `json` or `csv`.' }).optional(),
});

function parseDate(period: Period, date: string | undefined): string | DateRange | undefined {
  if (period === 'custom') {
    if (date === undefined) throw new StatsInputError(`The \`date\` parameter is required when using a custom period. ${PERIODS_DOC}`);
    const parts = date.split(',').map((s) => s.trim());
    if (parts.length !== 2 || !parts.every(isValidDate)) {
      throw new StatsInputError(
        `Invalid format for \`date\` parameter. When using a custom period, please include two ISO-8601 formatted dates joined by a comma. ${PERIODS_DOC}`,
      );
    }
    const [from, to] = parts as [string, string];
    if (from > to) throw new StatsInputError('Invalid `date` parameter: the first date must not be after the second.');
    return { from, to };
  }
  if (date === undefined || date === 'today') return undefined;
  if (!isValidDate(date)) {
    throw new StatsInputError('Error parsing `date` parameter: invalid date. Please specify a valid date in ISO-8601 format.');
  }
  return date;
}

function parseInterval(period: Period, interval: string | undefined): Interval | undefined {
  if (interval === undefined) return undefined;
  if (interval === 'date' || interval === 'day') return 'date';
  if (interval === 'month') return 'month';
  if (interval === 'hour' && period === 'day') return 'hour';
  const valid = period === 'day' ? '`hour`, `date`, `month`' : '`date`, `month`';
  throw new StatsInputError(`Error parsing \`interval\` parameter: invalid interval \`${interval}\`. Valid intervals for period \`${period}\` are ${valid}`);
}

/** Parses and validates a request's query string; the site is resolved afterwards. */
export function parseStatsParams(endpoint: Endpoint, search: URLSearchParams): StatsRequest {
  const input: Record<string, string> = {};
  for (const [k, v] of search) if (!(k in input)) input[k] = v;
  const parsed = rawSchema.safeParse(input);
  if (!parsed.success) throw new StatsInputError(parsed.error.issues[0]?.message ?? 'Invalid parameters.');
  const raw = parsed.data;
  const period = raw.period;
  const filters = parseFilters(raw.filters);
  const req: StatsRequest = {
    endpoint,
    siteId: raw.site_id,
    period,
    date: parseDate(period, raw.date),
    metrics: parseMetrics(raw.metrics),
    filters,
    format: raw.format ?? 'json',
  };
  if (endpoint === 'breakdown') {
    if (!raw.property) {
      throw new StatsInputError('The `property` parameter is required. Please provide at least one property to show a breakdown by.');
    }
    if (!propertyDef(raw.property)) {
      throw new StatsInputError(
        `Invalid property '${raw.property}'. Please provide a valid property for the breakdown endpoint: https://plausible.io/docs/stats-api#properties`,
      );
    }
    req.property = raw.property;
    req.limit = raw.limit;
    req.page = raw.page;
  }
  if (endpoint === 'timeseries' || endpoint === 'dashboard') req.interval = parseInterval(period, raw.interval) ?? defaultInterval(period);
  if ((endpoint === 'aggregate' || endpoint === 'dashboard') && raw.compare) req.compare = raw.compare;
  if (endpoint === 'dashboard') req.limit = raw.limit;
  if (endpoint !== 'realtime' && endpoint !== 'dashboard') validateMetrics(req.metrics, req.property, filters);
  return req;
}

/** The report query for a parsed request on a site, with dates in the site's time zone. */
export function toStatsQuery(req: StatsRequest, site: { domain: string; timezone: string }, now = new Date()): StatsQuery {
  return {
    site: site.domain,
    timezone: site.timezone,
    range: resolvePeriod(req.period, req.date, site.timezone, now),
    metrics: validateMetrics(req.metrics, req.property, req.filters),
    filters: req.filters,
    dimension: req.property,
    interval: req.interval,
    limit: req.limit,
    page: req.page,
  };
}
