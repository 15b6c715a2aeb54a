/**
 * Metric definitions and the rules of which metric may be asked with which
 * breakdown or filter (Plausible v1's rules and messages), plus the
 * arithmetic done outside SQL: conversion rate and comparison change.
 *
 * Definitions (as Plausible):
 *  - visitors: unique visitor ids with an event (engagement excluded);
 *  - pageviews / events: pageview events / all events but engagement;
 *  - visits: visits that started in the period;
 *  - bounce_rate: % of those visits with one pageview and no interactive
 *    custom event (with a page filter: of the visits that entered there);
 *  - visit_duration: mean seconds from a visit's first to last event;
 *  - views_per_visit: pageviews of those visits / visits (2 decimals);
 *  - conversion_rate: % of visitors who completed the goal, of all visitors
 *    without the goal and prop filters (1 decimal).
 * Rates round half up on exact integers, in SQL and here alike.
 */
import { propertyDef } from './properties';
import { METRICS, StatsInputError, type Filter, type Metric } from './types';

export const SESSION_METRICS: ReadonlySet<Metric> = new Set(['visits', 'bounce_rate', 'visit_duration', 'views_per_visit']);

export type QueryKind = 'aggregate' | 'timeseries' | 'breakdown';

const DOCS = 'https://plausible.io/docs/stats-api#metrics';

export function parseMetrics(input: string | null | undefined): string[] {
  return (input ?? 'visitors').split(',').map((m) => m.trim());
}

/** Checks metrics against the breakdown and filters; throws StatsInputError with Plausible's message. */
export function validateMetrics(metrics: string[], dimension: string | undefined, filters: Filter[]): Metric[] {
  if (metrics.length === 0 || (metrics.length === 1 && metrics[0] === '')) {
    throw new StatsInputError(`Please provide at least one metric. Find valid metrics from the documentation: ${DOCS}`);
  }
  if (new Set(metrics).size !== metrics.length) throw new StatsInputError('Metrics cannot be queried multiple times.');
  const dimDef = dimension ? propertyDef(dimension) : null;
  const eventOnlyFilter = filters.find((f) => propertyDef(f.property)?.eventOnly);
  const hasGoalFilter = filters.some((f) => f.property === 'event:goal');
  for (const metric of metrics) {
    if (!(METRICS as readonly string[]).includes(metric)) {
      throw new StatsInputError(`The metric \`${metric}\` is not recognized. Find valid metrics from the documentation: ${DOCS}`);
    }
    if (metric === 'conversion_rate' && dimension !== 'event:goal' && !hasGoalFilter) {
      throw new StatsInputError('Metric `conversion_rate` can only be queried in a goal breakdown or with a goal filter');
    }
    if (metric === 'views_per_visit') {
      if (filters.some((f) => f.property === 'event:page')) {
        throw new StatsInputError('Metric `views_per_visit` cannot be queried with a filter on `event:page`.');
      }
      if (dimension) throw new StatsInputError('Metric `views_per_visit` is not supported in breakdown queries.');
    }
    if (SESSION_METRICS.has(metric as Metric)) {
      if (dimDef?.eventOnly) throw new StatsInputError(`Session metric \`${metric}\` cannot be queried for breakdown by \`${dimension}\`.`);
      if (eventOnlyFilter) {
        throw new StatsInputError(`Session metric \`${metric}\` cannot be queried when using a filter on \`${eventOnlyFilter.property}\`.`);
      }
    }
    if (metric === 'events' && dimDef?.scope === 'session') {
      throw new StatsInputError(`Metric \`events\` cannot be queried for breakdown by \`${dimension}\`.`);
    }
  }
  return metrics as Metric[];
}

/** round(100 * part / whole, 1), half up, on integers; 0 without a whole. */
export function conversionRate(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.floor((2000 * part + whole) / (2 * whole)) / 10;
}

/** Half away from zero, like Elixir's round/1. */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** Comparison change: percent for counts, difference for rates (as Plausible). */
export function change(metric: Metric, previous: number | null, current: number | null): number | null {
  if (previous === null || current === null) return null;
  if (metric === 'bounce_rate') return previous > 0 ? current - previous : null;
  if (metric === 'conversion_rate') return Math.round((current - previous) * 10) / 10;
  if (previous === 0) return current > 0 ? 100 : 0;
  return roundHalfAway(((current - previous) / previous) * 100);
}
