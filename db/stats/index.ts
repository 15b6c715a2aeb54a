/**
 * Stats layer: one query builder and the Stats API v1 reports. Import from
 * '@/db/stats'. See README.md in this folder for the design and the rollups.
 */
export { aggregate, breakdown, realtimeVisitors, timeseries, type AggregateOptions, type ReportOptions } from './reports';
export { dashboard, type DashboardQuery, type DashboardResult } from './dashboard';
export { CARD_ROWS, cardMetrics, EVENT_CARDS, VISIT_CARDS } from './dashboard-cards';
export { parseStatsParams, toStatsQuery, type Endpoint, type StatsRequest } from './params';
export { parseFilters, wildcardToRegex } from './filters';
export { buckets, defaultInterval, previousPeriod, resolvePeriod, todayIn, utcBounds, type Bucket } from './period';
export { propertyDef, PROPERTIES, type PropertyDef } from './properties';
export { buildEventQuery, buildVisitQuery, buildRealtimeQuery, type BuiltQuery, type Grouping, type Scope } from './builder';
export { rebuildRollups, refreshRollups, rollupMarks, type RollupMarks, type VisitMarks } from './rollups';
export { toCsv } from './csv';
export * from './types';
